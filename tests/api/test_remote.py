"""The app over a remote store (the Oxigraph server binary): queries forwarded with a time limit."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from dutygraph.api.app import create_app
from dutygraph.graph.store import open_store
from tests.api.conftest import FIXTURE, free_port

OXIGRAPH = Path(sys.executable).with_name("oxigraph")
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
pytestmark = pytest.mark.remote


@pytest.fixture(scope="module")
def remote(tmp_path_factory):
    if not OXIGRAPH.exists() and not shutil.which("oxigraph"):
        pytest.skip("the oxigraph server binary is not installed")
    binary = str(OXIGRAPH if OXIGRAPH.exists() else shutil.which("oxigraph"))
    folder = tmp_path_factory.mktemp("oxigraph")
    subprocess.run([binary, "load", "--location", str(folder), "--file", str(FIXTURE)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    process = subprocess.Popen([binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}",
                                "--union-default-graph", "--timeout-s", "5"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{url}/query", params={"query": "ASK {}"})
            break
        except httpx.TransportError:
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.2)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def remote_client(remote):
    with TestClient(create_app(open_store(remote), query_timeout=1.5)) as client:
        yield client


def test_remote_answers_equal_the_local_store(remote_client, client):
    query = "SELECT ?s ?o WHERE { ?s <https://w3id.org/dutygraph/ns#articleNumber> ?o } ORDER BY ?s ?o"
    remote_rows = remote_client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    local_rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    assert remote_rows and remote_rows == local_rows


def test_rest_over_the_remote_store(remote_client, client):
    remote_items = remote_client.get("/actors/市场监管/obligations").json()["items"]
    assert remote_items and remote_items == client.get("/actors/市场监管/obligations").json()["items"]


def test_remote_query_time_limit(remote_client):
    started = time.monotonic()
    response = remote_client.get("/sparql", params={"query": CROSS_PRODUCT})
    assert response.status_code == 504
    # our limit (1.5 s) ended it, not the server's own (--timeout-s 5): room left for a busy machine
    assert time.monotonic() - started < 4.0


def test_service_is_refused_before_forwarding(remote_client):
    response = remote_client.get("/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert response.status_code == 403
