"""The instrument and provision pages as a reader sees them: headless Chromium, no network but the server.

What a page must show is read from the store with SPARQL, never written down here.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from dutygraph.api.app import create_app
from tests.api.conftest import CHINESE_NAME, ServerThread
from tests.exports.test_browser import chromium, rendered  # noqa: F401 (chromium is a fixture)

DG = "https://w3id.org/dutygraph/ns#"
CHAPTERED = "https://w3id.org/dutygraph/id/doc/002_5fcfdeced73421af"
COPY_ID = CHINESE_NAME.removesuffix(".txt")
COPY = "https://w3id.org/dutygraph/id/doc/" + quote(COPY_ID, safe="-._~")
PREFIXES = """PREFIX dg: <https://w3id.org/dutygraph/ns#> PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


class Marks(HTMLParser):
    """The classes and texts of <mark> elements, and hrefs, of a dumped DOM."""

    def __init__(self, markup: str):
        super().__init__()
        self.marks: list[tuple[str, str]] = []
        self.hrefs: list[str] = []
        self.open = None
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "mark":
            self.open = [attributes.get("class", ""), ""]
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"])

    def handle_endtag(self, tag):
        if tag == "mark" and self.open:
            self.marks.append(tuple(self.open))
            self.open = None

    def handle_data(self, data):
        if self.open:
            self.open[1] += data


def select(store, query: str) -> list[dict[str, str]]:
    rows = store.query(PREFIXES + query)
    names = [variable.value for variable in rows.variables]
    return [{name: row[name].value for name in names if row[name] is not None} for row in rows]


@pytest.fixture(scope="module")
def server(chinese_named_store):
    with ServerThread(create_app(chinese_named_store, workers=2)) as running:
        yield running.url


def test_an_instrument_with_chapters_lists_every_article(chinese_named_store):
    labels = {row["label"] for row in select(chinese_named_store, f"""SELECT ?label WHERE {{
        ?art eli:is_part_of+ <{CHAPTERED}> ; dg:articleNumber ?n ; dg:provisionLabel ?label }}""")}
    with TestClient(create_app(chinese_named_store, workers=1)) as client:
        answer = client.get("/instruments/002_5fcfdeced73421af").json()
    assert len(answer["articles"]) == len(labels) > 10
    assert answer["status"] and answer["dates"]
    shown = {part["label"] for part in answer["outline"]}
    assert labels <= shown and {"chapter"} <= {part["kind"] for part in answer["outline"]}


def test_instrument_page_shows_status_dates_versions_and_outline(chromium, tmp_path, server,  # noqa: F811
                                                                 chinese_named_store):
    page, markup = rendered(chromium, tmp_path, f"{server}/instruments/{quote(COPY_ID)}")
    assert page.body.get("data-page") == "instrument"
    articles = select(chinese_named_store, f"SELECT ?label WHERE {{ ?a eli:is_part_of+ <{COPY}> ; dg:articleNumber ?n ; "
                                           "dg:provisionLabel ?label }")
    assert all(row["label"] in page.by_id["outline"] for row in articles)
    assert "草案" in "".join(page.text)  # the draft status, in words
    assert "/instruments/001_18aaf2e0bf01b38b" in Marks(markup).hrefs  # the other version (same title)


def test_provision_page_shows_its_text_marked_by_modality_and_its_neighbours(chromium, tmp_path, server,  # noqa: F811
                                                                             chinese_named_store):
    article = f"{COPY}/art/9"
    text = select(chinese_named_store, f"SELECT ?text WHERE {{ <{article}> dg:text ?text }}")[0]["text"]
    units = select(chinese_named_store, f"""SELECT ?sentence ?modality WHERE {{
        ?ob dg:authority/eli:is_part_of* <{article}> ; dg:sentence ?sentence ; dg:modality ?modality }}""")
    page, markup = rendered(chromium, tmp_path, f"{server}/provisions/{quote(COPY_ID)}/art/9")
    assert page.body.get("data-page") == "provision"
    assert re.sub(r"\s", "", page.by_id["provision-text"]) == re.sub(r"\s", "", text)
    marks = Marks(markup).marks
    assert {(f"modality-{row['modality'].rsplit('#', 1)[-1]}", row["sentence"]) for row in units} == set(marks)
    hrefs = Marks(markup).hrefs
    assert f"/provisions/{quote(COPY_ID)}/art/8" in hrefs and f"/provisions/{quote(COPY_ID)}/art/10" in hrefs
    assert "sanctions" not in page.by_id  # nothing enforces this article in the seeds: no empty section


def test_provision_page_lists_the_sanctions_that_enforce_it(chinese_named_store):
    article = f"{COPY}/art/9"
    sanction, sentence = next((row["ob"], row["s"]) for row in select(chinese_named_store, f"""SELECT ?ob ?s WHERE {{
        ?ob dg:authority/eli:is_part_of* <{COPY}/art/10> ; dg:sentence ?s }}"""))
    store = ox.Store()
    store.load(chinese_named_store.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    store.add(ox.Quad(ox.NamedNode(sanction), ox.NamedNode(DG + "enforces"), ox.NamedNode(article), ox.NamedNode(COPY)))
    with TestClient(create_app(store, workers=1)) as client:
        answer = client.get(f"/provisions/{COPY_ID}/art/9").json()
        page = client.get(f"/provisions/{COPY_ID}/art/9", params={"format": "html"}).text
    assert [item["sanction"] for item in answer["enforced_by"]] == [sanction]
    assert answer["enforced_by"][0]["link"].startswith(f"/provisions/{quote(COPY_ID, safe='')}/art/10")
    assert 'id="sanctions"' in page and html.escape(sentence) in page
