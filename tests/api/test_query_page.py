"""The query page offers docs/queries/, runs each on the seeds, and shows a parse error where the user wrote it.

Positions are compared with the engine's own on the very text the user typed, never written down here.
"""
from __future__ import annotations

from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from dutygraph.api.app import create_app
from dutygraph.api.safety import parse
from dutygraph.errors import DutygraphError
from dutygraph.graph.query import syntax_position
from tests.api.conftest import ServerThread
from tests.exports.test_browser import chromium, rendered  # noqa: F401 (chromium is a fixture)
from tests.shared import PROJECT

QUERIES = sorted((PROJECT / "docs" / "queries").glob("*.rq"))
# Line 3 has the mistake (an operator without its right-hand side); the text declares its prefix.
BROKEN = """PREFIX dg: <https://w3id.org/dutygraph/ns#>
SELECT ?ob WHERE {
  ?ob dg:modality ?m FILTER(?m = )
}"""


def engine_position(text: str):
    """Where the endpoint's own parser (the request guard reads every query first) finds the error."""
    with pytest.raises(DutygraphError) as raised:
        parse(text, update=False)
    return syntax_position(raised.value.problem.detail)


@pytest.fixture(scope="module")
def server(chinese_named_store):
    with ServerThread(create_app(chinese_named_store, workers=2)) as running:
        yield running.url


def test_the_endpoint_answers_a_parse_error_with_line_and_column(chinese_named_store):
    expected = engine_position(BROKEN)
    with TestClient(create_app(chinese_named_store, workers=1)) as client:
        body = client.post("/sparql", data={"query": BROKEN}).json()
    assert body["error"] == "DG-A001"
    assert (body["line"], body["column"]) == (expected.line, expected.column)
    assert len(body["detail"]) < 80  # a short message, not the engine's list of every keyword


def test_the_page_offers_every_query_of_docs_queries(chromium, tmp_path, server):  # noqa: F811
    page, markup = rendered(chromium, tmp_path, f"{server}/query")
    assert page.body.get("data-state") == "ready"
    offered = markup.split('id="examples"', 1)[1].split("</select>", 1)[0].count("<option")
    assert offered == len(QUERIES)
    titles = [next(line.lstrip("# ") for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
              for path in QUERIES]
    assert all(title in page.by_id["examples"] for title in titles)


@pytest.mark.parametrize("path", QUERIES, ids=lambda path: path.stem)
def test_each_offered_query_runs_on_the_page(chromium, tmp_path, server, path):  # noqa: F811
    page, _ = rendered(chromium, tmp_path, f"{server}/query?{urlencode({'example': path.stem, 'run': ''})}")
    assert page.body.get("data-state") == "answered", page.by_id.get("query-error")


def test_the_page_shows_a_parse_error_at_the_users_line_and_column(chromium, tmp_path, server):  # noqa: F811
    expected = engine_position(BROKEN)
    page, _ = rendered(chromium, tmp_path, f"{server}/query?{urlencode({'query': BROKEN, 'run': ''})}")
    assert page.body.get("data-state") == "error"
    assert f"第 {expected.line} 行，第 {expected.column} 列" in page.by_id["query-error"]
