"""Exports run in processes of their own, over the store as it is now: the server keeps answering
while one is written, keeps no memory from it, and shows what another process ingested."""
from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from tests.api.conftest import ServeProcess, fixture_folder

DOC = "https://w3id.org/dutygraph/id/doc/"
SEEDS = Path(__file__).resolve().parents[2] / "samples" / "seeds"
# Enough data that one JSON-LD export keeps a process busy for a while (about a second here).
BIG_QUADS = 30000


def big_folder(folder: Path) -> str:
    store = ox.Store(str(folder))
    graph = ox.NamedNode(DOC + "big")
    store.bulk_extend(ox.Quad(ox.NamedNode(f"{DOC}big/ob/{n}"), ox.NamedNode(f"https://w3id.org/dutygraph/ns#p{n % 7}"),
                              ox.Literal(f"义务 {n} " * 3), graph) for n in range(BIG_QUADS))
    store.flush()
    del store
    return str(folder)


@pytest.fixture(scope="module")
def big_server(tmp_path_factory):
    with ServeProcess(big_folder(tmp_path_factory.mktemp("big") / "store"), "--workers", "1") as server:
        yield server


def resident_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) << 10
    raise AssertionError("no VmRSS")


def test_trivial_requests_are_answered_while_an_export_is_written(big_server):
    done = threading.Event()
    sizes = []

    def export():
        sizes.append(len(httpx.get(big_server.url + "/export/jsonld", timeout=300).content))
        done.set()

    exporter = threading.Thread(target=export)
    exporter.start()
    answered_meanwhile = 0
    with httpx.Client(base_url=big_server.url, timeout=300) as client:
        while not done.is_set() and answered_meanwhile < 20:
            assert client.get("/export").status_code == 200
            answered_meanwhile += not done.is_set()
    exporter.join()
    assert sizes and sizes[0] > BIG_QUADS * 10
    assert answered_meanwhile == 20  # all answered before the export was done


def test_the_server_keeps_no_memory_from_exports(big_server):
    """A server that kept an export would grow by at least its size. Measured after a first round,
    so the allocations of first use (a new thread's malloc arena: up to 1 MiB once, a CI run showed)
    are not taken for a kept export."""
    pid = big_server.process.pid

    def exported() -> list[int]:
        return [len(httpx.get(big_server.url + f"/export/{fmt}", timeout=300).content) for fmt in ("jsonld", "turtle", "jsonld")]

    exported()
    before = resident_bytes(pid)
    sizes = exported()
    grown = resident_bytes(pid) - before
    assert grown < min(sizes) / 2, f"{grown >> 20} MiB kept after exports of {[size >> 20 for size in sizes]} MiB"


def test_exports_show_what_another_process_ingested(tmp_path):
    folder = fixture_folder(tmp_path / "store")
    document = tmp_path / "late_document.txt"
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], document)
    graph = DOC + "late_document"
    with ServeProcess(folder, "--workers", "1") as server, httpx.Client(base_url=server.url, timeout=120) as client:
        def seen() -> dict[str, bool]:
            nodes = client.get("/export/cytoscape", params={"view": "bipartite"}).json()["elements"]["nodes"]
            return {"nquads": f"<{graph}>" in client.get("/export/nquads").text,
                    "graph page data": graph in {node["data"]["id"] for node in nodes}}

        assert seen() == {"nquads": False, "graph page data": False}
        ingest = subprocess.run([sys.executable, "-m", "dutygraph", "ingest", str(document), "--store", folder],
                                capture_output=True, text=True, timeout=300)
        assert ingest.returncode == 0, ingest.stderr
        assert seen() == {"nquads": True, "graph page data": True}


def test_an_export_is_streamed_as_it_is_written(big_server):
    """No length announced (it is not known before the export process ends) and the body in chunks:
    the server never holds an export whole."""
    with httpx.Client(base_url=big_server.url, timeout=300) as client, client.stream("GET", "/export/nquads") as response:
        assert response.status_code == 200
        assert "content-length" not in response.headers and response.headers["transfer-encoding"] == "chunked"
        chunks = [len(chunk) for chunk in response.iter_raw()]
    assert len(chunks) > 1 and sum(chunks) > BIG_QUADS * 10
