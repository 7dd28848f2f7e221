"""Stores holding the small export fixture (tests/data/exports/small.nq), and an app serving them."""
from __future__ import annotations

import socket
import threading
import time

import fastapi
import pyoxigraph as ox
import pytest
import uvicorn

from dutygraph.api.app import create_app
from dutygraph.graph.store import open_store
from tests.shared import DATA

FIXTURE = DATA / "exports" / "small.nq"
FIXTURE_GRAPH = "https://w3id.org/dutygraph/id/doc/fixture"


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
    graph = ox.NamedNode(FIXTURE_GRAPH)
    quads = [ox.Quad(q.subject, q.predicate, q.object, graph)
             for q in ox.parse(path=str(FIXTURE), format=ox.RdfFormat.N_QUADS)]
    store.replace_graph(FIXTURE_GRAPH, quads, "fixture")
    yield store
    store.close()


@pytest.fixture(scope="module")
def app(embedded_store) -> fastapi.FastAPI:
    """The project's app (its lifespan closes the query workers, hence one app per module)."""
    return create_app(embedded_store, workers=2)


@pytest.fixture(scope="module")
def live_server(app):
    """Base URL of the app served by uvicorn on 127.0.0.1 and a free port, for the browser tests."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
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
