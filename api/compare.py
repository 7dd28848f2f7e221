"""`/compare`, `/matrix` and `/versions/{id}`: JSON or CSV for programs, a page for browsers.

The page is chosen when `format=html` or the Accept header prefers text/html (what a browser sends
when following a link); scripts and curl get JSON. Pages are rendered here (api/compare_pages.py),
values HTML-escaped. Only instruments already in the store can be compared over HTTP: a file path
never reaches the file system from a request.
"""
from __future__ import annotations

from urllib.parse import urlencode

import fastapi
from fastapi import Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse

from dutygraph.api.backends import select_rows
from dutygraph.api.compare_pages import compare_page, matrix_page, versions_page
from dutygraph.api.negotiation import parse_accept
from dutygraph.graph import comparison, matrix
from dutygraph.graph.compare import STATUSES
from dutygraph.graph.instruments import instruments, resolve
from dutygraph.graph.rows import Rows
from dutygraph.graph.versions import previous_versions

router = fastapi.APIRouter(tags=["compare"])
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
}


def store_rows(request: Request) -> Rows:
    settings = request.app.state.settings
    return lambda query: select_rows(settings.backend, query, settings.query_timeout)


def wanted_format(request: Request, format: str | None) -> str:
    if format:
        return format
    for media, quality in sorted(parse_accept(request.headers.get("accept", "")), key=lambda pair: -pair[1]):
        if quality > 0 and media in ("text/html", "application/xhtml+xml"):
            return "html"
        if quality > 0 and media in ("application/json", "text/csv", "*/*"):
            return "csv" if media == "text/csv" else "json"
    return "json"


@router.get("/compare")
def compare(
    request: Request,
    a: str = Query(..., description="instrument id, title or source file (the older text)"),
    b: str = Query(..., description="instrument id, title or source file (the newer text)"),
    actor: str | None = Query(None, description="only rows where either side has this actor"),
    status: str | None = Query(None, description="only rows of this status: " + ", ".join(STATUSES)),
    format: str | None = Query(None, pattern="^(json|csv|html)$", description="json, csv or html (default: by Accept)"),
):
    """Two instruments compared unit by unit: each row `same`, `modality_changed`, `actor_changed`,
    `text_changed`, `only_in_a` or `only_in_b`, with both units (actor, modality, action, object,
    article, section, sentence, provision, enforced_by) and the similarity of their acts."""
    rows = store_rows(request)
    full = comparison.compare(rows, _stored(rows, a), _stored(rows, b))
    actors = sorted({unit["actor"] for row in full["rows"] for unit in (row["a"], row["b"]) if unit and unit["actor"]})
    result = comparison.keep(full, actor=actor, status=status)
    kind = wanted_format(request, format)
    if kind == "html":
        return HTMLResponse(compare_page(result, full["summary"], actors, actor or "", status or ""), headers=PAGE_HEADERS)
    if kind == "csv":
        return PlainTextResponse(comparison.as_csv(result), media_type="text/csv; charset=utf-8")
    return result


def _stored(rows: Rows, reference: str) -> str:
    """The IRI of a stored instrument: a request never names a file to read."""
    return resolve(rows, reference).iri


@router.get("/matrix")
def duty_matrix(
    request: Request,
    by: str = Query("jurisdiction", pattern="^(jurisdiction|instrument)$", description="jurisdiction or instrument"),
    actor: str | None = Query(None, description="one actor (preferred or written name)"),
    modality: str | None = Query(None, description="Duty, Prohibition, Permission, Encouragement, Support, Commitment"),
    format: str | None = Query(None, pattern="^(json|csv|html)$", description="json, csv or html (default: by Accept)"),
    top: int = Query(60, ge=0, description="the page shows this many actors, most units first (0: all)"),
):
    """Units counted by actor × modality per jurisdiction (or instrument), each cell with the link
    to the units it counts."""
    result = matrix.matrix(store_rows(request), by=by, actor=actor, modality=modality)
    kind = wanted_format(request, format)
    if kind == "html":
        return HTMLResponse(matrix_page(result, actor or "", modality or "", top), headers=PAGE_HEADERS)
    if kind == "csv":
        return PlainTextResponse(matrix.render(result, "csv"), media_type="text/csv; charset=utf-8")
    return result


@router.get("/versions/{instrument_id:path}")
def versions(request: Request, instrument_id: str, format: str | None = Query(None, pattern="^(json|html)$")):
    """The versions of one instrument (same title), oldest first, each with the link comparing it
    with its previous version."""
    rows = store_rows(request)
    instrument = resolve(rows, instrument_id)
    previous = previous_versions(rows)
    by_iri = {item.iri: item for item in instruments(rows)}
    chain = [instrument.iri]
    while chain[-1] in previous:
        chain.append(previous[chain[-1]])
    newer = {older: newer for newer, older in previous.items()}
    while chain[0] in newer:
        chain.insert(0, newer[chain[0]])
    listed = []
    for iri in reversed(chain):
        item = by_iri[iri]
        entry = {**item.as_dict(), "previous": None, "compare": None}
        if iri in previous:
            entry["previous"] = by_iri[previous[iri]].id
            entry["compare"] = compare_link(by_iri[previous[iri]].id, item.id)
        listed.append(entry)
    result = {"instrument": instrument.as_dict(), "versions": listed}
    if wanted_format(request, format) == "html":
        return HTMLResponse(versions_page(result), headers=PAGE_HEADERS)
    return result


def compare_link(a: str, b: str) -> str:
    return "/compare?" + urlencode({"a": a, "b": b})
