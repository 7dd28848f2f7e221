"""REST lookup of duties, checked against the same store queried directly with SPARQL."""
from __future__ import annotations

import csv
import io
from collections import Counter

import pytest

DG = "https://w3id.org/dutygraph/ns#"
MARKET = "https://w3id.org/dutygraph/id/actor/market-regulation-department"
PREFIXES = """PREFIX dg: <https://w3id.org/dutygraph/ns#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def direct(store, query: str) -> list:
    return list(store.query(PREFIXES + query, use_default_graph_as_union=True))


def obligations_of(store, pref_label: str) -> set[str]:
    rows = direct(store, f'SELECT ?ob WHERE {{ ?ob dg:actor ?a . ?a skos:prefLabel "{pref_label}"@zh-Hans }}')
    return {row["ob"].value for row in rows}


def listed(client, name: str, **params) -> list[dict]:
    response = client.get(f"/actors/{name}/obligations", params={"limit": 1000, **params})
    assert response.status_code == 200, response.text
    return response.json()["items"]


@pytest.mark.parametrize("name", [
    "市场监督管理部门",  # simplified, the preferred label
    "市場監督管理部門",  # traditional
    "市场监管",  # abbreviation
    "market regulation department",  # English
    "Market Regulation Department",
    MARKET,  # the IRI
    "market-regulation-department",  # the IRI's key
])
def test_any_form_of_a_name_gives_the_sparql_answer(client, fixture_store, name):
    expected = obligations_of(fixture_store, "市场监督管理部门")
    assert expected  # the fixture has this actor's duties
    assert {item["obligation"] for item in listed(client, name)} == expected


def test_items_carry_sentence_article_instrument_and_link(client, fixture_store):
    rows = direct(fixture_store, f"""SELECT ?ob ?sentence ?number ?doc WHERE {{
        ?ob dg:actor <{MARKET}> ; dg:sentence ?sentence ; dg:authority ?p .
        ?p eli:is_part_of* ?art . ?art dg:articleNumber ?number . ?p eli:is_part_of* ?doc . ?doc a dg:Instrument }}""")
    expected = {row["ob"].value: (row["sentence"].value, int(row["number"].value), row["doc"].value) for row in rows}
    items = {item["obligation"]: item for item in listed(client, "市场监管")}
    assert set(expected) <= set(items)
    for iri, (sentence, article, doc) in expected.items():
        item = items[iri]
        assert (item["sentence"], item["article"], item["instrument"]["iri"]) == (sentence, article, doc)
        assert item["instrument"]["title"]
        assert client.get(item["link"]).status_code == 200


@pytest.mark.parametrize("field, value", [("modality", "Duty"), ("modality", "encouragement"),
                                          ("jurisdiction", "湖北省"), ("jurisdiction", "四川省"),
                                          ("level", "县级以上"), ("instrument", "001_18aaf2e0bf01b38b")])
def test_filters_keep_exactly_the_matching_items(client, field, value):
    everything = listed(client, "人民政府")
    kept = listed(client, "人民政府", **{field: value})

    def matches(item):
        if field == "modality":
            return item["modality"].lower() == value.lower()
        if field in ("jurisdiction", "instrument"):
            return item["instrument"]["jurisdiction" if field == "jurisdiction" else "id"] == value
        return item["level"] == value

    assert kept
    assert kept == [item for item in everything if matches(item)]


def test_filter_in_traditional_script(client):
    simplified = listed(client, "人民政府", level="县级以上")
    assert simplified and listed(client, "人民政府", level="縣級以上") == simplified


def test_pagination_walks_the_whole_list(client):
    whole = client.get("/actors/人民政府/obligations", params={"limit": 1000}).json()
    pages, offset = [], 0
    while offset < whole["total"]:
        page = client.get("/actors/人民政府/obligations", params={"limit": 7, "offset": offset}).json()
        assert page["total"] == whole["total"] and len(page["items"]) <= 7
        pages += page["items"]
        offset += 7
    assert pages == whole["items"]
    assert whole["total"] == len(whole["items"]) > 7


def test_csv_by_parameter_and_by_accept_lists_the_same_obligations(client):
    expected = [item["obligation"] for item in listed(client, "企业")]
    by_parameter = client.get("/actors/企业/obligations", params={"format": "csv", "limit": 1000})
    by_accept = client.get("/actors/企业/obligations", params={"limit": 1000}, headers={"accept": "text/csv"})
    for response in (by_parameter, by_accept):
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert [row["obligation"] for row in rows] == expected
        assert all(row["sentence"] and row["instrument_title"] for row in rows)


def test_unknown_actor_is_404_with_the_closest_actors(client):
    response = client.get("/actors/市场监督部门/obligations")
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "DG-A012"
    assert body["closest"][0]["iri"] == MARKET


def test_actor_list_counts_match_sparql(client, fixture_store):
    rows = direct(fixture_store, "SELECT ?a (COUNT(DISTINCT ?ob) AS ?n) WHERE { ?ob dg:actor ?a } GROUP BY ?a")
    expected = {row["a"].value: int(row["n"].value) for row in rows}
    actors = client.get("/actors").json()
    assert {actor["iri"]: actor["obligations"] for actor in actors if actor["obligations"]} == expected
    market = next(actor for actor in actors if actor["iri"] == MARKET)
    assert (market["name"], market["english"]) == ("市场监督管理部门", "market regulation department")
    assert client.get(market["link"]).status_code == 200


def test_instruments_list_with_counts_by_modality(client, fixture_store):
    rows = direct(fixture_store, """SELECT ?doc ?m WHERE { ?ob a dg:Obligation ; dg:modality ?m ; dg:authority ?p .
        ?p eli:is_part_of* ?doc . ?doc a dg:Instrument }""")
    expected: dict[str, Counter] = {}
    for row in rows:
        expected.setdefault(row["doc"].value, Counter())[row["m"].value.removeprefix(DG)] += 1
    instruments = client.get("/instruments").json()
    assert {item["iri"]: Counter(item["by_modality"]) for item in instruments} == expected
    assert all(item["title"] and item["jurisdiction"] for item in instruments)


def test_one_instrument_with_its_articles(client, fixture_store):
    body = client.get("/instruments/001_18aaf2e0bf01b38b").json()
    rows = direct(fixture_store, """SELECT ?n WHERE { ?a eli:is_part_of <https://w3id.org/dutygraph/id/doc/001_18aaf2e0bf01b38b> ;
        dg:articleNumber ?n }""")
    assert [article["article"] for article in body["articles"]] == sorted(int(row["n"].value) for row in rows)
    assert body["title"] == "湖北省质量促进条例（草案）"
    assert client.get("/instruments/no-such-document").status_code == 404


def test_provision_lists_every_obligation_under_it(client, fixture_store):
    article = "https://w3id.org/dutygraph/id/doc/001_18aaf2e0bf01b38b/art/4"
    rows = direct(fixture_store, f"SELECT ?ob WHERE {{ ?ob dg:authority ?p . ?p eli:is_part_of* <{article}> }}")
    body = client.get("/provisions/001_18aaf2e0bf01b38b/art/4").json()
    assert {item["obligation"] for item in body["obligations"]} == {row["ob"].value for row in rows}
    assert body["article"] == 4
    assert {child["link"] for child in body["children"]} >= {"/provisions/001_18aaf2e0bf01b38b/art/4/para/1"}
    assert client.get("/provisions/001_18aaf2e0bf01b38b/art/999").status_code == 404


def test_openapi_documents_the_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/sparql", "/actors", "/actors/{name}/obligations", "/instruments", "/provisions/{provision_id}"} <= set(paths)
    assert client.get("/docs").status_code == 200
