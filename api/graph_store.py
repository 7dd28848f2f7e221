"""SPARQL 1.1 Graph Store HTTP Protocol at /store (indirect identification: ?graph=IRI or ?default).

Reads go through the same killable workers as queries; writes need the update token, like
updates, and become one SPARQL update (so a PUT replaces a graph in one transaction).
"""
from __future__ import annotations

import fastapi
import pyoxigraph as ox
from fastapi import Request, Response

from dutygraph.api.negotiation import choose_format
from dutygraph.api.safety import require_iri
from dutygraph.api.sparql import endpoint_iri, in_worker_thread, media_type_and_charset, require_token
from dutygraph.api.workers import QueryJob
from dutygraph.errors import DutygraphError

router = fastapi.APIRouter(tags=["Graph Store"])

DEFAULT = "default"
ASK_JSON = "application/sparql-results+json"


def target_graph(request: Request) -> str:
    """The graph IRI, or DEFAULT; exactly one of ?graph=… and ?default."""
    graphs = request.query_params.getlist("graph")
    wants_default = "default" in request.query_params
    if len(graphs) + wants_default != 1:
        raise DutygraphError("DG-A002", "store", "give exactly one of ?graph=IRI and ?default")
    return DEFAULT if wants_default else require_iri(graphs[0])


def graph_pattern(graph: str) -> str:
    return "{ ?s ?p ?o }" if graph == DEFAULT else f"{{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"


def graph_keyword(graph: str) -> str:
    return "DEFAULT" if graph == DEFAULT else f"GRAPH <{graph}>"


async def run_job(request: Request, job: QueryJob) -> bytes:
    settings = request.app.state.settings
    return await in_worker_thread(request, settings.backend.run, job, settings.query_timeout)


async def graph_exists(request: Request, graph: str) -> bool:
    if graph == DEFAULT:
        return True
    answer = await run_job(request, QueryJob(f"ASK {graph_pattern(graph)}", ASK_JSON, union_default_graph=False))
    return b"true" in answer


async def read_triples(request: Request, graph: str) -> list[ox.Triple]:
    media_type, charset = media_type_and_charset(request.headers.get("content-type", ""))
    try:
        rdf_format = ox.RdfFormat.from_media_type(media_type)
    except ValueError:
        rdf_format = None
    if rdf_format is None or charset not in ("", "utf-8", "utf8"):
        raise DutygraphError("DG-A003", "store", f"Content-Type {media_type or '(none)'}; send an RDF format in UTF-8")
    base = endpoint_iri(request) if graph == DEFAULT else graph
    try:
        return [quad.triple for quad in ox.parse(await request.body(), format=rdf_format, base_iri=base)]
    except SyntaxError as error:
        raise DutygraphError("DG-A001", "store", str(error)) from error


@router.get("/store")
async def get_graph(request: Request) -> Response:
    """One graph of the store, in the RDF format asked for (404 if the graph does not exist)."""
    graph = target_graph(request)
    result_format = choose_format("graph", request.headers.get("accept"), request.query_params.get("format"))
    if not await graph_exists(request, graph):
        raise DutygraphError("DG-A013", "store", graph)
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {graph_pattern(graph)}"
    body = await run_job(request, QueryJob(query, result_format.media_type, union_default_graph=False))
    return Response(b"" if request.method == "HEAD" else body, media_type=result_format.media_type)


@router.head("/store", include_in_schema=False)
async def head_graph(request: Request) -> Response:
    return await get_graph(request)


async def write_graph(request: Request, replace: bool) -> Response:
    require_token(request)
    graph = target_graph(request)
    triples = await read_triples(request, graph)
    existed = await graph_exists(request, graph)
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    update = f"INSERT DATA {{ {data} }}" if graph == DEFAULT else f"INSERT DATA {{ GRAPH <{graph}> {{ {data} }} }}"
    if replace:
        update = f"DROP SILENT {graph_keyword(graph)} ; {update}"
    await in_worker_thread(request, request.app.state.settings.backend.update, update, None)
    return Response(status_code=204 if existed else 201)


@router.put("/store")
async def put_graph(request: Request) -> Response:
    """Replace a graph with the RDF in the body (needs the update token)."""
    return await write_graph(request, replace=True)


@router.post("/store")
async def post_graph(request: Request) -> Response:
    """Add the RDF in the body to a graph (needs the update token)."""
    return await write_graph(request, replace=False)


@router.delete("/store")
async def delete_graph(request: Request) -> Response:
    """Remove a graph (needs the update token; 404 if it does not exist)."""
    require_token(request)
    graph = target_graph(request)
    if not await graph_exists(request, graph):
        raise DutygraphError("DG-A013", "store", graph)
    await in_worker_thread(request, request.app.state.settings.backend.update, f"DROP {graph_keyword(graph)}", None)
    return Response(status_code=204)
