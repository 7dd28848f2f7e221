"""Stores for the graph tests: embedded folders and a real Oxigraph server on loopback."""
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
from tests.graph.fixtures import make_document, make_units

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


@pytest.fixture(params=["embedded", "remote"])
def store(request, tmp_path):
    """An empty store of each backend (the remote one is emptied before each test)."""
    if request.param == "embedded":
        opened = open_store(str(tmp_path / "store"))
    else:
        opened = open_store(request.getfixturevalue("oxigraph_server"))
        opened.update("DROP ALL")
    yield opened
    opened.close()


@pytest.fixture
def fake_extract(monkeypatch):
    """Replace read → parse → extract_units with the hand-made fixture document of each file."""
    def extract(path: Path):
        return make_document(path.name, path.read_text(encoding="utf-8")), make_units()

    monkeypatch.setattr(ingest, "extract", extract)
    return extract
