"""A filter value the store does not know is refused the same way in REST and in the exports, with
the allowed values; jurisdictions follow one convention (national instruments are 全国) with both labels.
"""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from dutygraph.api.app import create_app
from dutygraph.model import MODALITIES

JURISDICTION_LABELS = """PREFIX dg: <https://w3id.org/dutygraph/ns#> PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?place ?zh ?en WHERE {
  ?instrument dg:jurisdictionName ?place ; eli:jurisdiction ?concept .
  OPTIONAL { ?concept skos:prefLabel ?zh } OPTIONAL { ?concept rdfs:label ?en FILTER(LANG(?en) = "en") } }"""
LOOKUP = "/actors/人民政府/obligations"
EXPORT = "/export/cytoscape"


@pytest.fixture(scope="module")
def client(chinese_named_store):
    with TestClient(create_app(chinese_named_store, workers=1)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def places(chinese_named_store) -> dict[str, tuple[str, str]]:
    """jurisdiction name → (its concept's Chinese label, its English label), from the store."""
    return {row["place"].value: (row["zh"].value if row["zh"] else "", row["en"].value if row["en"] else "")
            for row in chinese_named_store.query(JURISDICTION_LABELS)}


def refused(response, code: str) -> str:
    assert response.status_code == 400, response.text
    assert response.json()["error"] == code
    return response.json()["detail"]


@pytest.mark.parametrize("route", [LOOKUP, EXPORT])
def test_an_unknown_modality_is_refused_with_every_allowed_one(client, route):
    detail = refused(client.get(route, params={"modality": "禁令"}), "DG-G052")
    assert all(name in detail for name in MODALITIES)


@pytest.mark.parametrize("route", [LOOKUP, EXPORT])
def test_an_unknown_jurisdiction_is_refused_with_the_stores_ones(client, route, places):
    detail = refused(client.get(route, params={"jurisdiction": "火星省"}), "DG-G053")
    assert all(place in detail for place in places)


@pytest.mark.parametrize("field", ["instrument", "level"])
def test_an_unknown_instrument_or_level_is_refused(client, field):
    detail = refused(client.get(LOOKUP, params={field: "没有这个"}), "DG-G053")
    assert field in detail


def test_a_modality_by_its_chinese_label_is_the_modality(client):
    by_label = client.get(LOOKUP, params={"modality": "鼓励", "limit": 1000}).json()["items"]
    by_name = client.get(LOOKUP, params={"modality": "Encouragement", "limit": 1000}).json()["items"]
    assert by_label == by_name and by_label


def test_national_and_provincial_instruments_share_one_convention_with_both_labels(client, places):
    assert "national" not in places  # one convention: Chinese names, national instruments are 全国
    national = [place for place, (_, english) in places.items() if english == "national"]
    assert national == ["全国"]
    for item in client.get("/instruments").json():
        zh, en = places[item["jurisdiction"]]
        assert item["jurisdiction"] == zh and item["jurisdiction_en"] == en and en


@pytest.mark.parametrize("route", [LOOKUP, EXPORT])
def test_a_jurisdiction_by_its_english_label_is_the_jurisdiction(client, route, places):
    for place, (_, english) in places.items():
        by_name = client.get(route, params={"jurisdiction": place, "limit": 1000})
        by_english = client.get(route, params={"jurisdiction": english.upper(), "limit": 1000})
        assert by_name.status_code == by_english.status_code == 200
        assert by_name.json() == by_english.json()
