"""The shapes of shapes/ evaluated in Python over indexed triples: one document graph in milliseconds.

The shapes graph is read, not restated: each property shape becomes a `PropertyRule` with the
SHACL constraint components the shapes use (paths made of predicates, sequences, one-or-more and
zero-or-more paths; min/max count, datatype, in, class, node kind, pattern, a qualified value shape
of a class or a language). A shape using anything else is refused when the rules are compiled, so
a new kind of constraint cannot pass unchecked. Findings are those of pyshacl (tests/graph/
test_validate.py and test_incremental.py compare both on the seeds and on every injected defect),
one per focus node and shape: the first of a missing value, an offending value, too many values.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection

from dutygraph.errors import DutygraphError
from dutygraph.graph.ids import RDF, RDFS, XSD
from dutygraph.graph.validate import SH, Violation, shapes_graph

TYPE, SUBCLASS = ox.NamedNode(RDF + "type"), ox.NamedNode(RDFS + "subClassOf")
# Lexical forms a datatype accepts (SHACL's sh:datatype fails ill-formed literals too).
WELL_FORMED = {XSD + "integer": re.compile(r"[+-]?[0-9]+"), XSD + "boolean": re.compile(r"true|false|1|0")}
HANDLED = {SH.path, SH.minCount, SH.maxCount, SH.datatype, getattr(SH, "in"), getattr(SH, "class"), SH.nodeKind,
           SH.pattern, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.message,
           rdflib.RDF.type, rdflib.URIRef("https://w3id.org/dutygraph/shapes#check")}
INNER = {getattr(SH, "class"), SH.languageIn}


@dataclass(frozen=True)
class Path:
    kind: str  # "predicate", "sequence", "oneOrMore", "zeroOrMore"
    predicate: ox.NamedNode | None = None
    steps: tuple[Path, ...] = ()


@dataclass(frozen=True)
class PropertyRule:
    shape: str
    message: str
    path: Path
    min_count: int | None = None
    max_count: int | None = None
    datatype: str | None = None
    allowed: frozenset | None = None  # sh:in
    of_class: ox.NamedNode | None = None
    iri_only: bool = False  # sh:nodeKind sh:IRI
    pattern: re.Pattern | None = None
    qualified_class: ox.NamedNode | None = None
    qualified_languages: tuple[str, ...] = ()
    qualified_min: int | None = None
    qualified_max: int | None = None


@dataclass(frozen=True)
class NodeRule:
    target_classes: tuple[ox.NamedNode, ...]
    target_subjects_of: tuple[ox.NamedNode, ...]
    properties: tuple[PropertyRule, ...]


class Triples:
    """Subject → predicate → objects, and class → typed nodes, over a few layers (one document, the
    ontology) read as their union."""

    def __init__(self, triples: Iterable[ox.Triple | ox.Quad]):
        self.out: dict = defaultdict(lambda: defaultdict(set))
        self.typed: dict = defaultdict(set)
        self.subjects_of: dict = defaultdict(set)
        for triple in triples:
            self.out[triple.subject][triple.predicate].add(triple.object)
            self.subjects_of[triple.predicate].add(triple.subject)
            if triple.predicate == TYPE:
                self.typed[triple.object].add(triple.subject)


class Union:
    def __init__(self, *layers: Triples):
        self.layers = layers
        self._subclasses: dict = {}

    def objects(self, subject, predicate) -> set:
        found = set()
        for layer in self.layers:
            by_predicate = layer.out.get(subject)
            if by_predicate is not None:
                found |= by_predicate.get(predicate, set())
        return found

    def subjects_of(self, predicate) -> set:
        return set().union(*(layer.subjects_of.get(predicate, set()) for layer in self.layers))

    def subclasses(self, cls) -> set:
        """`cls` and every class below it through rdfs:subClassOf*."""
        if cls not in self._subclasses:
            found, todo, below = {cls}, [cls], self.subjects_of(SUBCLASS)
            while todo:
                current = todo.pop()
                for sub in below:
                    if sub not in found and current in self.objects(sub, SUBCLASS):
                        found.add(sub)
                        todo.append(sub)
            self._subclasses[cls] = found
        return self._subclasses[cls]

    def instances(self, cls) -> set:
        return set().union(*(layer.typed.get(sub, set()) for layer in self.layers for sub in self.subclasses(cls)))

    def is_instance(self, node, cls) -> bool:
        return not isinstance(node, ox.Literal) and bool(
            set().union(*(layer.out.get(node, {}).get(TYPE, set()) for layer in self.layers)) & self.subclasses(cls))

    def values(self, focus, path: Path) -> set:
        if path.kind == "predicate":
            return self.objects(focus, path.predicate)
        if path.kind == "sequence":
            nodes = {focus}
            for step in path.steps:
                nodes = set().union(*(self.values(node, step) for node in nodes))
            return nodes
        reached, todo = set(), [focus]
        while todo:
            for node in self.objects(todo.pop(), path.predicate):
                if node not in reached:
                    reached.add(node)
                    todo.append(node)
        return reached | {focus} if path.kind == "zeroOrMore" else reached


def violations(data: Union) -> tuple[Violation, ...]:
    found = {}
    for node_rule in rules():
        focuses = set().union(*(data.instances(cls) for cls in node_rule.target_classes),
                              *(data.subjects_of(predicate) for predicate in node_rule.target_subjects_of))
        for focus in focuses:
            for rule in node_rule.properties:
                value = first_problem(data, focus, rule)
                if value is not None:
                    found.setdefault((focus.value, rule.shape), Violation(focus.value, rule.shape, rule.message, value))
    return tuple(sorted(found.values()))


def first_problem(data: Union, focus, rule: PropertyRule) -> str | None:
    """"" for a count that fails, the offending value's lexical form for a value that fails, else None."""
    values = data.values(focus, rule.path)
    if rule.min_count is not None and len(values) < rule.min_count:
        return ""
    for value in sorted(values, key=lambda term: term.value):
        if not value_conforms(data, value, rule):
            return value.value
    if rule.max_count is not None and len(values) > rule.max_count:
        return ""
    if rule.qualified_min is not None or rule.qualified_max is not None:
        conforming = sum(qualified_conforms(data, value, rule) for value in values)
        if (rule.qualified_min is not None and conforming < rule.qualified_min) or (
                rule.qualified_max is not None and conforming > rule.qualified_max):
            return ""
    return None


def value_conforms(data: Union, value, rule: PropertyRule) -> bool:
    if rule.datatype is not None:
        if not isinstance(value, ox.Literal) or value.datatype.value != rule.datatype:
            return False
        lexical = WELL_FORMED.get(rule.datatype)
        if lexical is not None and not lexical.fullmatch(value.value):
            return False
    if rule.allowed is not None and value not in rule.allowed:
        return False
    if rule.of_class is not None and not data.is_instance(value, rule.of_class):
        return False
    if rule.iri_only and not isinstance(value, ox.NamedNode):
        return False
    return rule.pattern is None or (not isinstance(value, ox.BlankNode) and rule.pattern.search(value.value) is not None)


def qualified_conforms(data: Union, value, rule: PropertyRule) -> bool:
    if rule.qualified_class is not None:
        return data.is_instance(value, rule.qualified_class)
    language = (value.language or "").lower() if isinstance(value, ox.Literal) else ""
    return any(language == tag.lower() or language.startswith(tag.lower() + "-") for tag in rule.qualified_languages)


@lru_cache(maxsize=1)
def rules() -> tuple[NodeRule, ...]:
    return compile_rules(shapes_graph())


def compile_rules(graph: rdflib.Graph) -> tuple[NodeRule, ...]:
    return tuple(NodeRule(tuple(node(c) for c in graph.objects(shape, SH.targetClass)),
                          tuple(node(p) for p in graph.objects(shape, SH.targetSubjectsOf)),
                          tuple(property_rule(graph, p) for p in graph.objects(shape, SH.property)))
                 for shape in sorted(graph.subjects(rdflib.RDF.type, SH.NodeShape)))


def property_rule(graph: rdflib.Graph, shape) -> PropertyRule:
    unknown = set(graph.predicates(shape)) - HANDLED
    inner = graph.value(shape, SH.qualifiedValueShape)
    if inner is not None:
        unknown |= set(graph.predicates(inner)) - INNER
    if unknown:
        raise DutygraphError("DG-V003", str(shape), ", ".join(sorted(map(str, unknown))))
    count = lambda name: int(graph.value(shape, name)) if graph.value(shape, name) is not None else None  # noqa: E731
    allowed = graph.value(shape, getattr(SH, "in"))
    pattern = graph.value(shape, SH.pattern)
    return PropertyRule(
        str(shape), str(graph.value(shape, SH.message) or ""), compile_path(graph, graph.value(shape, SH.path)),
        count(SH.minCount), count(SH.maxCount), optional_str(graph.value(shape, SH.datatype)),
        frozenset(node(v) for v in Collection(graph, allowed)) if allowed is not None else None,
        optional_node(graph.value(shape, getattr(SH, "class"))), graph.value(shape, SH.nodeKind) == SH.IRI,
        re.compile(str(pattern)) if pattern is not None else None,
        optional_node(graph.value(inner, getattr(SH, "class"))) if inner is not None else None,
        tuple(str(tag) for tag in Collection(graph, graph.value(inner, SH.languageIn)))
        if inner is not None and graph.value(inner, SH.languageIn) is not None else (),
        count(SH.qualifiedMinCount), count(SH.qualifiedMaxCount))


def compile_path(graph: rdflib.Graph, path) -> Path:
    if isinstance(path, rdflib.URIRef):
        return Path("predicate", node(path))
    if graph.value(path, rdflib.RDF.first) is not None:
        return Path("sequence", steps=tuple(compile_path(graph, step) for step in Collection(graph, path)))
    for kind, name in (("oneOrMore", SH.oneOrMorePath), ("zeroOrMore", SH.zeroOrMorePath)):
        inner = graph.value(path, name)
        if isinstance(inner, rdflib.URIRef):
            return Path(kind, node(inner))
    raise DutygraphError("DG-V003", str(path), "path")


def node(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def optional_node(term) -> ox.NamedNode | None:
    return node(term) if term is not None else None


def optional_str(term) -> str | None:
    return str(term) if term is not None else None
