"""Fixtures for the API tests: the fixture store (dev gold of three seeds) and apps over it."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time

import httpx
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


class ServeProcess:
    """`dutygraph serve` in its own process on 127.0.0.1 (a crash there cannot take the tests down)."""

    def __init__(self, folder, *options: str, env: dict[str, str] | None = None):
        self.port = free_port()
        command = [sys.executable, "-m", "dutygraph", "serve", "--store", str(folder), "--port", str(self.port),
                   *options]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        env={**os.environ, **(env or {})})

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.process.poll() is None

    def __enter__(self):
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(self.url + "/sparql", params={"query": "ASK {}"}, timeout=5)
                return self
            except httpx.TransportError:
                if time.monotonic() > deadline or not self.alive():
                    self.process.kill()
                    raise RuntimeError(self.process.stderr.read().decode(errors="replace")) from None
                time.sleep(0.2)

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def fixture_folder(folder) -> str:
    """A store folder holding the fixture, closed again."""
    store = ox.Store(str(folder))
    store.load(path=str(FIXTURE), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    return str(folder)
