"""The W3C SPARQL 1.1 Protocol tests (tests/data/w3c/sparql11-protocol/manifest.ttl), played in order.

Each manifest entry lists HTTP requests (method, path, headers, body with its character
encoding) and what each response must be (status class, result format, boolean). The runner
derives everything from those entries; the graph data of an entry (ut:graphData, labelled with
the graph IRI) is loaded into named graphs of a fresh store first.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from dutygraph.api.app import create_app
from tests.api.conftest import TOKEN
from tests.shared import DATA

SUITE = DATA / "w3c" / "sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
STATUS_CLASSES = {
    "http://www.w3.org/2011/http-statusCodes#StatusCode2xx": 2,
    "http://www.w3.org/2011/http-statusCodes#StatusCode3xx": 3,
    "http://www.w3.org/2011/http-statusCodes#StatusCode4xx": 4,
}
# The manifest's result-format words (prose in its header comment) → media types that fit them.
FORMAT_MEDIA_TYPES = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {"application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"},
    "RDF": {"text/turtle", "application/n-triples", "application/rdf+xml", "application/n-quads", "application/trig", "application/ld+json"},
}
ENDPOINT_PREFIX = "/sparql/"


@dataclass(frozen=True)
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[int]
    result_format: str | None
    boolean: bool | None

    @property
    def is_update(self) -> bool:
        content_type = self.headers.get("content-type", "")
        return content_type.startswith("application/sparql-update") or (
            content_type == "application/x-www-form-urlencoded" and (self.body or b"").startswith(b"update=")
        )


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    graphs: tuple[tuple[str, str], ...]  # (graph IRI, data file)
    steps: tuple[Step, ...]


def read_list(graph: Graph, head) -> list:
    return list(Collection(graph, head)) if head is not None else []


def read_step(graph: Graph, request) -> Step:
    headers = {
        str(graph.value(header, HT.fieldName)).lower(): str(graph.value(header, HT.fieldValue))
        for header in read_list(graph, graph.value(request, HT.headers))
    }
    body_node = graph.value(request, HT.body)
    body = None
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding)
    response = graph.value(request, HT.resp)
    expected_format = graph.value(response, MF.expectedFormat)
    expected_boolean = graph.value(response, MF.expectedBoolean)
    return Step(
        method=str(graph.value(request, HT.methodName)),
        path="/sparql" + str(graph.value(request, HT.absolutePath))[len(ENDPOINT_PREFIX):],
        headers=headers,
        body=body,
        statuses=frozenset(STATUS_CLASSES[str(status)] for status in graph.objects(response, MF.expectedStatus)),
        result_format=str(expected_format) if expected_format is not None else None,
        boolean=expected_boolean.toPython() if expected_boolean is not None else None,
    )


def read_manifest() -> list[ProtocolTest]:
    graph = Graph().parse(SUITE / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in read_list(graph, graph.value(manifest, MF.entries)):
        graphs = tuple(
            (str(graph.value(data, RDFS.label)), str(graph.value(data, UT.graph)).rsplit("/", 1)[-1])
            for data in graph.objects(entry, UT.graphData)
        )
        action = graph.value(entry, MF.action)
        steps = tuple(read_step(graph, request) for request in read_list(graph, graph.value(action, HT.requests)))
        tests.append(ProtocolTest(str(entry).rsplit("#", 1)[-1], graphs, steps))
    return tests


TESTS = read_manifest()


def store_with(graphs) -> ox.Store:
    store = ox.Store()
    for graph_iri, data_file in graphs:
        store.load(path=str(SUITE / data_file), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph_iri))
    return store


def send(client: TestClient, step: Step, authorization: str | None):
    headers = dict(step.headers)
    if authorization:
        headers["authorization"] = authorization
    return client.request(step.method, step.path, headers=headers, content=step.body)


def answer_boolean(response) -> bool:
    media_type = response.headers["content-type"].split(";")[0]
    if media_type == "application/sparql-results+json":
        return json.loads(response.content)["boolean"]
    element = ElementTree.fromstring(response.content).find("{http://www.w3.org/2005/sparql-results#}boolean")
    return element.text.strip() == "true"


def check_response(step: Step, response) -> None:
    assert response.status_code // 100 in step.statuses, (response.status_code, response.text[:500])
    if step.result_format:
        media_type = response.headers["content-type"].split(";")[0]
        assert media_type in FORMAT_MEDIA_TYPES[step.result_format], media_type
        if step.result_format == "RDF":
            list(ox.parse(response.content, format=ox.RdfFormat.from_media_type(media_type)))
        else:
            ox.parse_query_results(response.content, format=ox.QueryResultsFormat.from_media_type(media_type))
    if step.boolean is not None:
        assert answer_boolean(response) is step.boolean


@pytest.mark.parametrize("test", TESTS, ids=[test.name for test in TESTS])
def test_w3c_protocol(test: ProtocolTest):
    app = create_app(store_with(test.graphs), query_timeout=10, update_token=TOKEN, workers=1)
    with TestClient(app) as client:
        for step in test.steps:
            check_response(step, send(client, step, f"Bearer {TOKEN}"))


UPDATES = [test for test in TESTS if test.steps[0].is_update and 2 in test.steps[0].statuses]


@pytest.mark.parametrize("test", UPDATES, ids=[test.name for test in UPDATES])
@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", f"Basic {TOKEN}"])
def test_w3c_update_without_the_token_is_forbidden(test: ProtocolTest, authorization):
    store = store_with(test.graphs)
    before = set(store)
    app = create_app(store, query_timeout=10, update_token=TOKEN, workers=1)
    with TestClient(app) as client:
        response = send(client, test.steps[0], authorization)
    assert response.status_code == 403
    assert response.json()["error"] == "DG-A006"
    assert set(store) == before


def test_the_manifest_was_read_whole():
    names = {test.name for test in TESTS}
    assert len(TESTS) == 34
    assert {"query_post_form", "bad_update_dataset_conflict", "update_base_uri"} <= names
    assert all(test.steps for test in TESTS)
