"""Former agency names (机构改革): lookups show who took over, and can include the predecessors' duties.

The succession is data (dcterms:isReplacedBy in ontology/actors.ttl); the expected answers are read
from the store with SPARQL.
"""
from __future__ import annotations

from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from dutygraph.api.app import create_app
from tests.api.conftest import ServerThread
from tests.exports.test_browser import chromium, rendered  # noqa: F401 (chromium is a fixture)
from tests.graph.seedstore import seed_store

MARKET = "https://w3id.org/dutygraph/id/actor/market-regulation-department"
SUCCESSION = """PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?former ?name ?successor WHERE { ?former dcterms:isReplacedBy ?successor ; skos:prefLabel ?name }"""


def obligations_of(store, actors) -> set[str]:
    values = " ".join(f"<{actor}>" for actor in actors)
    query = f"SELECT ?ob WHERE {{ VALUES ?a {{ {values} }} ?ob <https://w3id.org/dutygraph/ns#actor> ?a }}"
    return {row["ob"].value for row in store.query(query)}


@pytest.fixture(scope="module")
def seeds():
    return seed_store()


@pytest.fixture(scope="module")
def formers(seeds) -> dict[str, str]:
    """former actor IRI → its preferred name, for the agencies market regulation took over."""
    found = {row["former"].value: row["name"].value for row in seeds.query(SUCCESSION) if row["successor"].value == MARKET}
    assert len(found) >= 2  # 工商行政管理部门 and 质量技术监督部门
    return found


@pytest.fixture(scope="module")
def client(seeds):
    with TestClient(create_app(seeds, workers=1)) as test_client:
        yield test_client


def test_a_former_agency_names_its_successor(client, formers):
    for former, name in formers.items():
        answer = client.get(f"/actors/{name}/obligations").json()
        assert answer["actor"]["iri"] == former
        assert [successor["iri"] for successor in answer["actor"]["replaced_by"]] == [MARKET]


def test_the_successor_lists_its_predecessors_everywhere(client, formers):
    answer = client.get("/actors/市场监管/obligations").json()
    assert {former["iri"] for former in answer["actor"]["replaces"]} == set(formers)
    listed = next(actor for actor in client.get("/actors").json() if actor["iri"] == MARKET)
    assert {former["iri"] for former in listed["replaces"]} == set(formers)


def test_predecessors_duties_are_included_on_request(client, seeds, formers):
    own = obligations_of(seeds, [MARKET])
    inherited = obligations_of(seeds, formers)
    assert inherited  # a seed still names 质量技术监督部门
    alone = client.get("/actors/市场监督管理部门/obligations", params={"limit": 1000}).json()
    both = client.get("/actors/市场监督管理部门/obligations", params={"limit": 1000, "include": "predecessors"}).json()
    assert {item["obligation"] for item in alone["items"]} == own
    assert {item["obligation"] for item in both["items"]} == own | inherited
    assert {actor["iri"] for actor in both["actor"]["included"]} == set(formers)


def test_an_unknown_include_is_refused_with_the_allowed_value(client):
    response = client.get("/actors/市场监督管理部门/obligations", params={"include": "successors"})
    assert response.status_code == 400 and response.json()["error"] == "DG-G053"
    assert "predecessors" in response.json()["detail"]


@pytest.fixture(scope="module")
def server(seeds):
    with ServerThread(create_app(seeds, workers=1)) as running:
        yield running.url


def test_the_home_page_shows_the_succession_and_includes_predecessors(chromium, tmp_path, server, seeds,  # noqa: F811
                                                                      formers):
    former_name = next(iter(formers.values()))
    page, _ = rendered(chromium, tmp_path, f"{server}/?{urlencode({'actor': former_name})}")
    assert page.body.get("data-state") == "done"
    assert "市场监督管理部门" in page.by_id["succession"]
    expected = obligations_of(seeds, [MARKET, *formers])
    page, _ = rendered(chromium, tmp_path, f"{server}/?{urlencode({'actor': '市场监督管理部门', 'include': 'predecessors'})}")
    assert int(page.body["data-count"]) == len(expected)
    assert all(name in page.by_id["succession"] for name in formers.values())
