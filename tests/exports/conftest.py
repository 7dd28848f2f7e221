"""Stores holding the small export fixture (tests/data/exports/small.nq), and an app serving them."""
from __future__ import annotations

import fastapi
import pyoxigraph as ox
import pytest

from dutygraph.api import exports, pages
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


def make_app(store) -> fastapi.FastAPI:
    """The project's app when the factory is there; until then a bare app with the two routers."""
    try:
        from dutygraph.api.app import create_app
    except ImportError:
        app = fastapi.FastAPI()
        app.state.store = store
        app.include_router(pages.router)
        app.include_router(exports.router)
        return app
    return create_app(store)


@pytest.fixture(scope="session")
def app(embedded_store) -> fastapi.FastAPI:
    return make_app(embedded_store)
