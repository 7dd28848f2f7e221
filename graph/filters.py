"""Filter values a person types (modality, jurisdiction, level…) → the values in the graph, or a coded
error that lists what is allowed. The REST lookup and the exports share these, so one wrong value
gets one answer everywhere: DG-G052 for a modality, DG-G053 for any other filter.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import opencc
import pyoxigraph as ox

from dutygraph.errors import DutygraphError
from dutygraph.graph.ids import NS
from dutygraph.graph.vocabulary import ontology_quads
from dutygraph.model import MODALITIES

MODALITY_LABELS = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?modality ?label WHERE { ?modality skos:prefLabel ?label }"""
# Every jurisdiction name used by an instrument, with the English label of its concept when the
# jurisdiction scheme (ontology/jurisdictions.ttl) has one.
JURISDICTIONS = """PREFIX dg: <https://w3id.org/dutygraph/ns#> PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?place ?english WHERE {
  ?instrument dg:jurisdictionName ?place .
  OPTIONAL { ?instrument eli:jurisdiction ?concept . ?concept rdfs:label ?english FILTER(LANG(?english) = "en") }
}"""
# Past this many, an error names the first ones and how many more there are.
LISTED_VALUES = 40


@lru_cache(maxsize=1)
def simplifier() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalised(text: str) -> str:
    """What two spellings of one name share: simplified script, no spaces, case folded."""
    return "".join(simplifier().convert(text).split()).casefold()


@lru_cache(maxsize=1)
def modality_labels() -> tuple[dict[str, str], ...]:
    """({name: "Duty", zh: "义务", en: "duty"}, …) in the order of model.MODALITIES, from ontology/modalities.ttl."""
    store = ox.Store()
    store.extend(ox.Quad(quad.subject, quad.predicate, quad.object) for quad in ontology_quads())
    labels: dict[str, dict[str, str]] = {}
    for row in store.query(MODALITY_LABELS):
        name = row["modality"].value.removeprefix(NS)
        if name in MODALITIES:
            labels.setdefault(name, {})["en" if row["label"].language == "en" else "zh"] = row["label"].value
    return tuple({"name": name, "zh": labels.get(name, {}).get("zh", name), "en": labels.get(name, {}).get("en", name)}
                 for name in MODALITIES)


def normalise_modality(modality: str) -> str:
    """`duty`, `Duty`, `dg:Duty`, the full IRI, `义务` or `義務` → `Duty`; anything else is DG-G052."""
    wanted = normalised(modality.strip().removeprefix(NS).removeprefix("dg:"))
    for labels in modality_labels():
        if wanted in {normalised(labels["name"]), normalised(labels["zh"]), normalised(labels["en"])}:
            return labels["name"]
    allowed = ", ".join(f"{labels['name']} ({labels['zh']})" for labels in modality_labels())
    raise DutygraphError("DG-G052", "-", f"modality={modality!r}; allowed: {allowed}")


def match_jurisdiction(name: str, known: dict[str, str]) -> tuple[str, ...]:
    """The jurisdiction names (keys of `known`: name → English label) written like `name`, in Chinese
    of either script or in English; none is DG-G053 with the allowed values."""
    wanted = normalised(name)
    found = tuple(sorted(place for place, english in known.items()
                         if wanted in (normalised(place), normalised(english or place))))
    if not found:
        raise unknown_value("jurisdiction", name, [f"{place} ({english})" if english else place
                                                   for place, english in sorted(known.items())])
    return found


def jurisdiction_labels(rows: Iterable[dict[str, str]]) -> dict[str, str]:
    """Rows of JURISDICTIONS (as dicts of strings) → name → English label ('' when the scheme has none)."""
    labels: dict[str, str] = {}
    for row in rows:
        labels[row["place"]] = labels.get(row["place"]) or row.get("english", "")
    return labels


def unknown_value(field: str, value: str, allowed: Iterable[str]) -> DutygraphError:
    allowed = list(allowed)
    shown = ", ".join(allowed[:LISTED_VALUES]) + (f" and {len(allowed) - LISTED_VALUES} more"
                                                  if len(allowed) > LISTED_VALUES else "")
    return DutygraphError("DG-G053", "-", f"{field}={value!r}; allowed: {shown or 'none in this store'}")
