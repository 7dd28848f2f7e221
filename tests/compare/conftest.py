"""A store of seeds 000 and 002 (Sichuan's draft, Xinjiang's enacted regulation) and the 2018 and 2022
versions of 农产品质量安全法 (tests/data/compare), and the app serving it."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from dutygraph.api.app import create_app
from dutygraph.graph.ingest import ingest_paths
from dutygraph.graph.store import open_store
from tests.api.conftest import ServerThread
from tests.shared import DATA, PROJECT

SEEDS = PROJECT / "samples" / "seeds"
LAWS = DATA / "compare"
OLD, NEW = "农产品质量安全法(2018-10-26)", "农产品质量安全法(2022-09-02)"


@pytest.fixture(scope="session")
def compare_store(tmp_path_factory):
    store = open_store(str(tmp_path_factory.mktemp("compare-store")))
    report = ingest_paths([SEEDS / "000_1c62b5ba5ae13ae9.txt", SEEDS / "002_5fcfdeced73421af.txt", LAWS], store)
    assert report.ok and len(report.added) == 4
    yield store
    store.close()


@pytest.fixture(scope="module")
def compare_client(compare_store):
    with TestClient(create_app(compare_store, query_timeout=30, workers=2)) as client:
        yield client


@pytest.fixture(scope="module")
def compare_server(compare_store):
    with ServerThread(create_app(compare_store, query_timeout=30, workers=2)) as server:
        yield server.url
