"""Fixtures for the API tests: the fixture store (dev gold of three seeds) and apps over it."""
from __future__ import annotations

import shutil
import socket
import threading
import time

import pyoxigraph as ox
import pytest
import uvicorn
from fastapi.testclient import TestClient

from dutygraph.api.app import create_app
from dutygraph.graph.ingest import ingest_paths
from dutygraph.graph.store import open_store
from tests.shared import DATA, SEEDS

FIXTURE = DATA / "api" / "fixture.nq"
TOKEN = "test-token"
CHINESE_NAME = "湖北省质量促进条例(2020-01-01).txt"
NATIONAL_LAW = DATA / "structure" / "公益事业捐赠法(1999-06-28).md"


def load_fixture(store=None) -> ox.Store:
    store = store if store is not None else ox.Store()
    store.load(path=str(FIXTURE), format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="session")
def fixture_store() -> ox.Store:
    return load_fixture()


@pytest.fixture(scope="module")
def client(fixture_store):
    app = create_app(fixture_store, query_timeout=10, update_token=TOKEN, workers=2)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def chinese_named_store(tmp_path_factory):
    """Three seeds (one in traditional script), a copy of one under a Chinese file name (two versions)
    and a national law (Chinese file name, chapters, sanctions)."""
    folder = tmp_path_factory.mktemp("documents")
    for name in ("000_1c62b5ba5ae13ae9.txt", "001_18aaf2e0bf01b38b.txt", "002_5fcfdeced73421af.txt"):
        shutil.copy(SEEDS / name, folder / name)
    shutil.copy(SEEDS / "001_18aaf2e0bf01b38b.txt", folder / CHINESE_NAME)
    shutil.copy(NATIONAL_LAW, folder / NATIONAL_LAW.name)
    store = open_store(str(tmp_path_factory.mktemp("store")))
    assert ingest_paths([folder], store).ok
    yield store
    store.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerThread:
    """uvicorn serving an app on 127.0.0.1 in a background thread."""

    def __init__(self, app):
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)
