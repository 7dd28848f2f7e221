"""Find an actor by any name a person types: simplified, traditional, abbreviation, English, IRI.

The labels come from the store itself (skos:prefLabel, skos:altLabel, rdfs:label), so whatever
the actor scheme and the ingested instruments say is what resolves.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache

import opencc

ACTOR_LABELS_QUERY = """
PREFIX dg: <https://w3id.org/dutygraph/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?actor ?label ?property WHERE {
  { ?actor a dg:Actor } UNION { [] dg:actor ?actor }
  VALUES ?property { skos:prefLabel skos:altLabel rdfs:label }
  ?actor ?property ?label .
}
"""
# Former agencies point at their successors in the actor scheme (dcterms:isReplacedBy).
SUCCESSION_QUERY = """
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?former ?successor WHERE { ?former dcterms:isReplacedBy ?successor }
"""
PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
ENGLISH_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ACTOR_NAMESPACE = "https://w3id.org/dutygraph/id/actor/"


@dataclass(frozen=True)
class ActorIndex:
    by_key: dict[str, str]  # normalised label -> actor IRI
    names: dict[str, str]  # actor IRI -> preferred label
    english: dict[str, str]  # actor IRI -> English label


@cache
def to_simplified():
    return opencc.OpenCC("t2s")


def normalise(name: str) -> str:
    return "".join(to_simplified().convert(name).split()).casefold()


def build_actor_index(rows: list[dict[str, str]]) -> ActorIndex:
    by_key, names, english = {}, {}, {}
    for row in sorted(rows, key=lambda row: row["property"] != PREF_LABEL):
        by_key.setdefault(normalise(row["label"]), row["actor"])
        if row["property"] == PREF_LABEL:
            names.setdefault(row["actor"], row["label"])
        elif row["property"] == ENGLISH_LABEL:
            english.setdefault(row["actor"], row["label"])
    for actor in by_key.values():
        names.setdefault(actor, actor.rsplit("/", 1)[-1])
    return ActorIndex(by_key, names, english)


def resolve_actor(index: ActorIndex, name: str) -> str | None:
    """The actor IRI for `name` (a label in any script, the IRI, or the IRI's last segment)."""
    known = set(index.names)
    for candidate in (name, ACTOR_NAMESPACE + name):
        if candidate in known:
            return candidate
    return index.by_key.get(normalise(name))


def closest_actors(index: ActorIndex, name: str, count: int = 5) -> list[dict[str, str]]:
    matches = difflib.get_close_matches(normalise(name), list(index.by_key), n=count * 3, cutoff=0.3)
    actors = list(dict.fromkeys(index.by_key[key] for key in matches))[:count]
    return [{"iri": actor, "name": index.names[actor]} for actor in actors]


@dataclass(frozen=True)
class Succession:
    replaced_by: dict[str, tuple[str, ...]]  # former actor IRI -> its successors
    replaces: dict[str, tuple[str, ...]]  # actor IRI -> the former actors it took over from


def build_succession(rows: list[dict[str, str]]) -> Succession:
    replaced_by: dict[str, list[str]] = {}
    replaces: dict[str, list[str]] = {}
    for row in sorted(rows, key=lambda row: (row["former"], row["successor"])):
        replaced_by.setdefault(row["former"], []).append(row["successor"])
        replaces.setdefault(row["successor"], []).append(row["former"])
    return Succession({k: tuple(v) for k, v in replaced_by.items()}, {k: tuple(v) for k, v in replaces.items()})


def predecessors(succession: Succession, actor: str) -> list[str]:
    """Every former agency whose duties passed to `actor`, directly or through another, nearest first."""
    found: list[str] = []
    frontier = [actor]
    while frontier:
        current = frontier.pop(0)
        for former in succession.replaces.get(current, ()):
            if former not in found and former != actor:
                found.append(former)
                frontier.append(former)
    return found
