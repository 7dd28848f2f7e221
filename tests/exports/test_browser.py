"""The pages in headless Chromium against a live server, with every host but the server unreachable.

Chromium writes the DOM after the page's scripts ran (`--dump-dom` with a virtual time budget); the
pages record their state on <body> (data-state, data-nodes, data-count). Screenshots of the home page
after a lookup, the graph view and the query page go to test-artifacts/ for people to look at.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from dutygraph.graph.views import VIEWS
from tests.shared import PROJECT

pytestmark = pytest.mark.browser

ARTIFACTS = PROJECT / "test-artifacts"
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # No internet: a page that needs anything but the server fails here.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--virtual-time-budget=20000",
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OBLIGATIONS_PER_ACTOR = """PREFIX dg: <https://w3id.org/dutygraph/ns#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?name (COUNT(?ob) AS ?n) WHERE { ?ob dg:actor ?actor . ?actor skos:prefLabel ?name } GROUP BY ?name"""
MARKET_REGULATION_DUTIES = """PREFIX dg: <https://w3id.org/dutygraph/ns#>
SELECT ?ob ?sentence WHERE { ?ob dg:actor <https://w3id.org/dutygraph/id/actor/market-regulation> ;
                                 dg:sentence ?sentence }"""


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("headless Chromium is not installed (scripts/ensure-test-tools installs it)")
    return path


class PageState(HTMLParser):
    """<body> attributes, the text of elements with an id, and all text of a dumped DOM."""

    def __init__(self, markup: str):
        super().__init__()
        self.body: dict[str, str] = {}
        self.by_id: dict[str, str] = {}
        self.text: list[str] = []
        self.open_ids: list[tuple[str, str]] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "body":
            self.body = {name: value or "" for name, value in attributes.items()}
        if "id" in attributes:
            self.open_ids.append((tag, attributes["id"]))
            self.by_id.setdefault(attributes["id"], "")

    def handle_endtag(self, tag):
        if self.open_ids and self.open_ids[-1][0] == tag:
            self.open_ids.pop()

    def handle_data(self, data):
        self.text.append(data)
        for _, element_id in self.open_ids:
            self.by_id[element_id] += data


def run_chromium(chromium: str, tmp_path: Path, url: str, *action: str) -> str:
    profile = tmp_path / f"chromium-{uuid.uuid4().hex}"
    done = subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", *action, url],
                          capture_output=True, timeout=120, check=False)
    return done.stdout.decode("utf-8", errors="replace")


def rendered(chromium: str, tmp_path: Path, url: str) -> tuple[PageState, str]:
    markup = run_chromium(chromium, tmp_path, url, "--dump-dom")
    return PageState(markup), markup


def screenshot(chromium: str, tmp_path: Path, url: str, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    path.unlink(missing_ok=True)
    run_chromium(chromium, tmp_path, url, f"--screenshot={path}", "--window-size=1280,900")
    return path


@pytest.mark.parametrize("view", VIEWS)
def test_graph_view_draws_every_node_of_the_cytoscape_json(chromium, tmp_path, live_server, view):
    expected = httpx.get(f"{live_server}/export/cytoscape", params={"view": view}).json()["elements"]
    page, _ = rendered(chromium, tmp_path, f"{live_server}/graph?{urlencode({'view': view})}")
    assert page.body.get("data-state") == "rendered"
    assert int(page.body["data-nodes"]) == len(expected["nodes"]) > 0
    assert int(page.by_id["node-count"]) == len(expected["nodes"])
    assert int(page.by_id["edge-count"]) == len(expected["edges"])


def test_graph_view_follows_its_filters(chromium, tmp_path, live_server):
    filters = {"view": "obligations", "actor": "企業", "modality": "Duty"}
    expected = httpx.get(f"{live_server}/export/cytoscape", params=filters).json()["elements"]["nodes"]
    everything = httpx.get(f"{live_server}/export/cytoscape", params={"view": "obligations"}).json()["elements"]["nodes"]
    page, _ = rendered(chromium, tmp_path, f"{live_server}/graph?{urlencode(filters)}")
    assert int(page.body["data-nodes"]) == len(expected) < len(everything)


def test_home_page_lists_an_actors_duties_for_a_traditional_name(chromium, tmp_path, live_server, embedded_store):
    duties = {row["ob"].value: row["sentence"].value for row in embedded_store.query(MARKET_REGULATION_DUTIES)}
    page, _ = rendered(chromium, tmp_path, f"{live_server}/?{urlencode({'actor': '市場監督管理部門'})}")
    assert page.body.get("data-state") == "done"
    assert int(page.body["data-count"]) == len(duties) > 0
    shown = page.by_id["results"]
    assert all(sentence.replace("\x01", "") in shown for sentence in duties.values())


def test_home_page_starts_from_the_busiest_actors(chromium, tmp_path, live_server, embedded_store):
    counts = {row["name"].value: int(row["n"].value) for row in embedded_store.query(OBLIGATIONS_PER_ACTOR)}
    page, _ = rendered(chromium, tmp_path, f"{live_server}/")
    busiest = max(counts, key=counts.get)
    assert f"{busiest} {counts[busiest]}" in page.by_id["popular"]


def test_home_page_shows_markup_in_sentences_as_text(chromium, tmp_path, live_server):
    page, markup = rendered(chromium, tmp_path, f"{live_server}/?{urlencode({'actor': 'enterprise'})}")
    assert page.body.get("data-state") == "done"
    assert "<b>先进标准</b>" in page.by_id["results"]  # the sentence's own text, shown as written
    assert "&lt;b&gt;先进标准&lt;/b&gt;" in markup and "<b>先进标准</b>" not in markup


def test_home_page_offers_the_closest_actors_for_an_unknown_name(chromium, tmp_path, live_server):
    page, markup = rendered(chromium, tmp_path, f"{live_server}/?{urlencode({'actor': '市场监督管理'})}")
    assert page.body.get("data-state") == "not-found"
    assert "市场监督管理部门" in page.by_id["suggestions"]


def test_query_page_runs_the_example_against_the_endpoint(chromium, tmp_path, live_server):
    page, markup = rendered(chromium, tmp_path, f"{live_server}/query?run")
    assert page.body.get("data-state") == "answered"
    shown = re.search(r"Showing \d+ to \d+ of (\d+) entries", markup)
    assert shown and int(shown.group(1)) > 0


@pytest.mark.parametrize(("name", "path"), [
    ("home-after-lookup.png", "/?" + urlencode({"actor": "市场监管"})),
    ("graph-view.png", "/graph?view=obligations"),
    ("query-page.png", "/query?run"),
])
def test_screenshots_are_kept_as_artifacts(chromium, tmp_path, live_server, name, path):
    shot = screenshot(chromium, tmp_path, live_server + path, name)
    assert shot.read_bytes().startswith(PNG_SIGNATURE)
    assert shot.stat().st_size > 20_000  # a blank 1280×900 page compresses to a few kB


def test_api_docs_render_offline(chromium, tmp_path, live_server):
    """Swagger UI comes from this server: with every other host unreachable, each operation is drawn."""
    spec = httpx.get(f"{live_server}/openapi.json").json()
    operations = sum(len(methods) for methods in spec["paths"].values())
    page, markup = rendered(chromium, tmp_path, f"{live_server}/docs")
    assert page.body.get("data-state") == "rendered"
    assert markup.count('class="opblock opblock-') == operations > 10
