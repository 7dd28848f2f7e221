"""Pages a person uses: `/` (an actor's duties), `/graph` (Cytoscape.js view), `/query` (YASGUI),
`/docs` (Swagger UI over /openapi.json).

The pages are plain HTML files in api/templates/ whose scripts (api/static/) call the REST API,
`/export/cytoscape` and `/sparql`; every asset is served from `/static/`, nothing from the
internet. Values put into a page on the server are HTML-escaped (or JSON with `<` escaped inside
a script element); the scripts build the DOM with textContent, never innerHTML.
"""
from __future__ import annotations

import html
import json
import string
from functools import lru_cache
from importlib import resources
from pathlib import Path

import fastapi
from fastapi.responses import FileResponse, HTMLResponse

from dutygraph.graph.filters import modality_labels
from dutygraph.graph.ids import PREFIXES
from dutygraph.graph.views import VIEWS

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
# Inline scripts are never needed; YASGUI and Cytoscape.js set inline styles and data: images.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
}
# Actors × instruments: an overview that stays drawable on a whole corpus.
DEFAULT_VIEW = "bipartite"
QUERIES_PACKAGE = "dutygraph.queries"
FIRST_EXAMPLE = "who-must-do-what.rq"

router = fastapi.APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(actor: str = "", modality: str = "", include: str = "") -> HTMLResponse:
    return page("home.html", actor=actor, modality=modality, include=include)


@router.get("/graph", response_class=HTMLResponse)
def graph_view(actor: str = "", modality: str = "", jurisdiction: str = "", view: str = DEFAULT_VIEW) -> HTMLResponse:
    return page("graph.html", actor=actor, modality=modality, jurisdiction=jurisdiction,
                view=view if view in VIEWS else DEFAULT_VIEW)


@router.get("/query", response_class=HTMLResponse)
def query_page() -> HTMLResponse:
    return page("query.html", raw={"examples": script_json(example_queries())})


@router.get("/docs", response_class=HTMLResponse)
def api_docs() -> HTMLResponse:
    """Swagger UI from /static/vendor (the framework's own page would load it from a CDN)."""
    return page("docs.html")


@router.get("/static/{name:path}")
def static_file(name: str) -> FileResponse:
    path = (STATIC / name).resolve()
    if not path.is_file() or not path.is_relative_to(STATIC):
        raise fastapi.HTTPException(status_code=404)
    return FileResponse(path, headers={"Cache-Control": "no-cache"})


def page(template: str, raw: dict[str, str] | None = None, **values: str) -> HTMLResponse:
    """The template with `$name` fields filled in, HTML-escaped; `$modalities` is JSON for the scripts,
    `raw` holds fields that are already safe (script_json)."""
    fields = {name: html.escape(value, quote=True) for name, value in values.items()}
    fields["modalities"] = script_json(list(modality_labels()))
    fields.update(raw or {})
    text = string.Template((TEMPLATES / template).read_text(encoding="utf-8")).safe_substitute(fields)
    return HTMLResponse(text, headers=PAGE_HEADERS)


def script_json(value) -> str:
    """JSON that cannot close the <script> element holding it."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@lru_cache(maxsize=1)
def example_queries() -> list[dict[str, str]]:
    """docs/queries/*.rq as [{name, title, text}], the page's own example first.

    The title is the file's first comment line; prefixes the file leaves to the CLI are written
    out in the text, so what the page sends is exactly what the user sees.
    """
    examples = []
    for path in sorted(resources.files(QUERIES_PACKAGE).iterdir(), key=lambda path: path.name != FIRST_EXAMPLE):
        if path.name.endswith(".rq"):
            text = path.read_text(encoding="utf-8")
            title = next((line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#")), path.name)
            examples.append({"name": path.name.removesuffix(".rq"), "title": title, "text": visible_prefixes(text)})
    return examples


def visible_prefixes(sparql: str) -> str:
    """The query with the project prefixes it uses but does not declare, as lines of their own."""
    body = "\n".join(line for line in sparql.splitlines() if not line.startswith("#"))
    needed = [f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items()
              if f"{name}:" in body and f"PREFIX {name.upper()}:" not in sparql.upper()]
    return "\n".join([*needed, sparql]) if needed else sparql
