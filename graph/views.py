"""Network projections of the obligation graph, built with SPARQL over any Store.

Three views, each filterable by actor (any label or the IRI), modality and jurisdiction:

- ``obligations``: actor → obligation → instrument (a DiGraph; node attribute ``kind``);
- ``bipartite``: actor → instrument, weighted by the number of obligations, with one count per modality;
- ``actors``: actor — actor, linked when co-listed in one sentence of one provision or joined by 会同.

Node ids are IRIs; every node has ``label`` and ``kind``, every edge ``label``, ``kind`` and ``weight``.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from itertools import combinations

import networkx as nx

from dutygraph.errors import DutygraphError
from dutygraph.graph.filters import (
    JURISDICTIONS,
    jurisdiction_labels,
    match_jurisdiction,
    normalise_modality,
    normalised,
)
from dutygraph.graph.ids import NS
from dutygraph.model import MODALITIES, UNSPECIFIED

VIEWS = ("obligations", "bipartite", "actors")
SENTENCE_LABEL_LENGTH = 24

PREFIXES = """PREFIX dg: <https://w3id.org/dutygraph/ns#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

MATCHED = """
  ?ob a dg:Obligation ; dg:modality ?modality ; dg:authority ?authority .
  ?authority eli:is_part_of* ?instrument . ?instrument a dg:Instrument .
  %FILTERS%"""

OBLIGATIONS = PREFIXES + """
SELECT ?ob ?modality ?actor ?authority ?instrument (SAMPLE(?text) AS ?sentence) (MIN(?number) AS ?article)
       (GROUP_CONCAT(DISTINCT STR(?partner); separator=" ") AS ?partners)
WHERE {%MATCHED%
  OPTIONAL { ?ob dg:actor ?actor }
  OPTIONAL { ?ob dg:sentence ?text }
  OPTIONAL { ?ob dg:coActor ?partner }
  OPTIONAL { ?authority eli:is_part_of* ?part . ?part dg:articleNumber ?number }
} GROUP BY ?ob ?modality ?actor ?authority ?instrument
"""

# The matched obligations with what explains them: actors, provisions up to the instrument.
DESCRIBED = PREFIXES + """
CONSTRUCT { ?resource ?property ?value } WHERE {
  { SELECT DISTINCT ?resource WHERE {%MATCHED%
      { ?ob a dg:Obligation BIND(?ob AS ?resource) } UNION { ?ob dg:actor|dg:coActor ?resource }
      UNION { ?ob dg:authority/eli:is_part_of* ?resource } } }
  ?resource ?property ?value .
}
"""

ACTOR_LABELS = PREFIXES + """
SELECT ?actor (SAMPLE(?zh) AS ?name) (SAMPLE(?en) AS ?english) WHERE {
  ?actor a dg:Actor .
  OPTIONAL { ?actor skos:prefLabel ?zh FILTER(langMatches(lang(?zh), "zh")) }
  OPTIONAL { ?actor rdfs:label ?en FILTER(langMatches(lang(?en), "en")) }
} GROUP BY ?actor
"""

INSTRUMENT_LABELS = PREFIXES + """
SELECT ?instrument (COALESCE(MIN(?written), MIN(?text)) AS ?title) (SAMPLE(?place) AS ?jurisdiction) WHERE {
  ?instrument a dg:Instrument .
  OPTIONAL { ?instrument dcterms:title ?text }
  OPTIONAL { ?instrument dcterms:title ?written FILTER(LANG(?written) = "") }  # as written, not a simplified copy
  OPTIONAL { ?instrument dg:jurisdictionName ?place }
} GROUP BY ?instrument
"""

ACTOR_NAMES = PREFIXES + """
SELECT DISTINCT ?actor ?name ?preferred WHERE {
  ?actor a dg:Actor .
  OPTIONAL { VALUES ?property { skos:prefLabel skos:altLabel rdfs:label } ?actor ?property ?name
             BIND(?property = skos:prefLabel AS ?preferred) }
}
"""



@dataclass(frozen=True)
class Filters:
    """Actor IRIs (already resolved), modality local names, jurisdiction names; empty = no filter."""

    actors: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()
    jurisdictions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ObligationRow:
    iri: str
    modality: str  # local name: Duty, Prohibition, …
    actor: str | None
    authority: str
    instrument: str
    sentence: str
    article: int | None
    co_actors: tuple[str, ...]


def build_view(store, view: str = "obligations", *, actor: str | None = None, modality: str | None = None,
               jurisdiction: str | None = None) -> nx.Graph:
    """The named view of `store`, filtered; raises DG-G050/51/52 for an unknown view, actor or modality."""
    if view not in VIEWS:
        raise DutygraphError("DG-G050", "-", f"{view!r}; choose one of {', '.join(VIEWS)}")
    filters = make_filters(store, actor=actor, modality=modality, jurisdiction=jurisdiction)
    return VIEW_BUILDERS[view](store, filters)


def make_filters(store, *, actor: str | None = None, modality: str | None = None,
                 jurisdiction: str | None = None) -> Filters:
    return Filters(
        actors=resolve_actor(store, actor) if actor else (),
        modalities=(normalise_modality(modality),) if modality else (),
        jurisdictions=resolve_jurisdiction(store, jurisdiction) if jurisdiction else (),
    )


def resolve_actor(store, name: str) -> tuple[str, ...]:
    """IRIs of the actors named `name`: the IRI or its last segment, or any label in any script or case.

    Preferred labels win over alternative ones, as in the REST lookup (dutygraph.api.actors).
    """
    wanted = normalised(name)
    preferred, other = set(), set()
    for row in store.query(ACTOR_NAMES):
        actor, label = row["actor"].value, row["name"]
        if name.strip() in (actor, actor.rsplit("/", 1)[-1]):
            preferred.add(actor)
        elif label is not None and normalised(label.value) == wanted:
            (preferred if row["preferred"].value == "true" else other).add(actor)
    if not preferred | other:
        raise DutygraphError("DG-G051", "-", name)
    return tuple(sorted(preferred or other))


def resolve_jurisdiction(store, name: str) -> tuple[str, ...]:
    """The jurisdiction names in the store written like `name` (Chinese in any script, or English); DG-G053 if none."""
    rows = ({variable: term.value for variable, term in (("place", row["place"]), ("english", row["english"]))
             if term is not None} for row in store.query(JURISDICTIONS))
    return match_jurisdiction(name, jurisdiction_labels(rows))


def described_query(filters: Filters) -> str:
    """CONSTRUCT the matched obligations, their actors and their provisions up to the instrument."""
    return DESCRIBED.replace("%MATCHED%", matched_pattern(filters))


def matched_pattern(filters: Filters) -> str:
    """Binds ?ob, ?modality, ?authority, ?instrument for the obligations the filters keep."""
    return MATCHED.replace("%FILTERS%", filter_clauses(filters))


def obligation_rows(store, filters: Filters) -> list[ObligationRow]:
    # Unpacking a solution by position is twice as fast as looking its variables up by name.
    return [
        ObligationRow(
            iri=ob.value,
            modality=modality.value.removeprefix(NS),
            actor=actor.value if actor is not None else None,
            authority=authority.value,
            instrument=instrument.value,
            sentence=sentence.value if sentence is not None else "",
            article=int(article.value) if article is not None else None,
            co_actors=tuple(partners.value.split()) if partners is not None else (),
        )
        for ob, modality, actor, authority, instrument, sentence, article, partners
        in store.query(OBLIGATIONS.replace("%MATCHED%", matched_pattern(filters)))
    ]


def filter_clauses(filters: Filters) -> str:
    clauses = []
    if filters.actors:
        names = " ".join(f"<{iri}>" for iri in filters.actors)
        clauses.append(f"FILTER EXISTS {{ ?ob dg:actor|dg:coActor ?named VALUES ?named {{ {names} }} }}")
    if filters.modalities:
        names = " ".join(f"dg:{m}" for m in filters.modalities)
        clauses.append(f"VALUES ?modality {{ {names} }}")
    if filters.jurisdictions:
        names = ", ".join(string_term(j) for j in filters.jurisdictions)
        clauses.append(f"?instrument dg:jurisdictionName ?place FILTER(STR(?place) IN ({names}))")
    return "\n  ".join(clauses)


def obligations_view(store, filters: Filters) -> nx.DiGraph:
    rows = obligation_rows(store, filters)
    graph = nx.DiGraph(view="obligations")
    actors, instruments = actor_labels(store), instrument_labels(store)
    for row in rows:
        add_instrument(graph, row.instrument, instruments)
        graph.add_node(row.iri, kind="obligation", label=obligation_label(row), modality=row.modality,
                       sentence=row.sentence, article=row.article or 0, provision=row.authority,
                       actor=actors.get(row.actor, {}).get("label", UNSPECIFIED) if row.actor else UNSPECIFIED)
        graph.add_edge(row.iri, row.instrument, kind="in", label="出自", weight=1)
        if row.actor:
            add_actor(graph, row.actor, actors)
            graph.add_edge(row.actor, row.iri, kind="actor", label=row.modality, weight=1)
        for partner in row.co_actors:
            add_actor(graph, partner, actors)
            graph.add_edge(partner, row.iri, kind="coActor", label="会同", weight=1)
    return graph


def bipartite_view(store, filters: Filters) -> nx.DiGraph:
    counts: dict[tuple[str, str], Counter] = {}
    for row in obligation_rows(store, filters):
        if row.actor and (not filters.actors or row.actor in filters.actors):  # not its 会同 partners
            counts.setdefault((row.actor, row.instrument), Counter())[row.modality] += 1
    graph = nx.DiGraph(view="bipartite")
    actors, instruments = actor_labels(store), instrument_labels(store)
    for (actor, instrument), by_modality in sorted(counts.items()):
        add_actor(graph, actor, actors, bipartite=0)
        add_instrument(graph, instrument, instruments, bipartite=1)
        total = sum(by_modality.values())
        graph.add_edge(actor, instrument, kind="obliged_by", label=str(total), weight=total,
                       **{m.lower(): by_modality[m] for m in MODALITIES})
    return graph


def actors_view(store, filters: Filters) -> nx.Graph:
    """Co-listed: two obligations with one sentence and one authority but different actors."""
    rows = obligation_rows(store, replace(filters, actors=()))
    sentences: dict[tuple[str, str], set[str]] = {}
    links: dict[tuple[str, str], Counter] = {}
    for row in rows:
        if row.actor:
            sentences.setdefault((row.authority, row.sentence), set()).add(row.actor)
            for partner in row.co_actors:
                links.setdefault(tuple(sorted((row.actor, partner))), Counter())["coactor"] += 1
    for listed in sentences.values():
        for pair in combinations(sorted(listed), 2):
            links.setdefault(pair, Counter())["colisted"] += 1
    graph = nx.Graph(view="actors")
    actors = actor_labels(store)
    for (first, second), count in sorted(links.items()):
        if filters.actors and first not in filters.actors and second not in filters.actors:
            continue
        add_actor(graph, first, actors)
        add_actor(graph, second, actors)
        kind = "+".join(name for name in ("colisted", "coactor") if count[name])
        graph.add_edge(first, second, kind=kind, label=kind, weight=count.total(),
                       colisted=count["colisted"], coactor=count["coactor"])
    return graph


VIEW_BUILDERS = {"obligations": obligations_view, "bipartite": bipartite_view, "actors": actors_view}


def obligation_label(row: ObligationRow) -> str:
    sentence = row.sentence if len(row.sentence) <= SENTENCE_LABEL_LENGTH else row.sentence[:SENTENCE_LABEL_LENGTH] + "…"
    return f"第{row.article}条 {sentence}" if row.article is not None else sentence


def add_actor(graph: nx.Graph, iri: str, labels: dict[str, dict], **extra) -> None:
    graph.add_node(iri, kind="actor", iri=iri, **labels.get(iri, {"label": iri.rsplit("/", 1)[-1], "label_en": ""}),
                   **extra)


def add_instrument(graph: nx.Graph, iri: str, labels: dict[str, dict], **extra) -> None:
    graph.add_node(iri, kind="instrument", iri=iri,
                   **labels.get(iri, {"label": iri.rsplit("/", 1)[-1], "jurisdiction": ""}), **extra)


def actor_labels(store) -> dict[str, dict]:
    return node_labels(store, ACTOR_LABELS, "actor", {"label": "name", "label_en": "english"})


def instrument_labels(store) -> dict[str, dict]:
    return node_labels(store, INSTRUMENT_LABELS, "instrument", {"label": "title", "jurisdiction": "jurisdiction"})


def node_labels(store, query: str, key: str, fields: dict[str, str]) -> dict[str, dict]:
    """IRI → node attributes from one SPARQL row each; a missing label falls back to the IRI's last segment."""
    labels = {}
    for row in store.query(query):
        iri = row[key].value
        values = {attribute: row[variable].value if row[variable] else "" for attribute, variable in fields.items()}
        values["label"] = values["label"] or iri.rsplit("/", 1)[-1]
        labels[iri] = values
    return labels


def string_term(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'
