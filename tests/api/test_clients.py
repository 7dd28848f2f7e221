"""Real SPARQL clients against a running server give the same answers as the store queried directly."""
from __future__ import annotations

import csv
import io
import subprocess
import sys
import time
from collections import Counter

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, XML, SPARQLWrapper

from dutygraph.api.app import create_app
from tests.api.conftest import FIXTURE, TOKEN, ServerThread, free_port

WHO_MUST_DO_WHAT = """PREFIX dg: <https://w3id.org/dutygraph/ns#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?actor ?modality ?action ?object ?article WHERE {
  ?ob dg:actor ?a ; dg:modality ?modality ; dg:action ?action ; dg:object ?object ; dg:authority ?p .
  ?a skos:prefLabel ?actor .
  FILTER(?a = <https://w3id.org/dutygraph/id/actor/market-regulation-department>)
  OPTIONAL { ?p eli:is_part_of* ?art . ?art dg:articleNumber ?article }
}"""
CONSTRUCT = """PREFIX dg: <https://w3id.org/dutygraph/ns#>
CONSTRUCT { ?ob dg:action ?action ; dg:modality ?m } WHERE { ?ob dg:action ?action ; dg:modality ?m }"""
VARIABLES = ("actor", "modality", "action", "object", "article")


@pytest.fixture(scope="module")
def server(fixture_store):
    with ServerThread(create_app(fixture_store, workers=2)) as running:
        yield running


@pytest.fixture(scope="module")
def expected(fixture_store) -> Counter:
    rows = fixture_store.query(WHO_MUST_DO_WHAT, use_default_graph_as_union=True)
    answer = Counter(tuple(row[name].value if row[name] is not None else "" for name in VARIABLES) for row in rows)
    assert answer
    return answer


def wrapper(server, return_format) -> SPARQLWrapper:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(WHO_MUST_DO_WHAT)
    client.setReturnFormat(return_format)
    return client


def test_sparqlwrapper_json(server, expected):
    bindings = wrapper(server, JSON).queryAndConvert()["results"]["bindings"]
    assert Counter(tuple(row.get(name, {}).get("value", "") for name in VARIABLES) for row in bindings) == expected


def test_sparqlwrapper_xml(server, expected):
    document = wrapper(server, XML).queryAndConvert()
    rows = []
    for result in document.getElementsByTagName("result"):
        values = {binding.getAttribute("name"): binding.firstChild.firstChild.data if binding.firstChild.firstChild else ""
                  for binding in result.getElementsByTagName("binding")}
        rows.append(tuple(values.get(name, "") for name in VARIABLES))
    assert Counter(rows) == expected


def test_sparqlwrapper_csv(server, expected):
    text = wrapper(server, CSV).queryAndConvert().decode("utf-8")
    rows = csv.DictReader(io.StringIO(text))
    assert Counter(tuple(row[name] for name in VARIABLES) for row in rows) == expected


def test_rdflib_sparqlstore_select(server, expected):
    graph = Graph(SPARQLStore(server.url + "/sparql"))
    rows = graph.query(WHO_MUST_DO_WHAT)
    assert Counter(tuple(str(row[name]) if row[name] is not None else "" for name in VARIABLES) for row in rows) == expected


def test_rdflib_sparqlstore_construct(server, fixture_store):
    remote = Graph(SPARQLStore(server.url + "/sparql")).query(CONSTRUCT).graph
    local = Graph().parse(data=ox.serialize(fixture_store.query(CONSTRUCT, use_default_graph_as_union=True),
                                            format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    assert len(local) > 0
    assert isomorphic(remote, local)


def test_dutygraph_serve_on_a_store_folder(tmp_path, expected):
    folder = tmp_path / "store"
    store = ox.Store(str(folder))
    store.load(path=str(FIXTURE), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    port = free_port()
    command = [sys.executable, "-m", "dutygraph", "serve", "--store", str(folder), "--port", str(port),
               "--update-token", TOKEN, "--workers", "2", "--query-timeout", "5"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = httpx.get(url, params={"query": WHO_MUST_DO_WHAT}, timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and process.poll() is None, process.stderr.read()
                time.sleep(0.2)
        rows = answer.json()["results"]["bindings"]
        assert Counter(tuple(row.get(name, {}).get("value", "") for name in VARIABLES) for row in rows) == expected
        update = "INSERT DATA { GRAPH <http://example/new> { <http://example/s> <http://example/p> 1 } }"
        refused = httpx.post(url, content=update, headers={"content-type": "application/sparql-update"})
        assert refused.status_code == 403
        done = httpx.post(url, content=update, headers={"content-type": "application/sparql-update",
                                                        "authorization": f"Bearer {TOKEN}"})
        assert done.status_code == 204
        seen = httpx.get(url, params={"query": "ASK { <http://example/s> <http://example/p> 1 }"})
        assert seen.json()["boolean"] is True
    finally:
        process.terminate()
        process.wait(10)


def test_writes_to_the_folder_by_another_process_are_seen(tmp_path):
    from dutygraph.graph.store import open_store

    folder = tmp_path / "store"
    writer = ox.Store(str(folder))
    writer.load(path=str(FIXTURE), format=ox.RdfFormat.N_QUADS)
    writer.flush()
    served = open_store(str(folder), read_only=True)
    ask = {"query": "ASK { GRAPH <http://example/late> { ?s ?p ?o } }"}
    with TestClient(create_app(served, workers=1)) as client:
        assert client.get("/sparql", params=ask).json()["boolean"] is False
        writer.update("INSERT DATA { GRAPH <http://example/late> { <http://example/s> <http://example/p> 1 } }")
        writer.flush()
        deadline = time.monotonic() + 10
        while not client.get("/sparql", params=ask).json()["boolean"]:
            assert time.monotonic() < deadline, "the new graph never became visible"
            time.sleep(0.2)
