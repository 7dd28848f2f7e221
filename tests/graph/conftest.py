"""Stores for the graph tests: embedded folders, a real Oxigraph server and a real Virtuoso on loopback."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dutygraph.graph import ingest
from dutygraph.graph.store import open_store
from tests.graph import virtuoso
from tests.graph.fixtures import make_document, make_units, reading

OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """Base URL of an Oxigraph server started for this test session (union default graph)."""
    if not OXIGRAPH.exists():
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen(
        [str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.skip("the oxigraph server did not start")
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """SPARQL endpoint URL of a Virtuoso started for this test session (its own folder and ports)."""
    reason = virtuoso.missing()
    if reason:
        pytest.skip(reason)
    with virtuoso.running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server.url


# Virtuoso's own quad-map metadata graph lives beside the data and must survive emptying.
VIRTUOSO_OWN = "http://www.openlinksw.com/schemas/virtrdf#"


def emptied(store):
    graphs = {row["g"].value for row in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    for graph in sorted(graphs - {VIRTUOSO_OWN}):
        store.update(f"DROP SILENT GRAPH <{graph}>")
    return store


@pytest.fixture(params=["embedded", "remote", "virtuoso"])
def store(request, tmp_path):
    """An empty store of each backend (the servers are emptied before each test)."""
    if request.param == "embedded":
        opened = open_store(str(tmp_path / "store"))
    elif request.param == "remote":
        opened = open_store(request.getfixturevalue("oxigraph_server"))
        opened.update("DROP ALL")
    else:
        opened = emptied(open_store(request.getfixturevalue("virtuoso_server")))
    yield opened
    opened.close()


@pytest.fixture
def fake_extract(monkeypatch):
    """Replace read → parse → extract_units with the hand-made fixture document of each file."""
    def extract(path: Path):
        return reading(make_document(path.name, path.read_text(encoding="utf-8")), make_units())

    monkeypatch.setattr(ingest, "extract_lazily", extract)
    return extract
