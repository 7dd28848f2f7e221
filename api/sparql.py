"""The SPARQL 1.1 Protocol at /sparql: queries (GET, POST form, POST direct) and guarded updates."""
from __future__ import annotations

import asyncio
import functools
import hmac
from dataclasses import dataclass
from urllib.parse import parse_qsl

import fastapi
import pyoxigraph as ox
from fastapi import Request, Response
from starlette.datastructures import URL

from dutygraph.api.negotiation import choose_format
from dutygraph.api.safety import add_using_clauses, inspect_query, inspect_update, known_verdict, require_iri
from dutygraph.api.workers import QueryJob
from dutygraph.errors import DutygraphError

router = fastapi.APIRouter(tags=["SPARQL"])

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RESULT_FORMAT_IRIS = {
    "application/sparql-results+json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "application/sparql-results+xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "text/csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "text/tab-separated-values": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "text/turtle": "http://www.w3.org/ns/formats/Turtle",
    "application/n-triples": "http://www.w3.org/ns/formats/N-Triples",
    "application/rdf+xml": "http://www.w3.org/ns/formats/RDF_XML",
    "application/ld+json": "http://www.w3.org/ns/formats/JSON-LD",
}


@dataclass(frozen=True)
class ProtocolRequest:
    """What a request asks, whatever way it came (GET, form POST, direct POST)."""

    operation: str  # "query" | "update" | "describe-service"
    text: str
    params: tuple[tuple[str, str], ...]

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.params if key == name]


def media_type_and_charset(header: str) -> tuple[str, str]:
    media_type, *parameters = (part.strip() for part in header.split(";"))
    charset = ""
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.lower(), charset


def decode_utf8(body: bytes, charset: str) -> str:
    if charset and charset not in ("utf-8", "utf8"):
        raise DutygraphError("DG-A003", "sparql", f"charset={charset}; only UTF-8 is accepted")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DutygraphError("DG-A003", "sparql", "the body is not UTF-8") from error


# Decoding a form is pure, and percent-decoding a query written in Chinese took a tenth of a short
# request's time on the event loop: the same bytes sent again are decoded once (refusals raise
# every time; a long body is not kept).
MAX_KEPT_FORM = 64 << 10


def decoded_params(data: bytes, charset: str = "") -> list[tuple[str, str]]:
    """name=value pairs of a query string or form body, refused (415) unless every value is UTF-8,
    whether its bytes came raw or percent-encoded."""
    return list(decoded_form(data, charset) if len(data) <= MAX_KEPT_FORM else decode_form(data, charset))


def decode_form(data: bytes, charset: str) -> tuple[tuple[str, str], ...]:
    text = decode_utf8(data, charset)
    try:
        return tuple(parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict"))
    except UnicodeDecodeError as error:
        raise DutygraphError("DG-A003", "sparql", "a percent-encoded value is not UTF-8") from error


decoded_form = functools.lru_cache(maxsize=256)(decode_form)


def single(values: list[str], name: str) -> str:
    if len(values) != 1:
        raise DutygraphError("DG-A002", "sparql", f"expected exactly one {name} parameter, got {len(values)}")
    return values[0]


def operation_from_params(params: list[tuple[str, str]]) -> ProtocolRequest:
    queries = [value for key, value in params if key == "query"]
    updates = [value for key, value in params if key == "update"]
    if queries and updates:
        raise DutygraphError("DG-A002", "sparql", "both query and update given")
    if updates:
        return ProtocolRequest("update", single(updates, "update"), tuple(params))
    return ProtocolRequest("query", single(queries, "query"), tuple(params))


async def read_post(request: Request) -> ProtocolRequest:
    url_params = decoded_params(request.scope.get("query_string", b""))
    media_type, charset = media_type_and_charset(request.headers.get("content-type", ""))
    body = await request.body()
    if media_type == FORM:
        return operation_from_params(url_params + decoded_params(body, charset))
    if media_type == QUERY_BODY:
        return ProtocolRequest("query", decode_utf8(body, charset), tuple(url_params))
    if media_type == UPDATE_BODY:
        return ProtocolRequest("update", decode_utf8(body, charset), tuple(url_params))
    raise DutygraphError(
        "DG-A003", "sparql", f"Content-Type {media_type or '(none)'}; use {FORM}, {QUERY_BODY} or {UPDATE_BODY}"
    )


def read_get(request: Request) -> ProtocolRequest:
    params = decoded_params(request.scope.get("query_string", b""))
    if any(key == "update" for key, _ in params):
        raise DutygraphError("DG-A002", "sparql", "updates must be sent with POST")
    if not any(key == "query" for key, _ in params):
        return ProtocolRequest("describe-service", "", tuple(params))
    return operation_from_params(params)


def endpoint_iri(request: Request) -> str:
    """This endpoint's IRI, the base of relative IRIs. Request headers can shape it (Host), so it is
    checked before it is written into any SPARQL text."""
    scope = request.scope
    server = scope.get("server")
    return endpoint_iri_of(scope["scheme"], tuple(server) if server else None, scope["path"], request.headers.get("host"))


@functools.lru_cache(maxsize=64)
def endpoint_iri_of(scheme: str, server: tuple | None, path: str, host: str | None) -> str:
    """`endpoint_iri` from what it depends on, kept: building a URL object took a twentieth of a
    short request's time."""
    headers = [(b"host", host.encode("latin-1"))] if host is not None else []
    scope = {"type": "http", "scheme": scheme, "server": server, "path": path, "query_string": b"", "headers": headers}
    iri = require_iri(str(URL(scope=scope)))
    try:
        ox.NamedNode(iri)
    except ValueError as error:
        raise DutygraphError("DG-A002", "sparql", f"not an IRI: {iri!r}") from error
    return iri


async def in_worker_thread(request: Request, function, *args):
    return await asyncio.get_running_loop().run_in_executor(request.app.state.executor, function, *args)


async def answer_query(request: Request, operation: ProtocolRequest) -> Response:
    # Parsing takes the GIL for a while on a long query: never on the event loop; a text already
    # judged is not parsed again.
    shape = known_verdict(operation.text) or await in_worker_thread(request, inspect_query, operation.text)
    if shape.kind == "update":
        raise DutygraphError("DG-A002", "sparql", "an update was sent as a query; use update= or sparql-update")
    result_format = choose_format(
        shape.kind, request.headers.get("accept"), next(iter(operation.values("format")), None)
    )
    default_graphs = [require_iri(iri) for iri in operation.values("default-graph-uri")]
    named_graphs = [require_iri(iri) for iri in operation.values("named-graph-uri")]
    protocol_dataset = bool(default_graphs or named_graphs)
    job = QueryJob(
        query=operation.text,
        media_type=result_format.media_type,
        base_iri=endpoint_iri(request),
        # The store's default graph is the union of all graphs, unless the request names a dataset.
        union_default_graph=not shape.has_dataset_clause,
        default_graphs=tuple(default_graphs) if protocol_dataset else None,
        named_graphs=tuple(named_graphs) if protocol_dataset else None,
    )
    settings = request.app.state.settings
    body = await settings.backend.run_async(job, settings.query_timeout, reuse=shape.repeatable)
    return Response(body, media_type=result_format.media_type)


def require_token(request: Request) -> None:
    token = request.app.state.settings.update_token
    scheme, _, sent = request.headers.get("authorization", "").partition(" ")
    if not token or scheme.lower() != "bearer" or not hmac.compare_digest(sent.strip().encode(), token.encode()):
        raise DutygraphError("DG-A006", "sparql")


async def apply_protocol_update(request: Request, operation: ProtocolRequest) -> Response:
    require_token(request)
    shape = await in_worker_thread(request, inspect_update, operation.text)
    using = [require_iri(iri) for iri in operation.values("using-graph-uri")]
    using_named = [require_iri(iri) for iri in operation.values("using-named-graph-uri")]
    text = operation.text
    if using or using_named:
        if shape.has_dataset_clause:
            raise DutygraphError("DG-A002", "sparql", "using-graph-uri together with USING or WITH in the update")
        text = add_using_clauses(text, using, using_named)
    settings = request.app.state.settings
    await in_worker_thread(request, settings.backend.update, text, endpoint_iri(request))
    return Response(status_code=204)


def describe_service(request: Request) -> Response:
    result_format = choose_format("graph", request.headers.get("accept"), request.query_params.get("format"))
    service, endpoint = ox.BlankNode(), ox.NamedNode(endpoint_iri(request))
    languages = ["SPARQL11Query"] + (["SPARQL11Update"] if request.app.state.settings.update_token else [])
    triples = [
        ox.Triple(service, ox.NamedNode(RDF_TYPE), ox.NamedNode(SD + "Service")),
        ox.Triple(service, ox.NamedNode(SD + "endpoint"), endpoint),
        ox.Triple(service, ox.NamedNode(SD + "feature"), ox.NamedNode(SD + "UnionDefaultGraph")),
    ]
    triples += [ox.Triple(service, ox.NamedNode(SD + "supportedLanguage"), ox.NamedNode(SD + name)) for name in languages]
    triples += [
        ox.Triple(service, ox.NamedNode(SD + "resultFormat"), ox.NamedNode(iri)) for iri in RESULT_FORMAT_IRIS.values()
    ]
    body = ox.serialize(triples, format=ox.RdfFormat.from_media_type(result_format.media_type))
    return Response(body, media_type=result_format.media_type)


async def dispatch(request: Request, operation: ProtocolRequest) -> Response:
    if operation.operation == "update":
        return await apply_protocol_update(request, operation)
    if operation.operation == "query":
        return await answer_query(request, operation)
    return describe_service(request)


QUERY_PARAMETERS = [
    {"name": "query", "in": "query", "schema": {"type": "string"}, "description": "SPARQL query (none: service description)"},
    {"name": "default-graph-uri", "in": "query", "schema": {"type": "string"}},
    {"name": "named-graph-uri", "in": "query", "schema": {"type": "string"}},
    {"name": "format", "in": "query", "schema": {"type": "string"}, "description": "json, xml, csv, tsv, turtle, …"},
]


@router.get("/sparql", openapi_extra={"parameters": QUERY_PARAMETERS})
async def sparql_get(request: Request) -> Response:
    """SPARQL query by GET; without `query`, the service description."""
    return await dispatch(request, read_get(request))


@router.post(
    "/sparql",
    openapi_extra={
        "requestBody": {
            "content": {
                FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}, "update": {"type": "string"}}}},
                QUERY_BODY: {"schema": {"type": "string"}},
                UPDATE_BODY: {"schema": {"type": "string"}},
            }
        }
    },
)
async def sparql_post(request: Request) -> Response:
    """SPARQL query (form or direct body) or update (needs `Authorization: Bearer TOKEN`)."""
    return await dispatch(request, await read_post(request))
