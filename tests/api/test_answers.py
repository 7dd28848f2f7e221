"""Answers kept for repeated queries: sent again without a worker while the store is unchanged, never
once it has changed, never for a query whose answer changes from run to run."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from dutygraph.api.answers import AnswerCache
from dutygraph.api.app import create_app
from tests.api.conftest import TOKEN, load_fixture

SELECT = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 3"
ELSEWHERE = "ASK { ?s ?p ?o }"
# Each gives another answer on every run over the same data.
FRESH_EACH_RUN = [
    "SELECT (NOW() AS ?t) WHERE {}",
    "SELECT (RAND() AS ?r) WHERE {}",
    "SELECT (UUID() AS ?u) WHERE {}",
    "SELECT (STRUUID() AS ?u) WHERE {}",
    "SELECT (BNODE() AS ?b) WHERE {}",
    "CONSTRUCT { [] <http://example/p> ?o } WHERE { ?s ?p ?o } LIMIT 1",
]


def stop_workers(app) -> None:
    """End every worker process, so only a kept answer can still be a 200."""
    for worker in app.state.settings.backend.pool.workers:
        worker.process.kill()
        worker.process.wait(10)


def test_a_repeated_query_is_answered_without_a_worker(fixture_store):
    app = create_app(fixture_store, workers=1)
    with TestClient(app) as client:
        first = client.get("/sparql", params={"query": SELECT})
        assert first.status_code == 200
        stop_workers(app)
        again = client.get("/sparql", params={"query": SELECT})
        assert again.status_code == 200 and again.content == first.content
        other = client.get("/sparql", params={"query": ELSEWHERE})
        assert other.status_code == 503 and other.json()["error"] == "DG-A008"  # no worker was left


@pytest.mark.parametrize("query", FRESH_EACH_RUN)
def test_a_query_whose_answer_changes_from_run_to_run_always_runs(fixture_store, query):
    app = create_app(fixture_store, workers=1)
    with TestClient(app) as client:
        assert client.get("/sparql", params={"query": query}).status_code == 200
        stop_workers(app)
        assert client.get("/sparql", params={"query": query}).json()["error"] == "DG-A008"


def test_without_an_answer_cache_every_query_runs(fixture_store):
    app = create_app(fixture_store, workers=1, answer_cache_mb=0)
    with TestClient(app) as client:
        assert client.get("/sparql", params={"query": SELECT}).status_code == 200
        stop_workers(app)
        assert client.get("/sparql", params={"query": SELECT}).json()["error"] == "DG-A008"


def test_the_same_text_in_another_format_is_another_answer(fixture_store):
    with TestClient(create_app(fixture_store, workers=1)) as client:
        as_json = client.get("/sparql", params={"query": SELECT}, headers={"accept": "application/sparql-results+json"})
        as_csv = client.get("/sparql", params={"query": SELECT}, headers={"accept": "text/csv"})
    assert as_json.headers["content-type"].startswith("application/sparql-results+json")
    assert as_csv.headers["content-type"].startswith("text/csv") and as_csv.text.startswith("s\r\n")


def test_an_update_drops_the_kept_answers():
    ask = {"query": "ASK { <http://example/s> <http://example/p> 1 }"}
    update = "INSERT DATA { GRAPH <http://example/new> { <http://example/s> <http://example/p> 1 } }"
    with TestClient(create_app(load_fixture(), workers=1, update_token=TOKEN)) as client:
        assert client.get("/sparql", params=ask).json()["boolean"] is False
        done = client.post("/sparql", content=update, headers={"content-type": "application/sparql-update",
                                                                "authorization": f"Bearer {TOKEN}"})
        assert done.status_code == 204
        assert client.get("/sparql", params=ask).json()["boolean"] is True


def test_kept_answers_stay_within_their_bytes_least_recently_used_out():
    cache = AnswerCache(max_bytes=800)
    for number in range(10):
        cache.put(("v", number), bytes(100))
        cache.get(("v", 0))  # the first answer stays in use
    assert cache.size == sum(len(answer) for answer in cache.entries.values()) <= 800
    assert cache.get(("v", 0)) is not None and cache.get(("v", 9)) is not None
    assert cache.get(("v", 1)) is None
    cache.put(("v", "big"), bytes(101))  # over an eighth of the whole
    assert cache.get(("v", "big")) is None
