"""Every link the pages and the JSON answers emit leads somewhere, Chinese file names included.

The store holds a national law (Chinese file name, chapters) and a copy of a seed under a Chinese
file name (their IRIs hold the stems percent-encoded); small, because the crawl visits every
provision twice. It starts at `/`, follows every same-site href/src of the pages (asked for as a
browser asks) and every `link` field of the JSON answers (asked for as JSON).
"""
from __future__ import annotations

import shutil
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from dutygraph.api.app import create_app
from dutygraph.graph.ingest import ingest_paths
from dutygraph.graph.store import open_store
from tests.api.conftest import NATIONAL_LAW
from tests.shared import SEEDS

CHINESE_NAME = "四川省人民政府关于全面推进质量兴川战略的若干意见(2009-10-15).txt"

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
API = {"Accept": "application/json"}
# Downloads are links too, but each builds a whole export; tests/exports checks them.
NOT_CRAWLED = ("/export/",)


class Links(HTMLParser):
    def __init__(self, markup: str):
        super().__init__()
        self.found: list[str] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.found.extend(value for name, value in attrs if name in ("href", "src") and value)


def json_links(value) -> list[str]:
    if isinstance(value, dict):
        return [link for key, item in value.items()
                for link in ([item] if key == "link" and isinstance(item, str) else json_links(item))]
    if isinstance(value, list):
        return [link for item in value for link in json_links(item)]
    return []


@pytest.fixture(scope="module")
def crawler(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crawled")
    shutil.copy(SEEDS / "003_f9d3a63319543e59.txt", folder / CHINESE_NAME)
    shutil.copy(NATIONAL_LAW, folder / NATIONAL_LAW.name)
    store = open_store(str(tmp_path_factory.mktemp("crawled-store")))
    assert ingest_paths([folder], store).ok
    with TestClient(create_app(store, workers=2)) as client:
        yield client
    store.close()


def crawl(client: TestClient) -> dict[str, int]:
    """URL → status of every same-site URL reachable from `/` (worst status of its two readings)."""
    seen: dict[str, int] = {}
    queue = ["/"]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        statuses, found = [], []
        for headers in (BROWSER, API):
            response = client.get(url, headers=headers)
            statuses.append(response.status_code)
            kind = response.headers.get("content-type", "")
            if kind.startswith("text/html"):
                found += Links(response.text).found
            elif kind.startswith("application/json") and response.status_code == 200:
                found += json_links(response.json())
        seen[url] = max(statuses)
        for link in found:
            target = urlsplit(urljoin("http://testserver" + url, link))
            if target.netloc == "testserver" and not target.path.startswith(NOT_CRAWLED):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return seen


def test_no_link_is_dead(crawler):
    statuses = crawl(crawler)
    dead = {url: status for url, status in statuses.items() if status >= 400}
    assert not dead
    law = NATIONAL_LAW.stem
    chinese = [url for url in statuses if unquote(url).startswith((f"/instruments/{law}", f"/provisions/{law}"))]
    assert len(chinese) > 30  # the law's instrument, chapters and articles were reached
    assert any(unquote(url).startswith(f"/provisions/{law}/chap/") for url in statuses)  # its chapters
    assert any(unquote(url).startswith(f"/provisions/{CHINESE_NAME.removesuffix('.txt')}") for url in statuses)


def test_links_encode_a_chinese_id_exactly_once(crawler):
    listing = crawler.get("/instruments", headers=API).json()
    copy = next(item for item in listing if item["source_file"] == CHINESE_NAME)
    assert copy["id"] == CHINESE_NAME.removesuffix(".txt")
    assert unquote(copy["link"]) == f"/instruments/{copy['id']}" and "%25" not in copy["link"]
    assert crawler.get(f"/instruments/{copy['id']}", headers=API).json()["iri"] == copy["iri"]
