"""The pages as served: escaped, self-contained (every asset from this server), small enough to ship."""
from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest
from fastapi.testclient import TestClient

from dutygraph.api.pages import STATIC
from dutygraph.model import MODALITIES

PAGES = ("/", "/graph", "/query", "/docs")
# Swagger UI is most of it (1.9 MB); the pages still weigh less than one screenshot of a map.
VENDOR_BUDGET_BYTES = 4_000_000
HOSTILE = '"><script>alert(1)</script>'


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app) as test_client:
        yield test_client


class Assets(HTMLParser):
    """URLs a page loads (scripts, stylesheets, images) and its JSON data blocks."""

    def __init__(self, markup: str):
        super().__init__()
        self.urls: list[str] = []
        self.json_blocks: dict[str, str] = {}
        self._json_id: str | None = None
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("type") == "application/json":
            self._json_id = attributes.get("id")
            self.json_blocks[self._json_id] = ""
        elif tag in ("script", "img") and attributes.get("src"):
            self.urls.append(attributes["src"])
        elif tag == "link" and attributes.get("href"):
            self.urls.append(attributes["href"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._json_id = None

    def handle_data(self, data):
        if self._json_id is not None:
            self.json_blocks[self._json_id] += data


@pytest.mark.parametrize("path", PAGES)
def test_every_page_loads_its_assets_from_this_server(client, path):
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assets = Assets(response.text).urls
    assert assets
    for url in assets:
        assert not urlparse(url).netloc, f"{url} would need the internet"
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("path", PAGES)
def test_pages_forbid_scripts_from_elsewhere(client, path):
    header = client.get(path).headers["content-security-policy"]
    policy = dict(directive.strip().split(" ", 1) for directive in header.split(";"))
    assert policy["script-src"] == "'self'" and policy["connect-src"] == "'self'"


@pytest.mark.parametrize("path", ["/", "/graph"])
def test_values_from_the_address_are_escaped(client, path):
    text = client.get(path, params={"actor": HOSTILE, "modality": HOSTILE}).text
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_pages_carry_the_modality_labels_of_the_ontology(client):
    labels = json.loads(Assets(client.get("/").text).json_blocks["modalities"])
    assert [label["name"] for label in labels] == list(MODALITIES)
    assert all(label["zh"] != label["name"] for label in labels)


def test_static_files_cannot_escape_their_folder(client):
    assert client.get("/static/%2e%2e/pages.py").status_code == 404
    assert client.get("/static/vendor").status_code == 404


def test_vendored_files_stay_small_and_keep_their_licences():
    vendor = STATIC / "vendor"
    assert sum(path.stat().st_size for path in vendor.iterdir()) < VENDOR_BUDGET_BYTES
    for library in ("cytoscape", "yasgui"):
        assert (vendor / f"{library}.LICENSE.txt").read_text(encoding="utf-8").startswith(("Copyright", "The MIT"))
    assert "Apache License" in (vendor / "swagger-ui.LICENSE.txt").read_text(encoding="utf-8")
