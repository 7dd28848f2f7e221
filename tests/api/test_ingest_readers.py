"""Readers of a served store while another process replaces a document in it: each answer sees
the old document or the new one, whole, never a mixture or a part."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import httpx

from tests.api.conftest import ServeProcess, fixture_folder

GRAPH = "https://w3id.org/dutygraph/id/doc/replaced"
TRIPLES = 2000
# Replaces the document again and again, each version with its own mark on every triple, the way
# ingest replaces a changed document (Store.replace_graph).
WRITER = textwrap.dedent(f"""
    import sys
    import pyoxigraph as ox
    from dutygraph.graph.store import open_store
    store = open_store(sys.argv[1])
    graph = ox.NamedNode("{GRAPH}")
    for version in range(int(sys.argv[2])):
        quads = [ox.Quad(ox.NamedNode(f"{GRAPH}/s/{{n}}"), ox.NamedNode("{GRAPH}/version"), ox.Literal(str(version)), graph)
                 for n in range({TRIPLES})]
        store.replace_graph("{GRAPH}", quads, f"checksum-{{version}}")
        print(version, flush=True)
    store.close()
""")
VERSIONS = f"""SELECT ?version (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s <{GRAPH}/version> ?version }} }}
GROUP BY ?version"""


def test_readers_see_a_replaced_document_whole(tmp_path):
    folder = fixture_folder(tmp_path / "store")
    with ServeProcess(folder, "--workers", "2") as server, httpx.Client(base_url=server.url, timeout=60) as client:
        writer = subprocess.Popen([sys.executable, "-c", WRITER, folder, "12"], stdout=subprocess.PIPE, text=True)
        seen = []
        while writer.poll() is None or not seen:
            answer = client.get("/sparql", params={"query": VERSIONS}).json()
            assert "results" in answer, answer
            rows = answer["results"]["bindings"]
            seen.append({row["version"]["value"]: int(row["n"]["value"]) for row in rows})
        assert writer.wait(60) == 0
    mixed = [answer for answer in seen if answer and (len(answer) != 1 or set(answer.values()) != {TRIPLES})]
    assert not mixed, mixed[:3]
    assert len({version for answer in seen for version in answer}) > 1  # the readers did see replacements
