"""The compare, matrix and versions pages in headless Chromium against a live server (the helpers of
tests/exports/test_browser.py). On failure a screenshot of the page goes to test-artifacts/."""
from __future__ import annotations

import contextlib
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin

import httpx
import pytest

from tests.compare.conftest import NEW, OLD
from tests.exports.test_browser import chromium, rendered, screenshot  # noqa: F401 (chromium is a fixture)

pytestmark = pytest.mark.browser


@contextlib.contextmanager
def screenshot_on_failure(chromium, tmp_path, url: str, name: str):  # noqa: F811
    try:
        yield
    except BaseException:
        path = screenshot(chromium, tmp_path, url, f"failed-{name}.png")
        print(f"screenshot of {url}: {path}")
        raise


class Elements(HTMLParser):
    """Attributes of every element, in document order."""

    def __init__(self, markup: str):
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    def with_class(self, name: str) -> list[dict[str, str]]:
        return [attrs for _, attrs in self.elements if name in attrs.get("class", "").split()]


def test_compare_page_shows_every_row_with_its_status_and_provision_link(chromium, tmp_path, compare_server):  # noqa: F811
    url = f"{compare_server}/compare?{urlencode({'a': OLD, 'b': NEW})}"
    expected = httpx.get(url, timeout=120).json()
    with screenshot_on_failure(chromium, tmp_path, url, "compare"):
        page, markup = rendered(chromium, tmp_path, url)  # a browser asks for HTML
        assert page.body.get("data-state") == "compared"
        assert int(page.body["data-rows"]) == len(expected["rows"]) > 0
        elements = Elements(markup)
        statuses = [attrs["data-status"] for tag, attrs in elements.elements if tag == "tr" and "data-status" in attrs]
        assert statuses == [row["status"] for row in expected["rows"]]
        links = [attrs["href"] for attrs in elements.with_class("provision")]
        assert len(links) == sum((row["a"] is not None) + (row["b"] is not None) for row in expected["rows"])
        assert all(link.startswith("/provisions/") for link in links)
        assert "义务类型改变" in page.by_id["summary"]
    screenshot(chromium, tmp_path, url, "compare-page.png")


def test_compare_page_filters_by_status_and_actor(chromium, tmp_path, compare_server):  # noqa: F811
    query = {"a": OLD, "b": NEW, "status": "only_in_b", "actor": "农业农村部门", "format": "html"}
    url = f"{compare_server}/compare?{urlencode(query)}"
    with screenshot_on_failure(chromium, tmp_path, url, "compare-filtered"):
        page, markup = rendered(chromium, tmp_path, url)
        elements = Elements(markup)
        statuses = {attrs["data-status"] for tag, attrs in elements.elements if tag == "tr" and "data-status" in attrs}
        assert statuses == {"only_in_b"}
        # the form offers the filters it was opened with
        selected = {attrs.get("value") for tag, attrs in elements.elements if tag == "option" and "selected" in attrs}
        assert {"only_in_b", "农业农村部门"} <= selected
        assert "农业农村部门" in page.by_id["rows"]


def test_matrix_page_is_a_heat_map_linked_to_units(chromium, tmp_path, compare_server):  # noqa: F811
    url = f"{compare_server}/matrix?top=0"
    expected = httpx.get(url, timeout=120).json()
    with screenshot_on_failure(chromium, tmp_path, url, "matrix"):
        page, markup = rendered(chromium, tmp_path, url)
        assert page.body.get("data-state") == "rendered"
        assert int(page.body["data-actors"]) == len(expected["actors"]) > 0
        assert int(page.body["data-columns"]) == len(expected["columns"])
        elements = Elements(markup)
        cells = elements.with_class("cell")
        assert len(cells) == len({(cell["actor"], cell["column"]) for cell in expected["cells"]})
        first = httpx.get(urljoin(compare_server, cells[0]["href"]), timeout=120).json()
        busiest = expected["actors"][0]
        assert first["actor"]["name"] == busiest and first["total"] > 0
        [csv_link] = [attrs["href"] for tag, attrs in elements.elements if attrs.get("id") == "csv"]
        assert httpx.get(urljoin(compare_server, csv_link), timeout=120).text.startswith("actor,jurisdiction,modality,count")
    busiest, _ = rendered(chromium, tmp_path, f"{compare_server}/matrix?top=10")
    assert busiest.body["data-actors"] == "10"
    screenshot(chromium, tmp_path, url, "matrix-page.png")


def test_an_instrument_offers_the_comparison_with_its_previous_version(chromium, tmp_path, compare_server):  # noqa: F811
    url = f"{compare_server}/versions/{NEW}"
    with screenshot_on_failure(chromium, tmp_path, url, "versions"):
        page, markup = rendered(chromium, tmp_path, url)
        assert page.body.get("data-state") == "listed" and page.body["data-versions"] == "2"
        [link] = Elements(markup).with_class("compare-previous")
        target = urljoin(compare_server, link["href"])
        compared, compared_markup = rendered(chromium, tmp_path, target)
        assert compared.body.get("data-state") == "compared"
        assert OLD in compared_markup and NEW in compared_markup
        assert int(compared.body["data-rows"]) == len(httpx.get(target.replace("format=html", "format=json"), timeout=120).json()["rows"])
