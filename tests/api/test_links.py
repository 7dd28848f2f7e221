"""Every link the pages and the JSON answers emit leads somewhere, Chinese file names included.

The store holds seeds plus a copy of one seed under a Chinese file name (its IRI holds the stem
percent-encoded); the crawl starts at `/`, follows every same-site href/src of the pages (asked for
as a browser asks) and every `link` field of the JSON answers (asked for as JSON).
"""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from dutygraph.api.app import create_app
from tests.api.conftest import CHINESE_NAME

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
def crawler(chinese_named_store):
    with TestClient(create_app(chinese_named_store, workers=2)) as client:
        yield client


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
    chinese = [url for url in statuses if unquote(url).startswith(("/instruments/湖北省", "/provisions/湖北省"))]
    assert len(chinese) > 30  # the renamed copy's instrument, chapters and articles were reached
    assert any(url.startswith("/provisions/002_5fcfdeced73421af/art/") for url in statuses)  # articles inside chapters


def test_links_encode_a_chinese_id_exactly_once(crawler):
    listing = crawler.get("/instruments", headers=API).json()
    copy = next(item for item in listing if item["source_file"] == CHINESE_NAME)
    assert copy["id"] == CHINESE_NAME.removesuffix(".txt")
    assert unquote(copy["link"]) == f"/instruments/{copy['id']}" and "%25" not in copy["link"]
    assert crawler.get(f"/instruments/{copy['id']}", headers=API).json()["iri"] == copy["iri"]
