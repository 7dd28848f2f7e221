"""The ontology folder as quads: the ontology, the modality scheme and the actor scheme, in one named graph."""
from __future__ import annotations

import hashlib
from functools import lru_cache

import pyoxigraph as ox

from dutygraph.graph.ids import ONTOLOGY_GRAPH
from dutygraph.ontology import ONTOLOGY_DIR


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
