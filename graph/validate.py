"""SHACL validation: pyshacl is the reference; the SPARQL form of each shape runs in the store, and
graph/shacl.py evaluates the shapes in memory (what ingest and `validate` of a store use).

All paths return the same `Violation`s (tests/graph/test_validate.py and test_incremental.py prove
it on the seeds and on every injected defect). pyshacl validates one instrument graph (plus the ontology graph) at a time,
since it needs ~1.3 GB per million triples; the fast path runs the same scopes inside the store.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
import rdflib
from pyshacl import validate as shacl_validate

from dutygraph.graph.ids import ONTOLOGY_GRAPH, PREFIXES
from dutygraph.graph.store import Store
from dutygraph.shapes import SHAPES_DIR

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
CHECK = rdflib.URIRef("https://w3id.org/dutygraph/shapes#check")
SPARQL_PREFIXES = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
WRITTEN_GRAPHS = "SELECT ?g WHERE { GRAPH ?g { ?g <https://w3id.org/dutygraph/ns#checksum> ?checksum } }"
ARTICLE = re.compile(r"/art/(\d+(?:-\d+)?)")
GRAPH_OF = """SELECT ?graph ?file WHERE {{ GRAPH ?graph {{ <{focus}> ?p ?o }}
  OPTIONAL {{ GRAPH ?graph {{ ?graph <https://w3id.org/dutygraph/ns#sourceFile> ?file }} }} }} LIMIT 1"""


@dataclass(frozen=True, order=True)
class Violation:
    focus: str  # the offending node's IRI (or blank node label)
    shape: str  # the property shape that failed
    message: str
    value: str = ""


@dataclass(frozen=True, order=True)
class Check:
    shape: str
    message: str
    sparql: str


@lru_cache(maxsize=1)
def shapes_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@lru_cache(maxsize=1)
def checks() -> tuple[Check, ...]:
    graph = shapes_graph()
    return tuple(sorted(
        Check(str(shape), str(graph.value(shape, SH.message)), SPARQL_PREFIXES + str(query))
        for shape, query in graph.subject_objects(CHECK)))


def fast_violations(store: Store) -> list[Violation]:
    """Every shape's SPARQL form, graph by graph (each instrument graph with the ontology graph, as
    pyshacl is run), so each query stays small; one violation per focus and shape."""
    found = {}
    for scope in validation_scopes(store):
        for check in checks():
            for row in store.query(check.sparql, default_graphs=scope):
                focus = row["focus"].value
                value = row["value"]
                found.setdefault((focus, check.shape), Violation(
                    focus, check.shape, check.message, value.value if value is not None else ""))
    return sorted(found.values())


def validation_scopes(store: Store) -> list[list[str]]:
    """[graph, ontology] for every graph dutygraph wrote (each records its checksum on its own IRI)."""
    graphs = sorted(row["g"].value for row in store.query(WRITTEN_GRAPHS) if row["g"].value != ONTOLOGY_GRAPH)
    return [[graph, ONTOLOGY_GRAPH] for graph in graphs] or [[ONTOLOGY_GRAPH]]


def reference_violations(data: rdflib.Graph) -> list[Violation]:
    """pyshacl over one rdflib graph, reduced to one violation per focus and shape."""
    _, results, _ = shacl_validate(data, shacl_graph=shapes_graph(), inference="none", advanced=False)
    found = {}
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus, shape = results.value(result, SH.focusNode), results.value(result, SH.sourceShape)
        value = results.value(result, SH.value)
        found.setdefault((str(focus), str(shape)), Violation(
            str(focus), str(shape), str(results.value(result, SH.resultMessage) or ""),
            str(value) if value is not None else ""))
    return sorted(found.values())


def reference_store_violations(store: Store) -> list[Violation]:
    """pyshacl graph by graph: each instrument graph together with the ontology graph."""
    found: set[Violation] = set()
    for scope in validation_scopes(store):
        found.update(reference_violations(rdflib_graph(store, scope)))
    return sorted(found)


def rdflib_graph(store: Store, graphs: Iterable[str]) -> rdflib.Graph:
    data = rdflib.Graph()
    for graph in graphs:
        triples = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    return data


def locate(store: Store, violation: Violation) -> str:
    """`file.txt, article 5` for a person: which instrument and article the offending node is in."""
    where = ""
    if violation.focus.startswith(("http://", "https://")):
        for row in store.query(GRAPH_OF.format(focus=violation.focus)):
            where = row["file"].value if row["file"] is not None else row["graph"].value
    article = ARTICLE.search(violation.focus)
    if article:
        where += f", article {article.group(1)}"
    return where or "-"


def report_lines(store: Store, violations: list[Violation]) -> list[str]:
    return [f"{locate(store, v)}: {v.message} — {v.focus}" + (f" (value {v.value})" if v.value else "")
            for v in violations]
