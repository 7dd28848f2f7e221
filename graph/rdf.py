"""Units → RDF in the vocabulary of spec/vocabulary.md, all in the instrument's own named graph."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from functools import cache

import pyoxigraph as ox

from dutygraph import __version__
from dutygraph.extract.actors import actor_iri, load_actor_scheme
from dutygraph.graph import ids
from dutygraph.graph.enforcement import link_enforcement
from dutygraph.graph.ids import DCTERMS, ELI, NS, PROV, RDF, SKOS, XSD
from dutygraph.model import Document, Provision, Unit

TYPE = ox.NamedNode(RDF + "type")
BOOLEAN = ox.NamedNode(XSD + "boolean")
INTEGER = ox.NamedNode(XSD + "integer")
DATE = ox.NamedNode(XSD + "date")
IN_FORCE = {"enacted": ELI + "InForce-inForce", "draft": ELI + "InForce-notInForce"}
# kinds whose text is stored on the provision itself (deeper levels would repeat it)
TEXT_KINDS = {"article"}


def term(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


@cache  # a few dozen names, asked for hundreds of times per document (a NamedNode checks its IRI)
def dg(name: str) -> ox.NamedNode:
    return ox.NamedNode(NS + name)


def text(value: str, language: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=language) if language else ox.Literal(value)


def integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=INTEGER)


def build_graph(document: Document, units: tuple[Unit, ...] | list[Unit], *,
                stem: str | None = None) -> list[ox.Quad]:
    """All quads of one instrument, in the named graph whose IRI is the instrument's (see graph_quads)."""
    return list(graph_quads(document, units, stem=stem))


def graph_quads(document: Document, units: tuple[Unit, ...] | list[Unit], *,
                stem: str | None = None) -> Iterator[ox.Quad]:
    """build_graph's quads one provision at a time, for writers that stream them (ingest): a large
    document's quads never stand in memory as objects all at once.

    `stem` overrides the file-name stem (used to keep two different files of one base name apart).
    Actors of the scheme (ontology/actors.ttl) are only referenced: their concepts live in the
    ontology graph. Actors outside it get a minimal concept here.
    """
    instrument = ids.instrument_iri(stem or ids.stem_of(document.instrument.source_file))
    graph = term(instrument)
    paths = {}
    nodes: list[ox.NamedNode] = []

    def triples() -> Iterator[tuple]:
        yield from instrument_triples(document, instrument)
        for parent, position, provision in walk(document.provisions, instrument, instrument):
            paths[provision.path] = ids.provision_iri(instrument, provision.path)
            yield from provision_triples(document, provision, paths[provision.path], parent, position)
        # the units' authorities resolve against every provision's path, so they follow the whole tree
        yield from obligation_triples(units, instrument, paths, nodes)
        yield from enforcement_triples(document, units, nodes)

    return (ox.Quad(s, p, o, graph) for s, p, o in triples())


def instrument_triples(document: Document, instrument: str) -> Iterator[tuple]:
    meta, node = document.instrument, term(instrument)
    yield node, TYPE, dg("Instrument")
    yield node, dg("sourceFile"), text(meta.source_file)
    yield node, dg("checksum"), text(meta.checksum)
    yield node, term(DCTERMS + "title"), text(meta.title)
    if meta.title_simplified and meta.title_simplified != meta.title:
        yield node, term(DCTERMS + "title"), text(meta.title_simplified, "zh-Hans")
    yield node, dg("status"), text(meta.status)
    if meta.status in IN_FORCE:
        yield node, term(ELI + "in_force"), term(IN_FORCE[meta.status])
    for value, literal_property, concept_property, kind in (
        (meta.type, "instrumentType", "type_document", "type"),
        (meta.jurisdiction, "jurisdictionName", "jurisdiction", "jurisdiction"),
        (meta.issuer, "issuer", "passed_by", "agent"),
    ):
        if value:
            concept = term(ids.concept_iri(kind, value))
            yield node, dg(literal_property), text(value)
            yield node, term(ELI + concept_property), concept
            yield concept, term(SKOS + "prefLabel"), text(value, "zh-Hans")
    if meta.doc_number:
        yield node, dg("documentNumber"), text(meta.doc_number)
    for value, date_property in ((meta.passed, "date_document"), (meta.promulgated, "date_publication"),
                                 (meta.effective, "first_date_entry_in_force")):
        if value:
            yield node, term(ELI + date_property), ox.Literal(value.isoformat(), datatype=DATE)
    for title in meta.based_on:
        basis = term(ids.concept_iri("work", title))
        yield node, term(ELI + "based_on"), basis
        yield basis, TYPE, term(ELI + "LegalResource")
        yield basis, term(DCTERMS + "title"), text(title)
    extraction = term(ids.extraction_iri(instrument))
    yield extraction, TYPE, dg("Extraction")
    yield extraction, term(PROV + "used"), node
    yield extraction, term(PROV + "wasAssociatedWith"), dg("dutygraph")
    yield extraction, dg("extractorVersion"), text(__version__)


def walk(provisions: tuple[Provision, ...], parent: str,
         instrument: str) -> Iterator[tuple[str, int, Provision]]:
    """(parent IRI, 1-based position, provision) in document order, parents before children."""
    for position, provision in enumerate(provisions, 1):
        yield parent, position, provision
        yield from walk(provision.children, ids.provision_iri(instrument, provision.path), instrument)


def provision_triples(document: Document, provision: Provision, iri: str, parent: str,
                      position: int) -> Iterator[tuple]:
    node = term(iri)
    yield node, TYPE, dg("Provision")
    yield node, term(ELI + "is_part_of"), term(parent)
    yield node, dg("provisionKind"), text(provision.kind)
    if provision.label:
        yield node, dg("provisionLabel"), text(provision.label)
    yield node, dg("position"), integer(position)
    if provision.heading:
        yield node, dg("heading"), text(provision.heading)
    if provision.kind == "article" and provision.number is not None:
        yield node, dg("articleNumber"), integer(provision.number)
        if provision.suffix is not None:
            yield node, dg("articleSuffix"), integer(provision.suffix)
    if provision.kind in TEXT_KINDS or (not provision.children and "art/" not in provision.path):
        yield node, dg("text"), text(document.text[provision.span.start:provision.span.end])


def enforcement_triples(document: Document, units, nodes: list[ox.NamedNode]) -> Iterator[tuple]:
    """dg:enforcesObligation from each sanction to the units it enforces, and its dg:penalty kinds."""
    penalised = set()
    for link in link_enforcement(document, units):
        yield nodes[link.sanction], dg("enforcesObligation"), nodes[link.target]
        if link.sanction not in penalised:
            penalised.add(link.sanction)
            for kind in link.penalties:
                yield nodes[link.sanction], dg("penalty"), text(kind)


def obligation_triples(units, instrument: str, paths: Mapping[str, str],
                       nodes: list[ox.NamedNode] | None = None) -> Iterator[tuple]:
    """`nodes` (when given) receives each unit's IRI, in unit order."""
    counts: Counter[str] = Counter()
    articles = article_iris(paths)
    minted: set[str] = set()
    scheme = load_actor_scheme()
    for unit in units:
        authority = resolve_authority(unit.authority, paths, instrument)
        counts[authority] += 1
        node = term(ids.obligation_iri(authority, counts[authority]))
        if nodes is not None:
            nodes.append(node)
        yield node, TYPE, dg("Obligation")
        yield node, dg("modality"), dg(unit.modality)
        yield node, dg("authority"), term(authority)
        yield node, dg("sentence"), text(unit.sentence)
        yield node, dg("action"), text(unit.action)
        yield node, dg("object"), text(unit.object)
        yield node, dg("actorInferred"), ox.Literal("true" if unit.inferred else "false", datatype=BOOLEAN)
        # The extraction is named once, on the instrument (prov:used): one per unit would add a
        # quad to every unit that says the same thing for the whole graph.
        yield node, term(PROV + "wasDerivedFrom"), term(instrument)
        if unit.level:
            yield node, dg("level"), text(unit.level)
        if unit.section_path:
            yield node, dg("sectionPath"), text(unit.section_path)
        for number in unit.enforces:
            if number in articles:
                yield node, dg("enforces"), term(articles[number])
        roles = [("actor", unit.actor)] if unit.actor is not None else []
        for role, name in roles + [("coActor", name) for name in unit.co_actors]:
            actor = actor_iri(name)
            yield node, dg(role), term(actor)
            if scheme.concept_for(name) is None and actor not in minted:
                minted.add(actor)
                yield term(actor), TYPE, dg("Actor")
                yield term(actor), term(SKOS + "prefLabel"), text(name, "zh-Hans")


def resolve_authority(path: str, paths: Mapping[str, str], instrument: str) -> str:
    """The authority's IRI; a path missing from the tree falls back to its nearest known ancestor."""
    parts = path.split("/") if path else []
    while parts:
        candidate = "/".join(parts)
        if candidate in paths:
            return paths[candidate]
        parts.pop()
    return instrument


def article_iris(paths: Mapping[str, str]) -> dict[int, str]:
    """Article number → IRI, for sanctions that cite 第X条 (plain articles, not 之一 insertions)."""
    return {int(path[4:]): iri for path, iri in paths.items()
            if path.startswith("art/") and path[4:].isdigit()}
