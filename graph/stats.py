"""What is in a store: documents, provisions, units by modality, the most frequent actors, triples."""
from __future__ import annotations

from dutygraph.graph.ids import PREFIXES
from dutygraph.graph.store import Store
from dutygraph.model import MODALITIES

HEADER = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
COUNTS = HEADER + """SELECT
  (COUNT(DISTINCT ?doc) AS ?documents) (COUNT(DISTINCT ?provision) AS ?provisions)
  (COUNT(DISTINCT ?ob) AS ?units) WHERE {
  { ?doc a dg:Instrument } UNION { ?provision a dg:Provision } UNION { ?ob a dg:Obligation } }"""
BY_MODALITY = HEADER + "SELECT ?modality (COUNT(DISTINCT ?ob) AS ?n) WHERE { ?ob dg:modality ?modality } GROUP BY ?modality"
TOP_ACTORS = HEADER + """SELECT ?actor (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?ob) AS ?n) WHERE {
  ?ob a dg:Obligation ; dg:actor ?actor .
  OPTIONAL { ?actor skos:prefLabel ?name FILTER(langMatches(lang(?name), "zh-Hans")) }
} GROUP BY ?actor ORDER BY DESC(?n) ?actor LIMIT {limit}"""
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def compute_stats(store: Store, top: int = 20) -> dict:
    counts = next(iter(store.query(COUNTS)))
    modality = {row["modality"].value.rsplit("#", 1)[-1]: int(row["n"].value) for row in store.query(BY_MODALITY)}
    return {
        "documents": int(counts["documents"].value),
        "provisions": int(counts["provisions"].value),
        "units": int(counts["units"].value),
        "units_by_modality": {name: modality.get(name, 0) for name in MODALITIES},
        "top_actors": [{"actor": row["actor"].value, "label": row["label"].value if row["label"] else "",
                        "units": int(row["n"].value)}
                       for row in store.query(TOP_ACTORS.replace("{limit}", str(top)))],
        "triples": int(next(iter(store.query(TRIPLES)))["n"].value),
    }


def render_stats(stats: dict) -> str:
    lines = [f"documents: {stats['documents']}", f"provisions: {stats['provisions']}",
             f"units: {stats['units']} (" + ", ".join(f"{k} {v}" for k, v in stats["units_by_modality"].items()) + ")",
             f"triples: {stats['triples']}", "most frequent actors:"]
    lines.extend(f"  {actor['units']:>6}  {actor['label'] or actor['actor']}" for actor in stats["top_actors"])
    return "\n".join(lines)
