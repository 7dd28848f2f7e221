"""Readers of a served store while another process replaces a document in it: each answer sees
the old document or the new one, whole, never a mixture or a part."""
from __future__ import annotations

import json
import queue
import subprocess
import sys
import textwrap
import threading
import time

import httpx
import pytest

from dutygraph.api.workers import QueryJob, WorkerLimits, WorkerPool
from dutygraph.graph.store import open_store, write_lock
from tests.api.conftest import ServeProcess, fixture_folder

GRAPH = "https://w3id.org/dutygraph/id/doc/replaced"
TRIPLES = 2000
# Replaces the document again and again, each version with its own mark on every triple, the way
# ingest replaces a changed document: in one transaction, in several of argv[3] quads under the write
# lock, as a large document's graph is, or ("bulk") through the bulk loader under the lock, as a
# batch of documents is (Store.load_graphs). After each version it waits for a line on stdin: the test
# sends one once a reader has seen that version, so the readers meet every replacement however fast
# the writer is (a free-running writer once finished all versions before the first answer).
WRITER = textwrap.dedent(f"""
    import resource
    import sys
    import pyoxigraph as ox
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))  # a runaway writer fails, not the machine
    from dutygraph.graph import store as stores
    from dutygraph.graph.store import open_store
    if sys.argv[3] == "bulk":
        stores.BULK_FROM_BYTES = stores.COMPACTION_SHARE = 0
    elif sys.argv[3] != "default":
        stores.CHUNK_QUADS = int(sys.argv[3])
    store = open_store(sys.argv[1])
    graph = ox.NamedNode("{GRAPH}")
    for version in range(int(sys.argv[2])):
        quads = [ox.Quad(ox.NamedNode(f"{GRAPH}/s/{{n}}"), ox.NamedNode("{GRAPH}/version"), ox.Literal(str(version)), graph)
                 for n in range({TRIPLES})]
        if sys.argv[3] == "bulk":
            ntriples = ox.serialize([quad.triple for quad in quads], format=ox.RdfFormat.N_TRIPLES)
            assert not store.load_graphs([("{GRAPH}", ntriples, f"checksum-{{version}}", False)])
        else:
            store.replace_graph("{GRAPH}", quads, f"checksum-{{version}}")
        print(version, flush=True)
        sys.stdin.readline()
    store.close()
""")
VERSIONS = f"""SELECT ?version (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s <{GRAPH}/version> ?version }} }}
GROUP BY ?version"""


@pytest.mark.parametrize("chunk", ["default", "300", "bulk"], ids=["one-transaction", "chunked", "bulk"])
def test_readers_see_a_replaced_document_whole(tmp_path, chunk):
    folder = fixture_folder(tmp_path / "store")
    with ServeProcess(folder, "--workers", "2") as server, httpx.Client(base_url=server.url, timeout=60) as client:
        writer = subprocess.Popen([sys.executable, "-c", WRITER, folder, "12", chunk], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        written: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [written.put(line.strip()) for line in writer.stdout], daemon=True).start()
        seen, waiting_for = [], None
        deadline = time.monotonic() + 120
        while writer.poll() is None:
            assert time.monotonic() < deadline, f"no reader saw version {waiting_for} of the document"
            answer = client.get("/sparql", params={"query": VERSIONS}).json()
            assert "results" in answer, answer
            rows = answer["results"]["bindings"]
            seen.append({row["version"]["value"]: int(row["n"]["value"]) for row in rows})
            if waiting_for is None and not written.empty():
                waiting_for = written.get()
            if waiting_for is not None and waiting_for in seen[-1]:
                writer.stdin.write("\n")
                writer.stdin.flush()
                waiting_for = None
        assert writer.wait(60) == 0
    mixed = [answer for answer in seen if answer and (len(answer) != 1 or set(answer.values()) != {TRIPLES})]
    assert not mixed, mixed[:3]
    assert {version for answer in seen for version in answer} == {str(version) for version in range(12)}


def test_a_worker_answers_from_the_view_it_holds_while_a_large_graph_is_written(tmp_path):
    """A worker told to reopen while ingest holds the write lock keeps answering from its view
    (consistent, a little old) instead of waiting for the write to end; it reopens after. Such an
    answer is not kept for repeats: once the write ends the same query sees the new graph."""
    folder = fixture_folder(tmp_path / "store")
    writer = open_store(folder)  # creates the write lock, as an ingest does
    pool = WorkerPool(folder, size=1, limits=WorkerLimits(kept_answer_bytes=1 << 20))
    count = QueryJob("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "application/sparql-results+json")

    def counted() -> int:
        return int(json.loads(pool.run(count, timeout=10, reuse=True))["results"]["bindings"][0]["n"]["value"])

    try:
        before = counted()
        with write_lock(folder, shared=False):
            writer.update(f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <{GRAPH}/s> <{GRAPH}/p> 1 }} }}")
            writer._store.flush()
            pool.reopen()
            during = counted()
        after = counted()
    finally:
        pool.close()
        writer.close()
    assert during == before and after == before + 1
