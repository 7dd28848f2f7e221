"""GET /export/{format}: the right bytes, media type and file name; clear errors for bad requests."""
from __future__ import annotations

import io

import networkx as nx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from dutygraph.api.exports import CONCURRENT_EXPORTS, DOWNLOADS
from dutygraph.graph.netexport import RDF_FORMATS
from dutygraph.graph.views import build_view


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app) as test_client:
        yield test_client


@pytest.mark.parametrize("fmt", sorted(DOWNLOADS))
def test_every_format_answers_with_its_media_type_and_a_file_name(client, fmt):
    response = client.get(f"/export/{fmt}")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == DOWNLOADS[fmt].media_type
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith(f'.{DOWNLOADS[fmt].extension}"')
    assert response.content


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_rdf_downloads_parse_in_their_format(client, fmt):
    store = ox.Store()
    store.load(client.get(f"/export/{fmt}").content, format=RDF_FORMATS[fmt])
    assert len(store) > 0


def test_graphml_download_is_the_filtered_view(client, embedded_store):
    response = client.get("/export/graphml", params={"view": "actors", "actor": "市場監督管理部門"})
    graph = nx.read_graphml(io.BytesIO(response.content))
    expected = build_view(embedded_store, "actors", actor="市场监督管理部门")
    assert set(graph.nodes) == set(expected.nodes) and graph.number_of_nodes() > 0


def test_cytoscape_download_follows_the_modality_and_jurisdiction_filters(client, embedded_store):
    elements = client.get("/export/cytoscape", params={"modality": "Duty", "jurisdiction": "四川省"}).json()
    obligations = {n["data"]["id"] for n in elements["elements"]["nodes"] if n["data"]["kind"] == "obligation"}
    expected = {row["ob"].value for row in embedded_store.query("""
        PREFIX dg: <https://w3id.org/dutygraph/ns#> PREFIX eli: <http://data.europa.eu/eli/ontology#>
        SELECT ?ob WHERE { ?ob dg:modality dg:Duty ; dg:authority/eli:is_part_of* ?i .
                           ?i dg:jurisdictionName "四川省" }""")}
    assert obligations == expected and expected


def test_unknown_format_is_404_with_the_list_of_formats(client):
    response = client.get("/export/dot")
    assert response.status_code == 404
    assert set(response.json()["formats"]) == set(DOWNLOADS)


def test_unknown_actor_is_404_and_bad_view_or_modality_400(client):
    assert client.get("/export/graphml", params={"actor": "没有这个部门"}).status_code == 404
    assert client.get("/export/graphml", params={"view": "tree"}).status_code == 400
    assert client.get("/export/turtle", params={"modality": "Must"}).status_code == 400


def test_format_list(client):
    listing = client.get("/export").json()
    assert set(listing["formats"]) == set(DOWNLOADS)
    assert set(listing["network_formats"]) | set(listing["rdf_formats"]) == set(DOWNLOADS)


def test_exports_beyond_the_concurrency_limit_are_turned_away(client):
    taken = 0
    while CONCURRENT_EXPORTS.acquire(blocking=False):
        taken += 1
    try:
        response = client.get("/export/graphml")
    finally:
        for _ in range(taken):
            CONCURRENT_EXPORTS.release()
    assert response.status_code == 503 and response.json()["error"] == "DG-A011"
    assert client.get("/export/graphml").status_code == 200
