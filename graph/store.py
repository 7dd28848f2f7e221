"""The store contract every backend honours (embedded pyoxigraph folder, remote SPARQL endpoint).

`open_store(location)` picks the backend: an http(s):// URL is a SPARQL 1.1 endpoint (Protocol +
Graph Store Protocol), anything else is a folder holding an embedded pyoxigraph store.

Queries always see the union of all named graphs as their default graph, and results come back as
pyoxigraph objects (QuerySolutions, QueryBoolean, QueryTriples) whatever the backend, so callers
never care where the data lives.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import pyoxigraph as ox


class Store(Protocol):
    location: str

    def query(self, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a SPARQL 1.1 query; default graph = union of all named graphs."""

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 update."""

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad], checksum: str) -> None:
        """Atomically replace named graph `graph` with `quads`; readers never see half of it."""

    def graph_checksum(self, graph: str) -> str | None:
        """The source checksum recorded when `graph` was last loaded, or None if absent."""

    def dump(self, format: ox.RdfFormat) -> bytes:
        """Serialise the whole store (quads for dataset formats, union triples otherwise)."""

    def close(self) -> None: ...


def open_store(location: str, *, read_only: bool = False) -> Store:
    raise NotImplementedError("issue 4 implements the embedded and remote backends")
