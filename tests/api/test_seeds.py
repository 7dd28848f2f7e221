"""The whole pipeline under the API: the bundled seeds ingested, then looked up by any name."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from dutygraph.api.app import create_app
from dutygraph.graph.ingest import ingest_paths
from dutygraph.graph.store import open_store
from tests.shared import SEEDS

SPARQL = """PREFIX dg: <https://w3id.org/dutygraph/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?ob WHERE { ?ob dg:actor ?a . ?a skos:prefLabel "市场监督管理部门"@zh-Hans }"""


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("seeds") / "store")
    store = open_store(folder)
    report = ingest_paths([SEEDS], store, workers=1)
    assert report.ok
    store.close()
    return open_store(folder, read_only=True)


def test_three_forms_of_the_market_regulator_give_the_sparql_answer(seeded):
    expected = {row["ob"].value for row in seeded.query(SPARQL)}
    assert expected
    with TestClient(create_app(seeded, workers=2)) as client:
        for name in ("市场监督管理部门", "市場監督管理部門", "市场监管"):
            response = client.get(f"/actors/{name}/obligations", params={"limit": 1000})
            assert response.status_code == 200
            assert {item["obligation"] for item in response.json()["items"]} == expected
            sparql = client.get("/sparql", params={"query": SPARQL}).json()["results"]["bindings"]
            assert {row["ob"]["value"] for row in sparql} == expected
