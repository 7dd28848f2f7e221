"""The store contract every backend honours (embedded pyoxigraph folder, remote SPARQL endpoint).

`open_store(location)` picks the backend: an http(s):// URL is a SPARQL 1.1 endpoint (Protocol +
Graph Store Protocol), anything else is a folder holding an embedded pyoxigraph store.

Queries always see the union of all named graphs as their default graph, and results come back as
pyoxigraph objects (QuerySolutions, QueryBoolean, QueryTriples) whatever the backend, so callers
never care where the data lives.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from dutygraph.errors import DutygraphError
from dutygraph.graph.ids import ID, NS, PREFIXES

CHECKSUM_QUERY = "SELECT ?checksum WHERE {{ GRAPH <{graph}> {{ <{graph}> <" + NS + "checksum> ?checksum }} }}"


class Store(Protocol):
    location: str

    def query(self, sparql: str, *, default_graphs: list[str] | None = None,
              ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a SPARQL 1.1 query; default graph = union of all named graphs, or of `default_graphs`."""

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 update."""

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad], checksum: str) -> None:
        """Atomically replace named graph `graph` with `quads`; readers never see half of it."""

    def add_graphs(self, graphs: list[tuple[str, Iterable[ox.Quad], str]]) -> None:
        """Load (graph, quads, checksum) for graphs not in the store yet, each in one transaction:
        readers see a graph whole or not at all. `quads` is read once, as a stream."""

    def load_graph(self, graph: str, ntriples: bytes, checksum: str, *, new: bool) -> None:
        """`graph` made of the N-Triples `ntriples` and its checksum, in one transaction: added when
        `new` (not in the store yet), else replacing the graph. Ingest's workers hand each document
        over serialised: none of its triples becomes an object on the way to the store."""

    def graph_checksum(self, graph: str) -> str | None:
        """The source checksum recorded when `graph` was last loaded, or None if absent."""

    def dump(self, format: ox.RdfFormat) -> bytes:
        """Serialise the whole store (quads for dataset formats, union triples otherwise)."""

    def close(self) -> None: ...


MEMORY = ":memory:"
DOC_PREFIX = ID + "doc/"


def open_store(location: str, *, read_only: bool = False) -> Store:
    """A folder (embedded), `:memory:` (embedded, nothing on disk) or an http(s):// SPARQL endpoint."""
    if location.startswith(("http://", "https://")):
        from dutygraph.graph.remote import RemoteStore

        return RemoteStore(location)
    return EmbeddedStore(location, read_only=read_only)


def checksum_triple(graph: str, checksum: str) -> ox.Quad:
    """Where the source checksum lives: on the instrument, inside its own graph."""
    return ox.Quad(ox.NamedNode(graph), ox.NamedNode(NS + "checksum"), ox.Literal(checksum), ox.NamedNode(graph))


def graph_body(graph: str, quads: Iterable[ox.Quad], checksum: str) -> Iterator[ox.Triple]:
    """The graph's triples and its checksum triple, streamed (a triple given twice is one in the graph)."""
    target = ox.NamedNode(graph)
    yield from (quad.triple for quad in quads if quad.graph_name == target)
    yield checksum_triple(graph, checksum).triple


def with_checksum(graph: str, ntriples: bytes, checksum: str) -> bytes:
    """The graph's N-Triples and its checksum triple."""
    return ntriples + ox.serialize([checksum_triple(graph, checksum).triple], format=ox.RdfFormat.N_TRIPLES)


def named_graphs(store: Store) -> list[str]:
    """IRIs of the named graphs dutygraph wrote (each records its checksum), sorted; any backend.

    Graphs a server keeps for itself (Virtuoso's virtrdf:) are no part of the dataset."""
    return sorted(row["g"].value for row in store.query(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g <" + NS + "checksum> ?checksum } }"))


def first_value(results: ox.QuerySolutions) -> str | None:
    for solution in results:
        return solution[0].value
    return None


def union_triples(store: Store) -> ox.QueryTriples:
    return store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def serialize_store(store: Store, quads: Iterable[ox.Quad], format: ox.RdfFormat) -> bytes:
    """Dataset formats get every quad; triple formats get the union of all graphs."""
    if format.supports_datasets:
        return ox.serialize(quads, format=format, prefixes=PREFIXES)
    return ox.serialize(union_triples(store), format=format, prefixes=PREFIXES)


class EmbeddedStore:
    """A pyoxigraph store in a folder; every write is one transaction."""

    def __init__(self, location: str, *, read_only: bool = False):
        self.location = location
        self._read_only = read_only
        if read_only and location != MEMORY and not (Path(location) / "CURRENT").is_file():
            # Reading never creates a store; say what makes one instead of the engine's IO error.
            raise DutygraphError("DG-G007", location, f"e.g. dutygraph ingest samples/seeds --store {location}")
        try:
            if location == MEMORY:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(location)
            else:
                Path(location).mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(location)
                self._drop_incomplete_graphs()
        except OSError as error:
            raise DutygraphError("DG-G001", location, str(error)) from error

    def query(self, sparql: str, *, default_graphs: list[str] | None = None):
        scope = ({"default_graph": [ox.NamedNode(graph) for graph in default_graphs]} if default_graphs
                 else {"use_default_graph_as_union": True})
        try:
            return self._store.query(sparql, **scope)
        except SyntaxError as error:
            raise DutygraphError("DG-G002", self.location, str(error)) from error

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
        except SyntaxError as error:
            raise DutygraphError("DG-G002", self.location, str(error)) from error

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad], checksum: str) -> None:
        # DROP and INSERT DATA in one update string: Oxigraph applies it as one transaction.
        body = ox.serialize(graph_body(graph, quads, checksum), format=ox.RdfFormat.N_TRIPLES).decode()
        self._store.update(f"DROP SILENT GRAPH <{graph}> ; INSERT DATA {{ GRAPH <{graph}> {{ {body} }} }}")

    def add_graphs(self, graphs: list[tuple[str, Iterable[ox.Quad], str]]) -> None:
        # One transaction per graph, not the bulk loader: a bulk load is no transaction, and the
        # server's read-only views opened during it showed documents half-written.
        for graph, quads, checksum in graphs:
            target = ox.NamedNode(graph)
            self._store.extend(chain((quad for quad in quads if quad.graph_name == target),
                                     [checksum_triple(graph, checksum)]))

    def load_graph(self, graph: str, ntriples: bytes, checksum: str, *, new: bool) -> None:
        body = with_checksum(graph, ntriples, checksum)
        try:
            if new:  # a load is one transaction, as an extend is
                self._store.load(body, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
            else:
                self._store.update(f"DROP SILENT GRAPH <{graph}> ; INSERT DATA {{ GRAPH <{graph}> {{ {body.decode()} }} }}")
        except (SyntaxError, ValueError) as error:
            raise DutygraphError("DG-G005", graph, str(error)) from error

    def graph_checksum(self, graph: str) -> str | None:
        return first_value(self.query(CHECKSUM_QUERY.format(graph=graph)))

    def dump(self, format: ox.RdfFormat) -> bytes:
        return serialize_store(self, self._store, format)

    def _drop_incomplete_graphs(self) -> None:
        """Instrument graphs whose checksum never got written: leftovers of a bulk load interrupted
        in a store written before documents were added in one transaction each."""
        checksum = ox.NamedNode(NS + "checksum")
        for graph in list(self._store.named_graphs()):
            if graph.value.startswith(DOC_PREFIX) and not any(
                    self._store.quads_for_pattern(graph, checksum, None, graph)):
                self._store.remove_graph(graph)

    def load(self, path: str | None = None, *, data: bytes | None = None,
             format: ox.RdfFormat | None = None) -> None:
        """Add an RDF file (format from its extension) or bytes as they are; triples go to the default graph."""
        if data is not None:
            self._store.load(data, format=format)
        else:
            self._store.load(path=path, format=format)

    def close(self) -> None:
        """Flush and let go of the folder (RocksDB's lock goes with the last reference)."""
        if not self._read_only and self.location != MEMORY:
            self._store.flush()
        del self._store
