"""Downloads of the graph: `GET /export/{format}` for Gephi, Cytoscape, yEd and RDF tools.

Network formats (graphml, gexf, cytoscape, csv) take `view` (obligations, bipartite, actors); every
format takes the filters `actor` (any name form or the IRI), `modality` and `jurisdiction`. The
store is `request.app.state.store` (set by the app factory).
"""
from __future__ import annotations

import io
import threading
from dataclasses import dataclass

import fastapi
from fastapi.responses import JSONResponse, Response

from dutygraph.errors import CATALOGUE, DutygraphError
from dutygraph.graph.netexport import FORMATS as NETWORK_FORMATS
from dutygraph.graph.netexport import RDF_FORMATS, write_network, write_rdf
from dutygraph.graph.views import VIEWS

router = fastapi.APIRouter(tags=["exports"])


@dataclass(frozen=True)
class Download:
    media_type: str
    extension: str


DOWNLOADS = {
    "graphml": Download("application/graphml+xml", "graphml"),
    "gexf": Download("application/gexf+xml", "gexf"),
    "cytoscape": Download("application/json", "cyjs"),
    "csv": Download("application/zip", "csv.zip"),
    "turtle": Download("text/turtle", "ttl"),
    "ntriples": Download("application/n-triples", "nt"),
    "nquads": Download("application/n-quads", "nq"),
    "trig": Download("application/trig", "trig"),
    "jsonld": Download("application/ld+json", "jsonld"),
    "rdfxml": Download("application/rdf+xml", "rdf"),
}
# Codes that mean "the request names something that is not there" rather than "the request is malformed".
NOT_FOUND_CODES = {"DG-G051"}
# Exports run in this process (not in the SPARQL workers); a few at a time keep the server answering.
CONCURRENT_EXPORTS = threading.BoundedSemaphore(2)


@router.get("/export", summary="List the export formats and views")
def list_formats() -> dict:
    return {"formats": list(DOWNLOADS), "network_formats": list(NETWORK_FORMATS),
            "rdf_formats": list(RDF_FORMATS), "views": list(VIEWS)}


@router.get("/export/{format}", summary="Download the graph or a network view",
            response_class=Response, responses={404: {"description": "unknown format or actor"},
                                                400: {"description": "unknown view or modality"},
                                                503: {"description": "too many exports running"}})
def export(request: fastapi.Request, format: str, view: str = "obligations", actor: str | None = None,
           modality: str | None = None, jurisdiction: str | None = None) -> Response:
    if format not in DOWNLOADS:
        return error_response(DutygraphError("DG-G004", "-", format), 404)
    if not CONCURRENT_EXPORTS.acquire(blocking=False):
        return error_response(DutygraphError("DG-A011", "-", "exports"), 503)
    store, buffer = request.app.state.store, io.BytesIO()
    filters = {"actor": actor or None, "modality": modality or None, "jurisdiction": jurisdiction or None}
    try:
        if format in RDF_FORMATS:
            write_rdf(store, format, buffer, **filters)
        else:
            write_network(store, format, buffer, view=view, **filters)
    except DutygraphError as error:
        return error_response(error, 404 if error.code in NOT_FOUND_CODES else 400)
    finally:
        CONCURRENT_EXPORTS.release()
    download = DOWNLOADS[format]
    name = f"dutygraph-{view}.{download.extension}" if format in NETWORK_FORMATS else f"dutygraph.{download.extension}"
    return Response(buffer.getvalue(), media_type=download.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def error_response(error: DutygraphError, status: int) -> JSONResponse:
    """The app's error body (error, message, detail) plus what the request may choose from."""
    problem = error.problem
    return JSONResponse({"error": problem.code, "message": CATALOGUE[problem.code], "detail": problem.detail,
                         "formats": list(DOWNLOADS), "views": list(VIEWS)}, status_code=status)
