"""The Graph Store HTTP Protocol at /store: reads for everyone, writes with the token."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from dutygraph.api.app import create_app
from tests.api.conftest import TOKEN

GRAPH = "http://example.org/person/1"
JOHN = f'<{GRAPH}> a <http://xmlns.com/foaf/0.1/Person> ; <http://xmlns.com/foaf/0.1/name> "John Doe" .'
JANE = f'<{GRAPH}> <http://xmlns.com/foaf/0.1/name> "Jane Doe" ; <http://xmlns.com/foaf/0.1/knows> [ <http://xmlns.com/foaf/0.1/name> "Kim" ] .'
AUTH = {"authorization": f"Bearer {TOKEN}"}
TURTLE = {"content-type": "text/turtle; charset=utf-8"}


@pytest.fixture
def store_client():
    store = ox.Store()
    with TestClient(create_app(store, update_token=TOKEN, workers=1)) as client:
        yield client, store


def triples(text: bytes | str, format=ox.RdfFormat.TURTLE) -> set:
    return {quad.triple for quad in ox.parse(text.encode() if isinstance(text, str) else text, format=format)}


def graph_of(store, graph: str) -> set:
    return {quad.triple for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}



def _canonical(triples_: set) -> ox.Dataset:
    dataset = ox.Dataset(ox.Quad(*t) for t in triples_)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return dataset


def test_put_get_post_delete(store_client):
    client, store = store_client
    params = {"graph": GRAPH}
    assert client.put("/store", params=params, content=JOHN, headers={**TURTLE, **AUTH}).status_code == 201
    assert graph_of(store, GRAPH) == triples(JOHN)
    answer = client.get("/store", params=params, headers={"accept": "application/n-triples"})
    assert answer.status_code == 200 and triples(answer.content, ox.RdfFormat.N_TRIPLES) == triples(JOHN)
    assert client.put("/store", params=params, content=JANE, headers={**TURTLE, **AUTH}).status_code == 204
    assert _canonical(graph_of(store, GRAPH)) == _canonical(triples(JANE))
    assert client.post("/store", params=params, content=JOHN, headers={**TURTLE, **AUTH}).status_code == 204
    assert _canonical(graph_of(store, GRAPH)) == _canonical(triples(JANE) | triples(JOHN))
    head = client.head("/store", params=params)
    assert head.status_code == 200 and head.content == b""
    assert client.delete("/store", params=params, headers=AUTH).status_code == 204
    assert graph_of(store, GRAPH) == set()
    assert client.get("/store", params=params).status_code == 404
    assert client.delete("/store", params=params, headers=AUTH).status_code == 404


def test_default_graph(store_client):
    client, store = store_client
    assert client.put("/store", params={"default": ""}, content=JOHN, headers={**TURTLE, **AUTH}).status_code == 204
    assert {quad.triple for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph())} == triples(JOHN)
    answer = client.get("/store", params={"default": ""})
    assert answer.headers["content-type"].startswith("text/turtle") and triples(answer.content) == triples(JOHN)


@pytest.mark.parametrize("method", ["put", "post"])
def test_writes_without_the_token_are_forbidden(store_client, method):
    client, store = store_client
    response = getattr(client, method)("/store", params={"graph": GRAPH}, content=JOHN, headers=TURTLE)
    assert response.status_code == 403
    assert client.delete("/store", params={"graph": GRAPH}).status_code == 403
    assert len(store) == 0


@pytest.mark.parametrize("headers, body, status", [
    ({"content-type": "image/png"}, JOHN, 415),
    ({"content-type": "text/turtle; charset=latin-1"}, JOHN, 415),
    (TURTLE, "<a> <b> .", 400),
])
def test_bad_bodies(store_client, headers, body, status):
    client, store = store_client
    assert client.put("/store", params={"graph": GRAPH}, content=body, headers={**headers, **AUTH}).status_code == status
    assert len(store) == 0


def test_graph_must_be_named_exactly_once(store_client):
    client, _ = store_client
    assert client.get("/store").status_code == 400
    assert client.get("/store", params={"graph": GRAPH, "default": ""}).status_code == 400
