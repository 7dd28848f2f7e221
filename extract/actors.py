"""The actor scheme (ontology/actors.ttl) as a lookup: any written label → one concept.

The graph and API stages mint actor IRIs and labels through `load_actor_scheme()` and
`actor_iri(name)`; the extractor matches sentences against `ActorScheme.labels`.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

ACTOR_BASE = "https://w3id.org/dutygraph/id/actor/"
DG = Namespace("https://w3id.org/dutygraph/ns#")


@dataclass(frozen=True)
class ActorConcept:
    key: str  # IRI-safe ASCII key, e.g. "market-regulation-department"
    iri: str
    pref: str  # canonical simplified name
    alt_labels: tuple[tuple[str, str], ...]  # (text, language tag)
    en: str
    broader: tuple[str, ...] = ()  # keys of broader concepts


@dataclass(frozen=True)
class ActorScheme:
    concepts: tuple[ActorConcept, ...]
    by_label: dict[str, ActorConcept]

    def concept_for(self, name: str | None) -> ActorConcept | None:
        """The concept with `name` as its preferred, alternative or English label."""
        if not name:
            return None
        return self.by_label.get(name.strip()) or self.by_label.get(name.strip().lower())

    @property
    def labels(self) -> tuple[str, ...]:
        """Every Chinese label, longest first (for longest-match scanning)."""
        return tuple(sorted((label for label in self.by_label if not label.isascii()), key=len, reverse=True))


def actor_iri(name: str) -> str:
    """IRI of an actor: the scheme's concept when it has one, else x-{sha1(name)[:12]}."""
    concept = load_actor_scheme().concept_for(name)
    if concept is not None:
        return concept.iri
    return ACTOR_BASE + "x-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]


def canonical_actor_name(name: str) -> str:
    """The preferred label of `name`'s concept, or `name` itself when the scheme lacks it."""
    concept = load_actor_scheme().concept_for(name)
    return concept.pref if concept is not None else name


@cache
def load_actor_scheme() -> ActorScheme:
    """Parse ontology/actors.ttl once per process."""
    graph = Graph()
    with resources.files("dutygraph.ontology").joinpath("actors.ttl").open("rb") as handle:
        graph.parse(handle, format="turtle")
    concepts = tuple(
        _concept(graph, subject) for subject in sorted(graph.subjects(RDF.type, DG.Actor), key=str)
    )
    by_label: dict[str, ActorConcept] = {}
    for concept in concepts:
        for text, _lang in concept.alt_labels:
            by_label.setdefault(text, concept)
        by_label.setdefault(concept.en.lower(), concept)
    for concept in concepts:  # a preferred label always wins over someone's alternative label
        by_label[concept.pref] = concept
    return ActorScheme(concepts, by_label)


def _concept(graph: Graph, subject: URIRef) -> ActorConcept:
    iri = str(subject)
    pref = next(str(o) for o in graph.objects(subject, SKOS.prefLabel) if o.language == "zh-Hans")
    alts = tuple(sorted((str(o), o.language or "") for o in graph.objects(subject, SKOS.altLabel)))
    english = next((str(o) for o in graph.objects(subject, RDFS.label) if o.language == "en"), "")
    broader = tuple(sorted(str(o).removeprefix(ACTOR_BASE) for o in graph.objects(subject, SKOS.broader)))
    return ActorConcept(iri.removeprefix(ACTOR_BASE), iri, pref, alts, english, broader)
