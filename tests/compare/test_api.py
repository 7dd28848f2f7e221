"""/compare, /matrix, /versions and the enforcement fields of REST answers, over a real store."""
from __future__ import annotations

import csv
import io

from dutygraph.graph.compare import STATUSES
from dutygraph.graph.comparison import compare
from dutygraph.graph.rows import store_rows
from tests.compare.conftest import NEW, OLD, SEEDS

PAIRS = """PREFIX dg: <https://w3id.org/dutygraph/ns#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?sanction ?duty ?name ?doc WHERE { ?sanction dg:enforcesObligation ?duty .
  ?duty dg:actor/skos:prefLabel ?name ; prov:wasDerivedFrom ?doc }"""
UNITS_WITH_ACTOR = """PREFIX dg: <https://w3id.org/dutygraph/ns#>
SELECT (COUNT(DISTINCT ?ob) AS ?n) WHERE { ?ob a dg:Obligation ; dg:actor ?actor }"""


def test_rest_answers_what_the_command_answers(compare_client, compare_store):
    answer = compare_client.get("/compare", params={"a": OLD, "b": NEW})
    assert answer.status_code == 200
    assert answer.json() == compare(store_rows(compare_store), OLD, NEW)
    body = answer.json()
    assert body["summary"] == {status: sum(row["status"] == status for row in body["rows"]) for status in STATUSES}
    assert {row["status"] for row in body["rows"]} >= {"same", "only_in_a", "only_in_b"}


def test_status_and_actor_filters(compare_client):
    only_new = compare_client.get("/compare", params={"a": OLD, "b": NEW, "status": "only_in_b"}).json()
    assert only_new["rows"] and {row["status"] for row in only_new["rows"]} == {"only_in_b"}
    everything = compare_client.get("/compare", params={"a": OLD, "b": NEW}).json()
    assert len(only_new["rows"]) == everything["summary"]["only_in_b"]
    actor = compare_client.get("/compare", params={"a": OLD, "b": NEW, "actor": "农业农村部门"}).json()
    assert actor["rows"] and all("农业农村部门" in (row["a"] or {}).get("actor", "") + (row["b"] or {}).get("actor", "")
                                 for row in actor["rows"])
    assert compare_client.get("/compare", params={"a": OLD, "b": NEW, "status": "gone"}).json()["error"] == "DG-C007"


def test_references_that_name_no_single_stored_instrument(compare_client):
    ambiguous = compare_client.get("/compare", params={"a": "中华人民共和国农产品质量安全法", "b": NEW})
    assert ambiguous.status_code == 409 and ambiguous.json()["error"] == "DG-C006"
    assert OLD in ambiguous.json()["detail"] and NEW in ambiguous.json()["detail"]
    unknown = compare_client.get("/compare", params={"a": "no-such-law", "b": NEW})
    assert unknown.status_code == 404 and unknown.json()["error"] == "DG-C005"
    # a path on the server's disk is never read on a request's behalf
    on_disk = compare_client.get("/compare", params={"a": str(SEEDS / "001_18aaf2e0bf01b38b.txt"), "b": NEW})
    assert on_disk.status_code == 404 and on_disk.json()["error"] == "DG-C005"


def test_compare_as_csv(compare_client):
    answer = compare_client.get("/compare", params={"a": "000_1c62b5ba5ae13ae9", "b": "002_5fcfdeced73421af", "format": "csv"})
    lines = list(csv.DictReader(io.StringIO(answer.text)))
    json_rows = compare_client.get("/compare", params={"a": "000_1c62b5ba5ae13ae9", "b": "002_5fcfdeced73421af"}).json()["rows"]
    assert [line["status"] for line in lines] == [row["status"] for row in json_rows]
    assert {"a_sentence", "b_sentence", "a_article", "b_section"} <= set(lines[0])


def test_matrix_cells_add_up_and_link_to_their_units(compare_client, compare_store):
    result = compare_client.get("/matrix").json()
    total = int(next(iter(compare_store.query(UNITS_WITH_ACTOR)))["n"].value)
    assert sum(cell["count"] for cell in result["cells"]) == total
    assert set(result["columns"]) == {cell["column"] for cell in result["cells"]}
    for cell in result["cells"][:5]:
        units = compare_client.get(cell["link"]).json()
        assert units["total"] == cell["count"], cell
    by_instrument = compare_client.get("/matrix", params={"by": "instrument", "modality": "Prohibition"}).json()
    assert {cell["modality"] for cell in by_instrument["cells"]} == {"Prohibition"}
    assert OLD in by_instrument["columns"]
    lines = list(csv.reader(io.StringIO(compare_client.get("/matrix", params={"format": "csv"}).text)))
    assert lines[0] == ["actor", "jurisdiction", "modality", "count"] and len(lines) == len(result["cells"]) + 1


def test_versions_link_to_the_comparison_with_the_previous_one(compare_client):
    versions = compare_client.get(f"/versions/{NEW}").json()["versions"]
    assert [version["id"] for version in versions] == [OLD, NEW]  # oldest first
    assert versions[0]["compare"] is None and versions[1]["previous"] == OLD
    compared = compare_client.get(versions[1]["compare"]).json()
    assert (compared["a"]["id"], compared["b"]["id"]) == (OLD, NEW)


def test_rest_items_say_which_sanction_enforces_them(compare_client, compare_store):
    pairs = [(row["sanction"].value, row["duty"].value, row["name"].value, row["doc"].value)
             for row in compare_store.query(PAIRS)]
    assert pairs
    sanction, duty, name, doc = pairs[0]
    items = compare_client.get(f"/actors/{name}/obligations", params={"instrument": doc, "limit": 1000}).json()["items"]
    [item] = [item for item in items if item["obligation"] == duty]
    assert item["enforced"] and sanction in [by["obligation"] for by in item["enforced_by"]]
    assert all(by["penalties"] for by in item["enforced_by"])
