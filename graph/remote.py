"""A store behind any SPARQL 1.1 server: Protocol for query/update, Graph Store Protocol for graphs.

`http://host:7878` means `…/query`, `…/update` and `…/store` (Oxigraph's layout; Fuseki's
`…/ds` dataset URL works the same with its `query`, `update` and `data` services when given as
`RemoteStore(url, graph_store="data")`). The server must use the union of its named graphs as the
default graph (Oxigraph: `serve --union-default-graph`; Fuseki: `unionDefaultGraph`), which is what
the embedded store does too. Results are parsed with pyoxigraph's own parsers so both backends
return the same objects.
"""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable

import pyoxigraph as ox

from dutygraph.errors import DutygraphError
from dutygraph.graph.store import CHECKSUM_QUERY, first_value, graph_body, serialize_store

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


class RemoteStore:
    def __init__(self, location: str, *, query: str = "query", update: str = "update",
                 graph_store: str = "store", timeout: float = 300.0):
        self.location = location.rstrip("/")
        self._query_url = f"{self.location}/{query}"
        self._update_url = f"{self.location}/{update}"
        self._graph_store_url = f"{self.location}/{graph_store}"
        self._timeout = timeout

    def query(self, sparql: str, *, default_graphs: list[str] | None = None):
        # SPARQL Protocol: default-graph-uri parameters make those graphs the query's default graph.
        scope = urllib.parse.urlencode([("default-graph-uri", graph) for graph in default_graphs or []])
        content_type, body = self._send(
            f"{self._query_url}?{scope}" if scope else self._query_url, "POST", sparql.encode("utf-8"), "application/sparql-query",
            accept=f"{RESULTS_JSON}, {N_TRIPLES};q=0.9")
        if content_type.startswith(N_TRIPLES):
            return as_query_triples(body)
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)

    def update(self, sparql: str) -> None:
        self._send(self._update_url, "POST", sparql.encode("utf-8"), "application/sparql-update")

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad], checksum: str) -> None:
        # Graph Store Protocol PUT: the server swaps the whole graph in one request.
        body = ox.serialize(graph_body(graph, quads, checksum), format=ox.RdfFormat.N_TRIPLES)
        url = f"{self._graph_store_url}?{urllib.parse.urlencode({'graph': graph})}"
        self._send(url, "PUT", body, N_TRIPLES)

    def add_graphs(self, graphs: list[tuple[str, list[ox.Quad], str]]) -> None:
        for graph, quads, checksum in graphs:
            self.replace_graph(graph, quads, checksum)

    def graph_checksum(self, graph: str) -> str | None:
        return first_value(self.query(CHECKSUM_QUERY.format(graph=graph)))

    def dump(self, format: ox.RdfFormat) -> bytes:
        quads = (ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in self.query(ALL_QUADS))
        return serialize_store(self, quads, format)

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


def as_query_triples(body: bytes) -> ox.QueryTriples:
    """CONSTRUCT/DESCRIBE answers, as the same QueryTriples object the embedded store returns."""
    local = ox.Store()
    local.extend(ox.Quad(t.subject, t.predicate, t.object)
                 for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    return local.query("CONSTRUCT WHERE { ?s ?p ?o }")
