"""The ontology folder as quads: the single source of labels, the modality scheme and the actor scheme."""
from __future__ import annotations

import hashlib
from functools import lru_cache

import pyoxigraph as ox

from dutygraph.graph.ids import ONTOLOGY_GRAPH
from dutygraph.ontology import ONTOLOGY_DIR

# Variants first, preferred labels last, so a preferred label wins when a name is both.
ACTOR_NAMES = """
PREFIX dg: <https://w3id.org/dutygraph/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?actor ?name WHERE {
  ?actor a dg:Actor .
  { ?actor skos:altLabel ?name BIND(0 AS ?rank) } UNION { ?actor skos:prefLabel ?name BIND(1 AS ?rank) }
  FILTER(langMatches(lang(?name), "zh-Hans"))
} ORDER BY ?rank ?actor
"""


@lru_cache(maxsize=1)
def ontology_quads() -> tuple[ox.Quad, ...]:
    """Every ontology/*.ttl (the ontology, modalities, actor scheme) in the ontology named graph."""
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    quads: list[ox.Quad] = []
    for path in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        quads.extend(ox.Quad(quad.subject, quad.predicate, quad.object, graph)
                     for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, rename_blank_nodes=True))
    return tuple(quads)


def ontology_checksum() -> str:
    """Changes whenever any ontology file changes, so ingest reloads the ontology graph only then."""
    digest = hashlib.sha256()
    for path in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def actor_index() -> dict[str, str]:
    """Simplified name (canonical or variant) → actor IRI in the scheme."""
    store = ox.Store()
    store.extend(ontology_quads())
    return {row["name"].value: row["actor"].value
            for row in store.query(ACTOR_NAMES, use_default_graph_as_union=True)}
