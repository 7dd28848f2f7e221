"""Units → RDF in the vocabulary of spec/vocabulary.md, all in the instrument's own named graph."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache

import pyoxigraph as ox

from dutygraph import __version__
from dutygraph.extract.actors import actor_iri, load_actor_scheme
from dutygraph.graph import ids
from dutygraph.graph.enforcement import Linker
from dutygraph.graph.ids import DCTERMS, ELI, NS, PROV, RDF, SKOS, XSD
from dutygraph.graph.terms import Lit, Part, Term, literal, to_ox
from dutygraph.graph.tree import ReachedTree
from dutygraph.model import Document, Provision, Unit

TYPE = RDF + "type"
BOOLEAN = XSD + "boolean"
INTEGER = XSD + "integer"
DATE = XSD + "date"
IN_FORCE = {"enacted": ELI + "InForce-inForce", "draft": ELI + "InForce-notInForce"}
# kinds whose text is stored on the provision itself (deeper levels would repeat it)
TEXT_KINDS = {"article"}


# Cached so that every statement shares one object per term: the SHACL checker holds a document's
# statements while it reads them, and a fresh string or literal per statement was a third of that.
@cache
def dg(name: str) -> str:
    return NS + name


@lru_cache(maxsize=4096)
def integer(value: int) -> Lit:
    return Lit(str(value), INTEGER, "")


INFERRED = {True: Lit("true", BOOLEAN, ""), False: Lit("false", BOOLEAN, "")}


@cache  # the same few concepts in every document
def checked(iri: str) -> str:
    """`iri`, once pyoxigraph has accepted it: N-Quads are written from these parts as text."""
    ox.NamedNode(iri)
    return iri


def build_graph(document: Document, units: Iterable[Unit], *,
                stem: str | None = None) -> list[ox.Quad]:
    """All quads of one instrument, in the named graph whose IRI is the instrument's (see graph_quads)."""
    return list(graph_quads(document, units, stem=stem))


def graph_quads(document: Document, units: Iterable[Unit], *,
                stem: str | None = None) -> Iterator[ox.Quad]:
    """graph_statements as pyoxigraph quads, one at a time."""
    graph, statements = graph_statements(document, units, stem=stem)
    node = ox.NamedNode(graph)
    return (ox.Quad(ox.NamedNode(s), ox.NamedNode(p), to_ox(o), node) for s, p, o in statements)


def graph_statements(document: Document, units: Iterable[Unit], *,
                     stem: str | None = None) -> tuple[str, Iterator[tuple[str, str, Term]]]:
    """The instrument's graph IRI, and its statements (subject, predicate, object as plain terms,
    graph/terms.py): graph_parts, one statement at a time."""
    instrument, parts = graph_parts(document, units, stem=stem)
    return instrument, (statement for part in parts for statement in part)


def graph_parts(document: Document, units: Iterable[Unit], *, stem: str | None = None,
                tree: ReachedTree | None = None) -> tuple[str, Iterator[Part]]:
    """The instrument's graph IRI, and its statements in parts, for writers and checkers that stream
    them (ingest): `units` are read as the parts are, so a large document's units and statements never
    stand in memory all at once.

    A part holds every statement about its subjects, and the nodes its values name are typed in it or
    in an earlier part and not settled before it (terms.Part): the instrument, then each provision
    (parents first) once reached, before the units it holds, then each unit with the actor concept it
    mints, then each sanction with the links to what it enforces (those need every unit of its numbering
    run, so a run's sanctions come after its last unit). A unit's part settles the provisions the tree
    let go of (ReachedTree.settled), the unit itself when no sanction may enforce it, and the units of
    a numbering run whose sanctions' parts came before it.
    `tree`: the document's provisions as the units' extraction reaches them (ingest, where they come
    one at a time: graph/tree.py), over the instrument_iri(document, stem); by default
    Document.provisions, all stated first.
    `stem` overrides the file-name stem (used to keep two different files of one base name apart).
    Actors of the scheme (ontology/actors.ttl) are only referenced: their concepts live in the
    ontology graph. Actors outside it get a minimal concept here.
    """
    instrument = instrument_iri(document, stem)
    if tree is None:
        tree = ReachedTree(document.provisions, instrument)
        tree.reach_all()
    elif tree.instrument != instrument:
        raise ValueError(f"the tree is {tree.instrument}'s, the graph {instrument}'s")

    def parts() -> Iterator[Part]:
        yield Part(instrument_triples(document, instrument))
        minter = _Minter(tree)
        linker = Linker(document)
        sanctions = []  # of the numbering run being read (enforcement.Linker)
        settled: list[str] = []  # told with the next unit's part
        for unit in units:
            yield from reached_parts(document, tree)  # the unit's authority among them, typed before it
            authority, node = minter.node(unit)
            settled += minter.settled()
            run = linker.run
            is_sanction = linker.add(unit, node)
            if linker.run != run:  # the unit begins a numbering run: the previous one's links are complete
                yield from sanction_parts(minter, linker, run, sanctions)
                settled += linker.forget_run(run)  # nothing names its units any more
                sanctions = []
            if is_sanction:
                tree.pin(authority)  # its part comes after its run's last unit
                sanctions.append((unit, authority, node))
                continue
            if not linker.may_enforce(unit):
                settled.append(node)  # only sanctions name units, and only those linking may enforce
            yield Part(minter.unit_triples(unit, authority, node), settled)
            settled = []
        yield from reached_parts(document, tree)
        yield from sanction_parts(minter, linker, linker.run, sanctions)

    return instrument, parts()


def sanction_parts(minter: _Minter, linker: Linker, run: int, sanctions: list[tuple[Unit, str, str]]) -> Iterator[Part]:
    """The parts of a numbering run's sanctions (unit, authority IRI, IRI), with the links to what they enforce."""
    enforced = defaultdict(list)  # sanction IRI → the IRIs it enforces, and its penalties
    for link in linker.links_of_run(run):
        enforced[linker.key(link.sanction)].append((linker.key(link.target), link.penalties))
    for unit, authority, node in sanctions:
        yield Part([*minter.unit_triples(unit, authority, node), *enforcement_triples(node, enforced[node])])


def instrument_iri(document: Document, stem: str | None = None) -> str:
    """The IRI of the document's instrument and graph; `stem` overrides its file name's."""
    return checked(ids.instrument_iri(stem or ids.stem_of(document.instrument.source_file)))


def reached_parts(document: Document, tree: ReachedTree) -> Iterator[Part]:
    for parent, position, provision, node in tree.take():
        yield Part(provision_triples(document, provision, node, parent, position))


def instrument_triples(document: Document, instrument: str) -> Iterator[tuple]:
    meta, node = document.instrument, instrument
    yield node, TYPE, dg("Instrument")
    yield node, dg("sourceFile"), literal(meta.source_file)
    yield node, dg("checksum"), literal(meta.checksum)
    yield node, DCTERMS + "title", literal(meta.title)
    if meta.title_simplified and meta.title_simplified != meta.title:
        yield node, DCTERMS + "title", literal(meta.title_simplified, "zh-Hans")
    yield node, dg("status"), literal(meta.status)
    if meta.status in IN_FORCE:
        yield node, ELI + "in_force", IN_FORCE[meta.status]
    for value, literal_property, concept_property, kind in (
        (meta.type, "instrumentType", "type_document", "type"),
        (meta.jurisdiction, "jurisdictionName", "jurisdiction", "jurisdiction"),
        (meta.issuer, "issuer", "passed_by", "agent"),
    ):
        if value:
            concept = checked(ids.concept_iri(kind, value))
            yield node, dg(literal_property), literal(value)
            yield node, ELI + concept_property, concept
            yield concept, SKOS + "prefLabel", literal(value, "zh-Hans")
    if meta.doc_number:
        yield node, dg("documentNumber"), literal(meta.doc_number)
    for value, date_property in ((meta.passed, "date_document"), (meta.promulgated, "date_publication"),
                                 (meta.effective, "first_date_entry_in_force")):
        if value:
            yield node, ELI + date_property, Lit(value.isoformat(), DATE, "")
    for title in meta.based_on:
        basis = checked(ids.concept_iri("work", title))
        yield node, ELI + "based_on", basis
        yield basis, TYPE, ELI + "LegalResource"
        yield basis, DCTERMS + "title", literal(title)
    extraction = ids.extraction_iri(instrument)
    yield extraction, TYPE, dg("Extraction")
    yield extraction, PROV + "used", node
    yield extraction, PROV + "wasAssociatedWith", dg("dutygraph")
    yield extraction, dg("extractorVersion"), literal(__version__)


def provision_triples(document: Document, provision: Provision, node: str, parent: str,
                      position: int) -> Iterator[tuple]:
    yield node, TYPE, dg("Provision")
    yield node, ELI + "is_part_of", parent
    yield node, dg("provisionKind"), literal(provision.kind)
    if provision.label:
        yield node, dg("provisionLabel"), literal(provision.label)
    yield node, dg("position"), integer(position)
    if provision.heading:
        yield node, dg("heading"), literal(provision.heading)
    if provision.kind == "article" and provision.number is not None:
        yield node, dg("articleNumber"), integer(provision.number)
        if provision.suffix is not None:
            yield node, dg("articleSuffix"), integer(provision.suffix)
    if provision.kind in TEXT_KINDS or (not provision.children and "art/" not in provision.path):
        yield node, dg("text"), literal(document.text[provision.span.start:provision.span.end])


def enforcement_triples(sanction: str, enforced: list[tuple[str, tuple[str, ...]]]) -> Iterator[tuple]:
    """dg:enforcesObligation from one sanction to the units it enforces, and its dg:penalty kinds."""
    for target, _ in enforced:
        yield sanction, dg("enforcesObligation"), target
    for kind in enforced[0][1] if enforced else ():
        yield sanction, dg("penalty"), literal(kind)


class _Minter:
    """Each unit's IRI (its authority's, numbered) and statements; actors outside the scheme get a
    concept the first time the document names them."""

    def __init__(self, tree: ReachedTree):
        self.tree = tree
        self.counts: Counter[str] = Counter()
        self.minted: set[str] = set()

    def node(self, unit: Unit) -> tuple[str, str]:
        """The IRIs of the unit's authority and of the unit itself."""
        authority = self.tree.resolve(unit.authority)
        self.counts[authority] += 1
        return authority, ids.obligation_iri(authority, self.counts[authority])

    def settled(self) -> list[str]:
        """The tree's settled provisions (ReachedTree.settled), whose units are all numbered."""
        settled = self.tree.settled()
        for provision in settled:
            self.counts.pop(provision, None)
        return settled

    def unit_triples(self, unit: Unit, authority: str, node: str) -> Iterator[tuple]:
        yield node, TYPE, dg("Obligation")
        yield node, dg("modality"), dg(unit.modality)
        yield node, dg("authority"), authority
        yield node, dg("sentence"), literal(unit.sentence)
        yield node, dg("action"), literal(unit.action)
        yield node, dg("object"), literal(unit.object)
        yield node, dg("actorInferred"), INFERRED[unit.inferred]
        # The extraction is named once, on the instrument (prov:used): one per unit would add a
        # quad to every unit that says the same thing for the whole graph.
        yield node, PROV + "wasDerivedFrom", self.tree.instrument
        if unit.level:
            yield node, dg("level"), literal(unit.level)
        if unit.section_path:
            yield node, dg("sectionPath"), literal(unit.section_path)
        for number in unit.enforces:
            if number in self.tree.articles:
                yield node, dg("enforces"), self.tree.articles[number]
        roles = [("actor", unit.actor)] if unit.actor is not None else []
        for role, name in roles + [("coActor", name) for name in unit.co_actors]:
            actor, in_scheme = actor_node(name)
            yield node, dg(role), actor
            if not in_scheme and actor not in self.minted:
                self.minted.add(actor)
                yield actor, TYPE, dg("Actor")
                yield actor, SKOS + "prefLabel", literal(name, "zh-Hans")


@lru_cache(maxsize=4096)  # a document names a few actors in many units
def actor_node(name: str) -> tuple[str, bool]:
    """The actor's IRI, and whether the actor scheme holds its concept (else the graph mints one)."""
    return actor_iri(name), load_actor_scheme().concept_for(name) is not None
