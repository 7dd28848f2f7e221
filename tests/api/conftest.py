"""Fixtures for the API tests: the fixture store (dev gold of three seeds) and apps over it."""
from __future__ import annotations

import socket
import threading
import time

import pyoxigraph as ox
import pytest
import uvicorn
from fastapi.testclient import TestClient

from dutygraph.api.app import create_app
from tests.shared import DATA

FIXTURE = DATA / "api" / "fixture.nq"
TOKEN = "test-token"


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
