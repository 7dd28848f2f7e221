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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection

from dutygraph.errors import DutygraphError
from dutygraph.graph.ids import RDF, RDFS, XSD
from dutygraph.graph.terms import Blank, Lit, Term, plain
from dutygraph.graph.validate import SH, Violation, shapes_graph

TYPE, SUBCLASS = RDF + "type", RDFS + "subClassOf"
# Lexical forms a datatype accepts (SHACL's sh:datatype fails ill-formed literals too).
WELL_FORMED = {XSD + "integer": re.compile(r"[+-]?[0-9]+"), XSD + "boolean": re.compile(r"true|false|1|0")}
HANDLED = {SH.path, SH.minCount, SH.maxCount, SH.datatype, getattr(SH, "in"), getattr(SH, "class"), SH.nodeKind,
           SH.pattern, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.message,
           rdflib.RDF.type, rdflib.URIRef("https://w3id.org/dutygraph/shapes#check")}
INNER = {getattr(SH, "class"), SH.languageIn}
NODE_HANDLED = {rdflib.RDF.type, SH.targetClass, SH.targetSubjectsOf, SH.property}


def lexical(term: Term) -> str:
    return term if isinstance(term, str) else term.value


@dataclass(frozen=True)
class Path:
    kind: str  # "predicate", "sequence", "oneOrMore", "zeroOrMore"
    predicate: str | None = None
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
    of_class: str | None = None
    iri_only: bool = False  # sh:nodeKind sh:IRI
    pattern: re.Pattern | None = None
    qualified_class: str | None = None
    qualified_languages: tuple[str, ...] = ()
    qualified_min: int | None = None
    qualified_max: int | None = None

    @cached_property
    def checks_values(self) -> bool:
        return (self.datatype, self.allowed, self.of_class, self.pattern) != (None,) * 4 or self.iri_only


@dataclass(frozen=True)
class NodeRule:
    target_classes: tuple[str, ...]
    target_subjects_of: tuple[str, ...]
    properties: tuple[PropertyRule, ...]


NONE: frozenset = frozenset()
EMPTY: dict = {}
NOTHING = object()


class Triples:
    """predicate → subject → its object (a set when it has several), and class → typed nodes, from
    (subject, predicate IRI, object) as plain terms (graph/terms.py).

    Nested by predicate, a lone object held as it is: keyed by (subject, predicate) with a set for
    every pair, the index of a large document took 30 bytes of memory per byte of its text."""

    def __init__(self, triples: Iterable[tuple] = ()):
        self.by_predicate: dict[str, dict] = defaultdict(dict)
        self.typed: dict = defaultdict(set)
        self.add(triples)

    def add(self, triples: Iterable[tuple]) -> None:
        for subject, predicate, value in triples:
            objects = self.by_predicate[predicate]
            held = objects.get(subject, NOTHING)
            if held is NOTHING:
                objects[subject] = value
            elif type(held) is set:
                held.add(value)
            elif held != value:
                objects[subject] = {held, value}
            if predicate == TYPE:
                self.typed[value].add(subject)

    def add_types(self, triples: Iterable[tuple]) -> None:
        """Only what rdf:type statements say of classes (not what a node's own types are, read as objects)."""
        for subject, _, value in triples:
            self.typed[value].add(subject)

    def forget(self, nodes: Iterable) -> None:
        """Drop the types of `nodes` and what is held about them (their sets and dicts shrink as later
        nodes are added: CPython resizes them from the entries they still hold)."""
        nodes = set(nodes)
        if nodes:
            for typed in self.typed.values():
                typed.difference_update(nodes)
            for objects in self.by_predicate.values():
                for node in nodes:
                    objects.pop(node, None)

    def objects(self, subject, predicate) -> set | tuple:
        held = self.by_predicate.get(predicate, EMPTY).get(subject, NOTHING)
        if held is NOTHING:
            return ()
        return held if type(held) is set else (held,)

    def subjects_of(self, predicate):
        return self.by_predicate.get(predicate, EMPTY).keys()


def relevant(triples: Iterable[ox.Triple | ox.Quad]) -> Iterator[tuple]:
    """Only the statements a shape can look at, as plain terms: decoding the others (texts,
    sentences, labels of provisions) is most of the cost of reading a graph, and no finding depends on them."""
    wanted = relevant_predicates()
    for triple in triples:
        predicate = triple.predicate.value
        if predicate in wanted:
            yield plain(triple.subject), predicate, plain(triple.object)


def relevant_statements(statements: Iterable[tuple]) -> Iterator[tuple]:
    """relevant() of statements already made of plain terms (graph/rdf.py builds them so)."""
    wanted = relevant_predicates()
    return (statement for statement in statements if statement[1] in wanted)


@lru_cache(maxsize=1)
def relevant_predicates() -> frozenset[str]:
    """rdf:type and rdfs:subClassOf (targets and classes), every predicate on a shape's path, and
    those whose subjects a shape targets."""
    found = {TYPE, SUBCLASS}
    for node_rule in rules():
        found.update(node_rule.target_subjects_of)
        for rule in node_rule.properties:
            found.update(path_predicates(rule.path))
    return frozenset(found)


@lru_cache(maxsize=1)
def reaching_predicates() -> frozenset[str]:
    """Predicates a shape reads on nodes other than its focus: those a path walks past its first step
    (dg:authority/eli:is_part_of* reads is_part_of on provisions), and rdfs:subClassOf."""
    found = {SUBCLASS}
    for node_rule in rules():
        for rule in node_rule.properties:
            found.update(beyond_focus(rule.path))
    return frozenset(found)


def beyond_focus(path: Path) -> set[str]:
    if path.kind == "sequence":
        return beyond_focus(path.steps[0]) | set().union(*map(path_predicates, path.steps[1:]))
    return path_predicates(path) if path.kind in ("oneOrMore", "zeroOrMore") else set()


def path_predicates(path: Path) -> set[str]:
    return {path.predicate} if path.predicate else set().union(*map(path_predicates, path.steps))


class Union:
    """Layers of triples (a document's, what is kept of its earlier parts, the ontology's) read as one
    graph. No layer is copied: only what several state about one subject and predicate is merged."""

    def __init__(self, *layers: Triples):
        self.layers = tuple(layer for layer in layers if layer.by_predicate or layer.typed) or layers[:1]
        self._below: dict = {}
        self._typed_sets: dict = {}

    def objects(self, subject, predicate):
        found = ()
        for layer in self.layers:
            held = layer.objects(subject, predicate)
            if held:
                found = {*found, *held} if found else held
        return found

    def subjects_of(self, predicate):
        return set().union(*(layer.subjects_of(predicate) for layer in self.layers))

    def classes_below(self, cls) -> set:
        """`cls` and the classes below it through rdfs:subClassOf*."""
        if cls not in self._below:
            classes, todo = {cls}, [cls]
            while todo:
                current = todo.pop()
                for sub in self.subjects_of(SUBCLASS):
                    if sub not in classes and current in self.objects(sub, SUBCLASS):
                        classes.add(sub)
                        todo.append(sub)
            self._below[cls] = classes
        return self._below[cls]

    def instances(self, cls, layers: tuple[Triples, ...] | None = None) -> set:
        """Nodes typed `cls` or a class below it (in `layers`, all by default)."""
        return set().union(*(layer.typed.get(c, NONE) for c in self.classes_below(cls)
                             for layer in layers or self.layers))

    def is_instance(self, value, cls) -> bool:
        typed_sets = self._typed_sets.get(cls)
        if typed_sets is None:  # the layers' sets of `cls` and the classes below it, looked up once
            typed_sets = self._typed_sets[cls] = [layer.typed[c] for c in self.classes_below(cls)
                                                  for layer in self.layers if c in layer.typed]
        return any(value in typed for typed in typed_sets)

    def values(self, focus, path: Path):
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


def violations(data: Union, focus_layers: tuple[Triples, ...] | None = None) -> tuple[Violation, ...]:
    """The findings on the focus nodes of `focus_layers` (all of data's by default), read in all of `data`."""
    found = {}
    layers = focus_layers or data.layers
    for node_rule in rules():
        focuses = set().union(*(data.instances(cls, layers) for cls in node_rule.target_classes),
                              *(layer.subjects_of(predicate) for predicate in node_rule.target_subjects_of
                                for layer in layers))
        for rule in node_rule.properties:
            # one rule over every focus: the verdict on a value is shared (units of one document
            # name the same actors, modalities and provisions over and over)
            verdicts: dict = {}
            for focus in focuses:
                value = first_problem(data, focus, rule, verdicts)
                if value is not None:
                    found.setdefault((lexical(focus), rule.shape),
                                     Violation(lexical(focus), rule.shape, rule.message, value))
    return tuple(sorted(found.values()))


def first_problem(data: Union, focus, rule: PropertyRule, verdicts: dict) -> str | None:
    """"" for a count that fails, the offending value's lexical form for a value that fails, else None.
    `verdicts`: value → whether it conforms to `rule`, filled as values are checked."""
    values = data.values(focus, rule.path)
    if rule.min_count is not None and len(values) < rule.min_count:
        return ""
    if rule.checks_values:
        bad = []
        for value in values:
            conforms = verdicts.get(value)
            if conforms is None:
                conforms = verdicts[value] = value_conforms(data, value, rule)
            if not conforms:
                bad.append(value)
        if bad:
            return min(map(lexical, bad))
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
        if not isinstance(value, Lit) or value.datatype != rule.datatype:
            return False
        form = WELL_FORMED.get(rule.datatype)
        if form is not None and not form.fullmatch(value.value):
            return False
    if rule.allowed is not None and value not in rule.allowed:
        return False
    if rule.of_class is not None and not data.is_instance(value, rule.of_class):
        return False
    if rule.iri_only and not isinstance(value, str):
        return False
    return rule.pattern is None or (not isinstance(value, Blank) and rule.pattern.search(lexical(value)) is not None)


def qualified_conforms(data: Union, value, rule: PropertyRule) -> bool:
    if rule.qualified_class is not None:
        return data.is_instance(value, rule.qualified_class)
    language = value.language.lower() if isinstance(value, Lit) else ""
    return any(language == tag.lower() or language.startswith(tag.lower() + "-") for tag in rule.qualified_languages)


@lru_cache(maxsize=1)
def rules() -> tuple[NodeRule, ...]:
    return compile_rules(shapes_graph())


def compile_rules(graph: rdflib.Graph) -> tuple[NodeRule, ...]:
    for shape in graph.subjects(rdflib.RDF.type, SH.NodeShape):
        unknown = set(graph.predicates(shape)) - NODE_HANDLED
        if unknown:
            raise DutygraphError("DG-V003", str(shape), ", ".join(sorted(map(str, unknown))))
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

    def count(name) -> int | None:
        value = graph.value(shape, name)
        return int(value) if value is not None else None

    allowed = graph.value(shape, getattr(SH, "in"))
    pattern = graph.value(shape, SH.pattern)
    return PropertyRule(
        str(shape), str(graph.value(shape, SH.message) or ""), compile_path(graph, graph.value(shape, SH.path)),
        count(SH.minCount), count(SH.maxCount), optional_str(graph.value(shape, SH.datatype)),
        frozenset(member(v) for v in Collection(graph, allowed)) if allowed is not None else None,
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


def node(term) -> str:
    return str(term)


def member(term) -> Term:
    """An sh:in member as the checker compares it."""
    if isinstance(term, rdflib.Literal):
        language = term.language or ""
        datatype = str(term.datatype or (RDF + "langString" if language else XSD + "string"))
        return Lit(str(term), datatype, language)
    return node(term) if isinstance(term, rdflib.URIRef) else Blank(str(term))


def optional_node(term) -> str | None:
    return node(term) if term is not None else None


def optional_str(term) -> str | None:
    return str(term) if term is not None else None
