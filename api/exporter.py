"""One export in a process of its own: `python -m dutygraph.api.exporter LOCATION FORMAT [NAME=VALUE…]`.

The server never builds an export itself: serialising a whole store holds the interpreter for
seconds and keeps its memory afterwards. A process per export opens the store as it is now
(what another process ingested included), streams the bytes to standard output and takes its
memory with it when it ends.

Standard output starts with one line before any data: `OK`, or `ERROR {json}` with the coded
error of a request that names an unknown actor, view, modality or format.

This module runs in the export process: keep it free of web-framework imports.
"""
from __future__ import annotations

import json
import sys

from dutygraph.children import die_with_parent
from dutygraph.errors import DutygraphError

OPTIONS = ("view", "actor", "modality", "jurisdiction")


class HeaderedOutput:
    """Standard output that writes `OK` before the first bytes of the export."""

    def __init__(self, stream):
        self.stream = stream
        self.started = False

    def start(self) -> None:
        if not self.started:
            self.started = True
            self.stream.write(b"OK\n")

    def write(self, data) -> int:
        self.start()
        return self.stream.write(data)

    def flush(self) -> None:
        self.stream.flush()

    # zipfile and TextIOWrapper ask these of what they write to.
    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readable(self) -> bool:
        return False

    @property
    def closed(self) -> bool:
        return False


def export(location: str, fmt: str, options: dict[str, str], out: HeaderedOutput) -> None:
    from dutygraph.graph.netexport import RDF_FORMATS, write_network, write_rdf
    from dutygraph.graph.store import open_store

    store = open_store(location, read_only=True)
    filters = {name: options.get(name) or None for name in ("actor", "modality", "jurisdiction")}
    if fmt in RDF_FORMATS:
        write_rdf(store, fmt, out, **filters)
    else:
        write_network(store, fmt, out, view=options.get("view") or "obligations", **filters)
    out.start()  # an empty export is still a success


def main(argv: list[str]) -> int:
    die_with_parent()
    location, fmt, *pairs = argv
    options = dict(pair.split("=", 1) for pair in pairs)
    out = HeaderedOutput(sys.stdout.buffer)
    try:
        export(location, fmt, {name: options.get(name, "") for name in OPTIONS}, out)
    except DutygraphError as error:
        if out.started:
            raise
        problem = error.problem
        out.stream.write(b"ERROR " + json.dumps({"code": problem.code, "detail": problem.detail}).encode() + b"\n")
        return 1
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
