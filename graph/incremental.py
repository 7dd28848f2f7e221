"""Validation per document at ingest, and afterwards only what changed.

Ingest validates each document's graph as it is built (in the worker, in memory by graph/shacl.py,
together with the ontology: the scope pyshacl and `fast_violations` use) and records the findings
in the validation graph, keyed by the document's source checksum, the ontology's checksum and the shapes' checksum.
`dutygraph validate` then reads the records and re-checks, in memory, only the graphs whose key no
longer matches (or that have none). A graph changed by a SPARQL update keeps its source checksum, so
its record is not renewed: `validate --full` re-checks every graph.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from functools import lru_cache

import pyoxigraph as ox

from dutygraph.graph import shacl
from dutygraph.graph.ids import ID, NS, ONTOLOGY_GRAPH, instrument_iri
from dutygraph.graph.shacl import (
    TYPE,
    Triples,
    Union,
    reaching_predicates,
    relevant,
    relevant_predicates,
    relevant_statements,
)
from dutygraph.graph.store import Store
from dutygraph.graph.terms import Part, plain
from dutygraph.graph.validate import Violation
from dutygraph.graph.vocabulary import ontology_checksum, ontology_quads
from dutygraph.shapes import SHAPES_DIR

RECORDS_GRAPH = ID + "graph/validation"
KEY = NS + "validationKey"
FOUND = NS + "violationsJson"  # [[focus, shape, message, value], …]: a record is read back whole, never queried into
WRITTEN = f"SELECT ?g ?checksum WHERE {{ GRAPH ?g {{ ?g <{NS}checksum> ?checksum }} }}"
RECORDS = f"SELECT ?g ?key ?found WHERE {{ GRAPH <{RECORDS_GRAPH}> {{ ?g <{KEY}> ?key ; <{FOUND}> ?found }} }}"
RECORDS_PER_UPDATE = 500  # keeps each update a size every server parses quickly
CHECK_CHUNK = 5_000  # statements a shape reads, checked at a time at ingest (about a MB of index)


@lru_cache(maxsize=1)
def shapes_checksum() -> str:
    digest = hashlib.sha256()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def record_key(source_checksum: str, ontology: str) -> str:
    return f"{source_checksum} {ontology} {shapes_checksum()}"


class Checker:
    """The ontology indexed once; each document is indexed and checked with it (graph/shacl.py)."""

    def __init__(self, ontology: Iterable[ox.Triple | ox.Quad]):
        self.ontology = Triples(relevant(ontology))

    def violations(self, triples: Iterable[ox.Triple | ox.Quad]) -> tuple[Violation, ...]:
        return self.check(relevant(triples))

    def check(self, triples: Iterable[tuple]) -> tuple[Violation, ...]:
        """`triples`: (subject, predicate IRI, object) as plain terms (graph/terms.py), already
        reduced to what the shapes read."""
        return shacl.violations(Union(Triples(triples), self.ontology))

    def check_parts(self, parts: Iterable[Part], chunk: int = CHECK_CHUNK) -> tuple[Violation, ...]:
        """check() of a document's statements given in parts (graph/rdf.py graph_parts: a part says all
        there is about its subjects, and the nodes it names are typed in it or in an earlier part and
        not settled before it).

        Parts are checked `chunk` statements at a time. Of those checked, only what a later focus node
        can read of other nodes is kept (their types, and the predicates a path walks past its focus),
        and of those only until a part says they are settled (terms.Part), so a large document's index
        never stands whole. The ontology's focus nodes are checked with the first chunk, which holds
        all a document says of them (the instrument's part)."""
        reaching = reaching_predicates()
        kept = Triples()
        found: list[Violation] = []
        focus_layers: tuple[Triples, ...] = (self.ontology,)
        pending: list[tuple] = []
        settled: list[str] = []
        for part in parts:
            pending.extend(relevant_statements(part))
            settled.extend(part.settled)
            if len(pending) >= chunk:
                found.extend(self._check_chunk(pending, kept, reaching, focus_layers, settled))
                pending, focus_layers, settled = [], (), []
        found.extend(self._check_chunk(pending, kept, reaching, focus_layers, settled))
        return tuple(sorted(found))

    def _check_chunk(self, statements: list[tuple], kept: Triples, reaching: frozenset[str],
                     focus_layers: tuple[Triples, ...], settled: list[str]) -> tuple[Violation, ...]:
        current = Triples(statements)
        found = shacl.violations(Union(current, kept, self.ontology), (current, *focus_layers))
        kept.add_types(statement for statement in statements if statement[1] == TYPE)
        kept.add(statement for statement in statements if statement[1] in reaching)
        kept.forget(settled)
        return found


@lru_cache(maxsize=1)
def package_checker() -> Checker:
    """One per process (ingest workers keep theirs): the ontology ingest loads into every store."""
    return Checker(ontology_quads())


def document_violations(quads: Iterable[ox.Quad]) -> tuple[Violation, ...]:
    """A freshly built document graph, checked against the package's ontology (ingest's scope)."""
    return package_checker().violations(quads)


def statement_violations(statements: Iterable[tuple]) -> tuple[Violation, ...]:
    """document_violations of a document's statements as graph/rdf.py builds them (plain terms)."""
    return package_checker().check(relevant_statements(statements))


def part_violations(parts: Iterable[Part]) -> tuple[Violation, ...]:
    """statement_violations of a document's statements in graph/rdf.py's parts, a chunk at a time."""
    return package_checker().check_parts(parts)


def write_records(store: Store, validated: dict[str, tuple[str, tuple[Violation, ...]]]) -> None:
    """`validated`: graph → (source checksum, violations) of the documents this ingest wrote."""
    ontology = ontology_checksum()
    graphs = list(validated)
    for start in range(0, len(graphs), RECORDS_PER_UPDATE):
        batch = graphs[start:start + RECORDS_PER_UPDATE]
        deletes = [f"DELETE WHERE {{ GRAPH <{RECORDS_GRAPH}> {{ <{graph}> ?p ?o }} }}" for graph in batch]
        store.update(" ;\n".join([*deletes, records_update({graph: validated[graph] for graph in batch}, ontology)]))


def records_update(validated: dict[str, tuple[str, tuple[Violation, ...]]], ontology: str) -> str:
    triples = []
    for graph, (checksum, violations) in validated.items():
        subject = ox.NamedNode(graph)
        triples.append(ox.Triple(subject, ox.NamedNode(KEY), ox.Literal(record_key(checksum, ontology))))
        triples.append(ox.Triple(subject, ox.NamedNode(FOUND), ox.Literal(json.dumps(
            [[v.focus, v.shape, v.message, v.value] for v in violations], ensure_ascii=False))))
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()
    return f"INSERT DATA {{ GRAPH <{RECORDS_GRAPH}> {{ {body} }} }}"


def store_violations(store: Store, *, full: bool = False) -> tuple[list[Violation], int]:
    """Every graph's findings (records where they are current) and how many graphs were re-checked."""
    ontology = store.graph_checksum(ONTOLOGY_GRAPH) or ""
    written = written_graphs(store)
    records = {} if full else {row["g"].value: (row["key"].value, row["found"].value) for row in store.query(RECORDS)}
    found: set[Violation] = set()
    stale = {}
    for graph, checksum in written.items():
        key, violations = records.get(graph, ("", ""))
        if key == record_key(checksum, ontology):
            found.update(Violation(*fields) for fields in json.loads(violations))
        else:
            stale[graph] = checksum
    for _, violations in recheck(store, stale).values():
        found.update(violations)
    return sorted(found), len(stale)


def written_graphs(store: Store) -> dict[str, str]:
    """Instrument graph → its source checksum (the ontology graph and the derived graphs ingest
    recomputes — versions, unit counts — left out: only documents are validated by record)."""
    documents = instrument_iri("")
    return {row["g"].value: row["checksum"].value for row in store.query(WRITTEN)
            if row["g"].value.startswith(documents)}


def recheck(store: Store, graphs: dict[str, str]) -> dict[str, tuple[str, tuple[Violation, ...]]]:
    """graph → (checksum, violations), each graph checked in memory with the store's ontology graph;
    the shape write_records takes, to renew records of a store ingested before they existed."""
    if not graphs:
        return {}
    checker = Checker(graph_triples(store, ONTOLOGY_GRAPH))
    return {graph: (checksum, checker.check(shape_triples(store, graph))) for graph, checksum in graphs.items()}


def graph_triples(store: Store, graph: str) -> ox.QueryTriples:
    return store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")


def shape_triples(store: Store, graph: str) -> Iterator[tuple]:
    """The statements of `graph` the shapes read (shacl.relevant), selected by the store's predicate index."""
    predicates = " ".join(f"<{predicate}>" for predicate in sorted(relevant_predicates()))
    for row in store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ VALUES ?p {{ {predicates} }} ?s ?p ?o }} }}"):
        yield plain(row[0]), row[1].value, plain(row[2])
