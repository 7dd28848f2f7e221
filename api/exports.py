"""Downloads of the graph: `GET /export/{format}` for Gephi, Cytoscape, yEd and RDF tools.

Network formats (graphml, gexf, cytoscape, csv) take `view` (obligations, bipartite, actors); every
format takes the filters `actor` (any name form or the IRI), `modality` and `jurisdiction`. Each
export runs in a process of its own over the store as it is now (the backend's `export_location`),
streamed back as it is written: the server's event loop, its interpreter and its memory stay free.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass

import fastapi
from fastapi.responses import JSONResponse, Response, StreamingResponse

from dutygraph.children import child_environment
from dutygraph.errors import CATALOGUE, DutygraphError
from dutygraph.graph.netexport import FORMATS as NETWORK_FORMATS
from dutygraph.graph.netexport import RDF_FORMATS
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
# Each export is a process of its own (dutygraph.api.exporter); a few at a time keep the machine answering.
CONCURRENT_EXPORTS = threading.BoundedSemaphore(2)
CHUNK_BYTES = 64 << 10


@router.get("/export", summary="List the export formats and views")
def list_formats() -> dict:
    return {"formats": list(DOWNLOADS), "network_formats": list(NETWORK_FORMATS),
            "rdf_formats": list(RDF_FORMATS), "views": list(VIEWS)}


@router.get("/export/{format}", summary="Download the graph or a network view",
            response_class=Response, responses={404: {"description": "unknown format or actor"},
                                                400: {"description": "unknown view or modality"},
                                                503: {"description": "too many exports running"}})
async def export(request: fastapi.Request, format: str, view: str = "obligations", actor: str | None = None,
                 modality: str | None = None, jurisdiction: str | None = None) -> Response:
    if format not in DOWNLOADS:
        return error_response(DutygraphError("DG-G004", "-", format), 404)
    if not CONCURRENT_EXPORTS.acquire(blocking=False):
        return error_response(DutygraphError("DG-A011", "-", "exports"), 503)
    options = {"view": view, "actor": actor or "", "modality": modality or "", "jurisdiction": jurisdiction or ""}
    process = None
    try:
        process = await start_export(request.app.state.settings.backend.export_location(), format, options)
        header = await process.stdout.readline()
    except BaseException:
        await finish(process)
        raise
    if header != b"OK\n":
        await finish(process)
        if header.startswith(b"ERROR "):
            problem = json.loads(header.removeprefix(b"ERROR "))
            error = DutygraphError(problem["code"], "-", problem["detail"])
            return error_response(error, 404 if error.code in NOT_FOUND_CODES else 400)
        raise DutygraphError("DG-A017", "-", f"the export process ended with status {process.returncode}")
    download = DOWNLOADS[format]
    name = f"dutygraph-{view}.{download.extension}" if format in NETWORK_FORMATS else f"dutygraph.{download.extension}"
    return StreamingResponse(stream(process), media_type=download.media_type,
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


async def start_export(location: str, fmt: str, options: dict[str, str]) -> asyncio.subprocess.Process:
    command = [sys.executable, "-m", "dutygraph.api.exporter", location, fmt,
               *(f"{name}={value}" for name, value in options.items())]
    return await asyncio.create_subprocess_exec(*command, stdin=asyncio.subprocess.DEVNULL,
                                                stdout=asyncio.subprocess.PIPE, env=child_environment())


async def stream(process: asyncio.subprocess.Process) -> AsyncIterator[bytes]:
    try:
        while chunk := await process.stdout.read(CHUNK_BYTES):
            yield chunk
    finally:
        await finish(process)


async def finish(process: asyncio.subprocess.Process | None) -> None:
    """End the export process (a client that went away leaves it running otherwise); free its slot."""
    try:
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
    finally:
        CONCURRENT_EXPORTS.release()


def error_response(error: DutygraphError, status: int) -> JSONResponse:
    """The app's error body (error, message, detail) plus what the request may choose from."""
    problem = error.problem
    return JSONResponse({"error": problem.code, "message": CATALOGUE[problem.code], "detail": problem.detail,
                         "formats": list(DOWNLOADS), "views": list(VIEWS)}, status_code=status)
