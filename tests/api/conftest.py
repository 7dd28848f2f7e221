"""Fixtures for the API tests: the fixture store (dev gold of three seeds) and apps over it."""
from __future__ import annotations

import os
import shutil
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
