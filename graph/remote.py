"""A store behind a SPARQL 1.1 server: Protocol for query/update, Graph Store Protocol for graphs.

Two layouts, both tested by the store contract suite on a real server:
- `http://host:7878` means `…/query`, `…/update` and `…/store` (the Oxigraph server, started with
  `serve --union-default-graph`);
- a URL ending in `/sparql`, e.g. `http://host:8890/sparql`, is Virtuoso's: queries and updates at
  that URL, the Graph Store Protocol at `…/sparql-graph-crud` (the SPARQL user needs SPARQL_UPDATE;
  see docs/scaling.md). Virtuoso's default graph is already the union of its graphs.
Requests use the form-encoded POST of the SPARQL Protocol, which every server accepts (Virtuoso
7.2 never answers a direct `application/sparql-query` POST). Results are parsed with pyoxigraph's
own parsers so every backend returns the same objects.
"""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib.plugins.sparql.parser import parseQuery

from dutygraph.errors import DutygraphError
from dutygraph.graph.ids import NS
from dutygraph.graph.store import (
    CHECKSUM_QUERY,
    first_value,
    graph_body,
    load_each,
    serialize_store,
    with_checksum,
)

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
FORM = "application/x-www-form-urlencoded"
# Only the graphs dutygraph wrote (each records its checksum on its own IRI): a server may keep
# graphs of its own (Virtuoso's virtrdf: quad-map metadata) that are no part of the dataset.
ALL_QUADS = ("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?g <" + NS + "checksum> ?checksum } "
             "GRAPH ?g { ?s ?p ?o } }")
SPARQL_SUFFIX = "/sparql"
BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
CANONICAL_BOOLEAN = {"1": "true", "0": "false"}


class RemoteStore:
    def __init__(self, location: str, *, query: str = "query", update: str = "update",
                 graph_store: str = "store", timeout: float = 300.0):
        self.location = location.rstrip("/")
        if self.location.endswith(SPARQL_SUFFIX):
            self._query_url = self._update_url = self.location
            self._graph_store_url = f"{self.location}-graph-crud"
        else:
            self._query_url = f"{self.location}/{query}"
            self._update_url = f"{self.location}/{update}"
            self._graph_store_url = f"{self.location}/{graph_store}"
        self._timeout = timeout

    def query(self, sparql: str, *, default_graphs: list[str] | None = None):
        # SPARQL Protocol: default-graph-uri parameters make those graphs the query's default graph.
        form = [("query", sparql), *(("default-graph-uri", graph) for graph in default_graphs or [])]
        # Ask for the one format of the query's form: a server that may answer a CONSTRUCT in
        # SPARQL results JSON (Virtuoso does) must not be offered that choice.
        accept = N_TRIPLES if returns_triples(sparql) else RESULTS_JSON
        content_type, body = self._send(self._query_url, "POST", urllib.parse.urlencode(form).encode(), FORM,
                                        accept=accept)
        if accept == N_TRIPLES:
            return as_query_triples(body)
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)

    def update(self, sparql: str) -> None:
        self._send(self._update_url, "POST", urllib.parse.urlencode({"update": sparql}).encode(), FORM)

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad], checksum: str) -> None:
        # Graph Store Protocol PUT: the server swaps the whole graph in one request.
        body = ox.serialize(graph_body(graph, quads, checksum), format=ox.RdfFormat.N_TRIPLES)
        url = f"{self._graph_store_url}?{urllib.parse.urlencode({'graph': graph})}"
        self._send(url, "PUT", body, N_TRIPLES)

    def add_graphs(self, graphs: list[tuple[str, Iterable[ox.Quad], str]]) -> None:
        # One PUT per graph: the Oxigraph server applies each in one transaction, Virtuoso's
        # Graph Store endpoint in one request (see docs/scaling.md for what readers see there).
        for graph, quads, checksum in graphs:
            self.replace_graph(graph, quads, checksum)

    def load_graph(self, graph: str, ntriples: bytes | IO[bytes], checksum: str, *, new: bool) -> None:
        # a PUT creates the graph or replaces it, in one request either way
        url = f"{self._graph_store_url}?{urllib.parse.urlencode({'graph': graph})}"
        data = ntriples if isinstance(ntriples, bytes) else ntriples.read()
        self._send(url, "PUT", with_checksum(graph, data, checksum), N_TRIPLES)

    def load_graphs(self, graphs: list[tuple[str, bytes | Path, str, bool]]) -> dict[str, DutygraphError]:
        return load_each(self, graphs)

    def graph_checksum(self, graph: str) -> str | None:
        return first_value(self.query(CHECKSUM_QUERY.format(graph=graph)))

    def dump(self, format: ox.RdfFormat) -> bytes:
        quads = (ox.Quad(row["s"], row["p"], canonical(row["o"]), row["g"]) for row in self.query(ALL_QUADS))
        return serialize_store(self, quads, format)

    def batch_bytes(self) -> int:
        return 0  # load_graphs sends one document after the other: nothing to wait for

    def settle(self) -> None:
        """The server compacts what it wrote by itself."""

    def close(self) -> None:
        """Nothing to release: every request is its own connection."""

    def _send(self, url: str, method: str, body: bytes, content_type: str,
              accept: str = "*/*") -> tuple[str, bytes]:
        request = urllib.request.Request(url, data=body, method=method,
                                         headers={"Content-Type": content_type, "Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")[:500]
            code = "DG-G002" if error.code == 400 else "DG-G003"
            raise DutygraphError(code, url, f"HTTP {error.code}: {detail}") from error
        except (urllib.error.URLError, OSError) as error:
            raise DutygraphError("DG-G003", url, str(error)) from error


@lru_cache(maxsize=256)
def returns_triples(sparql: str) -> bool:
    """CONSTRUCT or DESCRIBE, read from the parsed query; what does not parse is the server's to reject."""
    try:
        return parseQuery(sparql)[1].name in ("ConstructQuery", "DescribeQuery")
    except ParseException:
        return False


def as_query_triples(body: bytes) -> ox.QueryTriples:
    """CONSTRUCT/DESCRIBE answers, as the same QueryTriples object the embedded store returns."""
    local = ox.Store()
    local.extend(ox.Quad(t.subject, t.predicate, canonical(t.object))
                 for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    return local.query("CONSTRUCT WHERE { ?s ?p ?o }")


def canonical(term):
    """Booleans in their canonical form: Virtuoso stores them as integers and answers "1"^^xsd:boolean,
    the same value as the "true"^^xsd:boolean that was written."""
    if isinstance(term, ox.Literal) and term.datatype == BOOLEAN and term.value in CANONICAL_BOOLEAN:
        return ox.Literal(CANONICAL_BOOLEAN[term.value], datatype=BOOLEAN)
    return term
