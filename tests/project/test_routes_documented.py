"""Every HTTP route the app serves is documented (docs/api.md, docs/exports.md), and every route
the docs name is served — datasette's rule: an undocumented route is a failing test."""
from __future__ import annotations

import re

import pytest

from dutygraph.api import compare, exports, graph_store, pages, rest, sparql
from tests.shared import PROJECT

DOCS = "\n".join((PROJECT / "docs" / name).read_text(encoding="utf-8") for name in ("api.md", "exports.md"))
ROUTERS = (sparql, rest, graph_store, pages, exports, compare)
DOCUMENTED_ROUTE = re.compile(r"`(?:(?:GET|POST|PUT|DELETE|HEAD) )?(/[^`\s?…]*)")


def shape(path: str) -> str:
    """Parameters compared by position only: /actors/{name:path}/obligations → /actors/{}/obligations."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def served() -> set[str]:
    return {shape(route.path) for module in ROUTERS for route in module.router.routes}


@pytest.mark.parametrize("path", sorted(served()))
def test_served_route_is_documented(path):
    documented = {shape(match) for match in DOCUMENTED_ROUTE.findall(DOCS)}
    assert path in documented or path.startswith("/static"), f"{path} is served but not in docs/api.md or docs/exports.md"


def test_documented_routes_are_served():
    framework = {"/docs", "/openapi.json", "/redoc", "/static/", "/provisions/"}
    documented = {shape(match) for match in DOCUMENTED_ROUTE.findall(DOCS)} - framework
    assert documented <= served(), documented - served()
