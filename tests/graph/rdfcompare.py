"""Compare RDF datasets by isomorphism (graph by graph), never by text."""
from __future__ import annotations

import pyoxigraph as ox
import rdflib
from rdflib.compare import isomorphic


def graphs_of(nquads: bytes) -> dict[str, rdflib.Graph]:
    dataset = rdflib.Dataset()
    dataset.parse(data=nquads.decode("utf-8"), format="nquads")
    return {str(graph.identifier): graph for graph in dataset.graphs() if len(graph)}


def isomorphic_datasets(left: bytes, right: bytes) -> bool:
    """Ground datasets are isomorphic exactly when their quad sets are equal; blank nodes need rdflib."""
    a, b = (set(ox.parse(data, format=ox.RdfFormat.N_QUADS)) for data in (left, right))
    if not any(isinstance(term, ox.BlankNode) for quad in a | b for term in (quad.subject, quad.object)):
        return a == b
    ga, gb = graphs_of(left), graphs_of(right)
    return ga.keys() == gb.keys() and all(isomorphic(ga[name], gb[name]) for name in ga)


def quads_of_graph(store, graph: str) -> set[ox.Quad]:
    data = store.dump(ox.RdfFormat.N_QUADS)
    target = ox.NamedNode(graph)
    return {quad for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS) if quad.graph_name == target}
