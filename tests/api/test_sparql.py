"""The /sparql endpoint beyond the W3C suite: every result format, negotiation, datasets, errors."""
from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from tests.api.conftest import TOKEN

SELECT = "SELECT ?s ?o WHERE { ?s <https://w3id.org/dutygraph/ns#articleNumber> ?o } ORDER BY ?s"
CONSTRUCT = "CONSTRUCT { ?s <https://w3id.org/dutygraph/ns#articleNumber> ?o } WHERE { ?s <https://w3id.org/dutygraph/ns#articleNumber> ?o }"
DOC = "https://w3id.org/dutygraph/id/doc/001_18aaf2e0bf01b38b"


def direct_solutions(store, query, **options) -> list[tuple]:
    return [tuple(term.value for term in row) for row in store.query(query, **options)]


def parsed_solutions(response) -> list[tuple]:
    media_type = response.headers["content-type"].split(";")[0]
    if media_type == "text/csv":  # lossy by design: plain strings, which is what the values are
        return [tuple(row) for row in csv.reader(io.StringIO(response.text))][1:]
    results = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.from_media_type(media_type))
    return [tuple(term.value for term in row) for row in results]


@pytest.mark.parametrize("accept, media_type", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    ("text/html, */*;q=0.8", "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    (None, "application/sparql-results+json"),
])
def test_select_in_each_result_format_equals_the_direct_answer(client, fixture_store, accept, media_type):
    headers = {"accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": SELECT}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    expected = direct_solutions(fixture_store, SELECT, use_default_graph_as_union=True)
    assert expected and parsed_solutions(response) == expected


@pytest.mark.parametrize("name, media_type", [
    ("turtle", "text/turtle"), ("ntriples", "application/n-triples"), ("nquads", "application/n-quads"),
    ("trig", "application/trig"), ("jsonld", "application/ld+json"), ("rdfxml", "application/rdf+xml"),
])
def test_construct_in_each_rdf_format_equals_the_direct_answer(client, fixture_store, name, media_type):
    expected = set(fixture_store.query(CONSTRUCT, use_default_graph_as_union=True))
    for response in (client.post("/sparql", data={"query": CONSTRUCT}, headers={"accept": media_type}),
                     client.get("/sparql", params={"query": CONSTRUCT, "format": name})):
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media_type
        triples = {quad.triple for quad in ox.parse(response.content, format=ox.RdfFormat.from_media_type(media_type))}
        assert expected and triples == expected


def test_describe_is_rdf(client):
    response = client.get("/sparql", params={"query": f"DESCRIBE <{DOC}>"})
    assert response.headers["content-type"].startswith("text/turtle")
    assert any(quad.subject == ox.NamedNode(DOC) for quad in ox.parse(response.content, format=ox.RdfFormat.TURTLE))


@pytest.mark.parametrize("query, accept", [(SELECT, "text/turtle"), (CONSTRUCT, "application/sparql-results+json"),
                                           ("ASK {}", "image/png")])
def test_unacceptable_accept_is_406(client, query, accept):
    response = client.get("/sparql", params={"query": query}, headers={"accept": accept})
    assert response.status_code == 406
    assert response.json()["error"] == "DG-A004"


def test_unknown_format_parameter_is_406(client):
    assert client.get("/sparql", params={"query": SELECT, "format": "yaml"}).status_code == 406


@pytest.mark.parametrize("content_type, body", [
    ("text/plain", b"ASK {}"),
    ("application/sparql-query; charset=ISO-8859-1", b"ASK {}"),
    ("application/sparql-query", "ASK { FILTER(\"é\" = \"é\") }".encode("latin-1")),
])
def test_bodies_that_are_not_utf8_sparql_are_415(client, content_type, body):
    response = client.post("/sparql", content=body, headers={"content-type": content_type})
    assert response.status_code == 415
    assert response.json()["error"] == "DG-A003"


@pytest.mark.parametrize("params", [
    {"query": "SELECT * WHERE { ?s ?p }"},
    {"query": "INSERT DATA { <http://a> <http://b> <http://c> }"},
    {"query": "ASK {}", "default-graph-uri": "not an iri>"},
])
def test_bad_queries_are_400(client, params):
    response = client.get("/sparql", params=params)
    assert response.status_code == 400
    assert response.json()["error"] in ("DG-A001", "DG-A002")


def test_default_graph_is_the_union_of_all_graphs(client, fixture_store):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    answer = client.get("/sparql", params={"query": query}).json()
    assert int(answer["results"]["bindings"][0]["n"]["value"]) == len(fixture_store)


def test_from_selects_one_graph_of_the_store(client, fixture_store):
    query = f"SELECT (COUNT(*) AS ?n) FROM <{DOC}> WHERE {{ ?s ?p ?o }}"
    answer = client.get("/sparql", params={"query": query}).json()
    expected = len(list(fixture_store.quads_for_pattern(None, None, None, ox.NamedNode(DOC))))
    assert 0 < int(answer["results"]["bindings"][0]["n"]["value"]) == expected < len(fixture_store)


def test_protocol_dataset_overrides_from(client):
    query = f"ASK FROM <{DOC}> WHERE {{ ?s ?p ?o }}"
    answer = client.get("/sparql", params={"query": query, "default-graph-uri": "http://example/empty"}).json()
    assert answer["boolean"] is False


def test_service_description(client):
    response = client.get("/sparql", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    triples = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoints = [quad.object.value for quad in triples if quad.predicate.value == sd + "endpoint"]
    assert endpoints == ["http://testserver/sparql"]
    languages = {quad.object.value for quad in triples if quad.predicate.value == sd + "supportedLanguage"}
    assert sd + "SPARQL11Query" in languages


def test_errors_are_coded_json(client):
    response = client.get("/sparql", params={"query": "ASK {"})
    body = json.loads(response.content)
    assert {"error", "message", "detail"} <= set(body)
    assert {"line", "column"} <= set(body)  # a parse error says where


def test_an_app_can_be_started_and_stopped_more_than_once(fixture_store):
    from fastapi.testclient import TestClient

    from dutygraph.api.app import create_app

    app = create_app(fixture_store, workers=1)
    for _ in range(2):
        with TestClient(app) as client:
            assert client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True
    assert app.state.settings.backend.pool.workers == []  # stopped with the app


@pytest.mark.parametrize("how", ["GET query string", "POST query string", "POST form body"])
def test_percent_encoded_bytes_that_are_not_utf8_are_415_like_raw_ones(client, how):
    encoded = "query=ASK%20%7B%20%3Fs%20%3Fp%20%22%FF%FE%22%20%7D"  # ASK { ?s ?p "\xff\xfe" }
    if how == "GET query string":
        response = client.get(f"/sparql?{encoded}")
    elif how == "POST query string":
        response = client.post(f"/sparql?{encoded}", content="", headers={"content-type": "application/x-www-form-urlencoded"})
    else:
        response = client.post("/sparql", content=encoded, headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    assert response.json()["error"] == "DG-A003"


def test_percent_encoded_utf8_is_read(client):
    response = client.get("/sparql?query=ASK%20%7B%20FILTER(%22%E4%B9%89%22%20%3D%20%22%E4%B9%89%22)%20%7D")
    assert response.status_code == 200 and response.json()["boolean"] is True


@pytest.mark.parametrize("query, expected", [("SELECT * { ?s ?p ?o } LIMIT 1", "text/csv"),
                                             ("ASK {}", "text/csv"),
                                             ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "text/turtle")])
def test_a_text_wildcard_gets_a_text_format(client, query, expected):
    response = client.get("/sparql", params={"query": query}, headers={"accept": "text/*"})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected


@pytest.mark.parametrize("update", ["DROP GRAPH <http://example/never-there>",
                                    "CREATE GRAPH <http://example/twice> ; CREATE GRAPH <http://example/twice>"])
def test_updates_the_engine_cannot_apply_are_coded_errors(client, update):
    response = client.post("/sparql", content=update, headers={
        "content-type": "application/sparql-update", "authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"] == "DG-A019"
