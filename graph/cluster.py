"""Extraction on a Dask distributed cluster: `dutygraph ingest PATH… --scheduler tcp://HOST:PORT`.

This process reads each file and ships its bytes (workers need not see the same disks); a worker
reads, parses, extracts and builds the document's RDF exactly as a local worker process does, and
sends back its N-Triples bytes, spooled to a local file here as a local worker's are. Results come back in input order through a bounded window, so the store
writes of this process overlap the extraction on the cluster and memory stays flat. Workers need
dutygraph installed (the same version); start them with one thread each, since extraction holds the
GIL: `dask worker tcp://HOST:PORT --nthreads 1 --nworkers N`.
"""
from __future__ import annotations

import dataclasses
import tempfile
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from dutygraph.errors import DutygraphError
from dutygraph.graph.ingest import IN_FLIGHT_PER_WORKER, Built, InputFile, build_file

CONNECT_TIMEOUT = "30s"


def build_on_cluster(items: list[InputFile], scheduler: str) -> Iterator[Built]:
    from distributed import Client

    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except OSError as error:  # distributed raises OSError (TimeoutError among them) when nobody answers
        raise DutygraphError("DG-G060", scheduler, str(error)) from error
    with client:
        window = IN_FLIGHT_PER_WORKER * max(1, sum(client.nthreads().values()))
        pending = deque()
        for item in items:
            # pure=False: two files with equal bytes are still two tasks (their stems differ).
            pending.append(client.submit(build_shipped, item, read_bytes(item), pure=False))
            if len(pending) >= window:
                yield spooled(*pending.popleft().result())
        while pending:
            yield spooled(*pending.popleft().result())


def build_shipped(item: InputFile, data: bytes | None) -> tuple[Built, bytes]:
    """On a worker: the built file, and its N-Triples as bytes (its spool file stays on the worker's disk)."""
    built = build_file(item, data)
    ntriples = Path(built.spool).read_bytes() if built.spool else b""
    built.discard()
    return dataclasses.replace(built, spool=""), ntriples


def spooled(built: Built, ntriples: bytes) -> Built:
    if built.error is not None:
        return built
    with tempfile.NamedTemporaryFile(prefix="dutygraph-", suffix=".nt", delete=False) as out:
        out.write(ntriples)
    return dataclasses.replace(built, spool=out.name)


def read_bytes(item: InputFile) -> bytes | None:
    """None lets the worker report an unreadable file with the reader's own code."""
    try:
        return item.path.read_bytes()
    except OSError:
        return None
