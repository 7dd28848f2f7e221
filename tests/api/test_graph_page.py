"""The graph page opens on a view a person can read: actors and instruments, a bounded number of
nodes, every one labelled, and a legend — on a store whose full view is too large for that."""
from __future__ import annotations

import httpx
import pytest

from dutygraph.api.app import create_app
from tests.api.conftest import ServerThread
from tests.exports.test_browser import chromium, rendered  # noqa: F401 (chromium is a fixture)

# What a reader can take in at once (the page's quotas: 28 actors and 12 instruments).
READABLE = 40


@pytest.fixture(scope="module")
def server(chinese_named_store):
    with ServerThread(create_app(chinese_named_store, workers=1)) as running:
        yield running.url


def test_the_graph_page_opens_on_labelled_actors_and_instruments_with_a_legend(chromium, tmp_path,  # noqa: F811
                                                                               server):
    everything = httpx.get(f"{server}/export/cytoscape", params={"view": "bipartite"}).json()["elements"]["nodes"]
    assert len(everything) > READABLE  # the whole view would not be readable
    page, markup = rendered(chromium, tmp_path, f"{server}/graph")
    assert page.body.get("data-state") == "rendered"
    drawn = int(page.body["data-nodes"])
    assert 10 < drawn <= READABLE
    assert int(page.body["data-labelled"]) == drawn
    assert "主体" in page.by_id["legend"] and "文件" in page.by_id["legend"]
    assert "显示全部" in page.by_id["status"]


def test_show_all_draws_every_node(chromium, tmp_path, server):  # noqa: F811
    everything = httpx.get(f"{server}/export/cytoscape", params={"view": "bipartite"}).json()["elements"]["nodes"]
    page, _ = rendered(chromium, tmp_path, f"{server}/graph?all")
    assert int(page.body["data-nodes"]) == len(everything)
