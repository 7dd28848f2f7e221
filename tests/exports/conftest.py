"""Stores holding the small export fixture (tests/data/exports/small.nq), and an app serving them."""
from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import fastapi
import pyoxigraph as ox
import pytest
import uvicorn

from dutygraph.api.app import create_app
from dutygraph.graph.store import open_store
from tests.shared import DATA

FIXTURE = DATA / "exports" / "small.nq"
FIXTURE_GRAPH = "https://w3id.org/dutygraph/id/doc/fixture"
OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fixture_quads() -> list[ox.Quad]:
    graph = ox.NamedNode(FIXTURE_GRAPH)
    return [ox.Quad(q.subject, q.predicate, q.object, graph)
            for q in ox.parse(path=str(FIXTURE), format=ox.RdfFormat.N_QUADS)]


@pytest.fixture(scope="session")
def memory_store() -> ox.Store:
    """A plain in-memory store with the fixture in its default graph (answers query() like any Store)."""
    store = ox.Store()
    store.load(path=str(FIXTURE), format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="session")
def embedded_store(tmp_path_factory):
    """An embedded store folder with the fixture in one named graph (what `serve` runs on)."""
    store = open_store(str(tmp_path_factory.mktemp("exports-store")))
    store.replace_graph(FIXTURE_GRAPH, fixture_quads(), "fixture")
    yield store
    store.close()


@pytest.fixture(scope="session")
def remote_store(tmp_path_factory):
    """The fixture in an Oxigraph server on loopback, reached through the SPARQL protocol."""
    if not OXIGRAPH.exists():
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    port = free_port()
    process = subprocess.Popen(
        [str(OXIGRAPH), "serve", "--location", str(tmp_path_factory.mktemp("exports-oxigraph")),
         "--bind", f"127.0.0.1:{port}", "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.skip("the oxigraph server did not start")
            time.sleep(0.1)
    store = open_store(url)
    store.replace_graph(FIXTURE_GRAPH, fixture_quads(), "fixture")
    yield store
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def app(embedded_store) -> fastapi.FastAPI:
    """The project's app (its lifespan closes the query workers, hence one app per module)."""
    return create_app(embedded_store, workers=2)


@pytest.fixture(scope="module")
def live_server(app):
    """Base URL of the app served by uvicorn on 127.0.0.1 and a free port, for the browser tests."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
