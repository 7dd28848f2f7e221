"""Write fixture.nq: the dev gold units of three seeds as a dutygraph store (vocabulary.md terms).

    .venv/bin/python tests/data/api/make_fixture.py   (reads ../shared/gold/dev)

Identifiers follow CONTRIBUTING.md; actors come from ontology/actors.ttl (copied with their
labels into the ontology graph) so that lookups by any label work as on a real store.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
ACTORS = HERE.parents[2] / "ontology" / "actors.ttl"
GOLD = HERE.parents[3] / "shared" / "gold" / "dev"
DG, ELI, SKOS = "https://w3id.org/dutygraph/ns#", "http://data.europa.eu/eli/ontology#", "http://www.w3.org/2004/02/skos/core#"
DCTERMS, RDF_TYPE = "http://purl.org/dc/terms/", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ID = "https://w3id.org/dutygraph/id/"
INSTRUMENTS = {
    "000_1c62b5ba5ae13ae9": ("四川省质量促进条例（草案征求意见稿）", "四川省"),
    "001_18aaf2e0bf01b38b": ("湖北省质量促进条例（草案）", "湖北省"),
    "003_f9d3a63319543e59": ("四川省“十四五”质量发展规划（征求意见稿）", "四川省"),
}


def actor_index(scheme: ox.Store) -> dict[str, ox.NamedNode]:
    rows = scheme.query(f"SELECT ?a ?l {{ ?a a <{DG}Actor> ; <{SKOS}prefLabel>|<{SKOS}altLabel> ?l }}")
    return {row["l"].value: row["a"] for row in rows}


def main() -> None:
    scheme = ox.Store()
    scheme.load(path=str(ACTORS), format=ox.RdfFormat.TURTLE)
    actors, used = actor_index(scheme), set()
    out = ox.Store()
    for stem, (title, jurisdiction) in INSTRUMENTS.items():
        doc = ox.NamedNode(ID + "doc/" + stem)

        def add(s, p, o, doc=doc):
            out.add(ox.Quad(s, ox.NamedNode(p), o, doc))

        add(doc, RDF_TYPE, ox.NamedNode(DG + "Instrument"))
        add(doc, DG + "sourceFile", ox.Literal(stem + ".txt"))
        add(doc, DCTERMS + "title", ox.Literal(title))
        add(doc, DG + "jurisdictionName", ox.Literal(jurisdiction))
        # A store counts an instrument graph as complete only once its checksum is recorded.
        add(doc, DG + "checksum", ox.Literal(hashlib.sha256(stem.encode()).hexdigest()))
        per_authority = Counter()
        for line in (GOLD / f"{stem}.jsonl").read_text(encoding="utf-8").splitlines():
            unit = json.loads(line)
            authority = doc
            if unit["article"] is not None:
                article = ox.NamedNode(f"{doc.value}/art/{unit['article']}")
                add(article, RDF_TYPE, ox.NamedNode(DG + "Provision"))
                add(article, ELI + "is_part_of", doc)
                add(article, DG + "articleNumber", ox.Literal(str(unit["article"]), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
                authority = ox.NamedNode(f"{article.value}/para/{unit['para']}")
                add(authority, RDF_TYPE, ox.NamedNode(DG + "Provision"))
                add(authority, ELI + "is_part_of", article)
            per_authority[authority.value] += 1
            ob = ox.NamedNode(f"{authority.value}/ob/{per_authority[authority.value]}")
            add(ob, RDF_TYPE, ox.NamedNode(DG + "Obligation"))
            add(ob, DG + "modality", ox.NamedNode(DG + unit["modality"]))
            add(ob, DG + "authority", authority)
            add(ob, DG + "sentence", ox.Literal(unit["sentence"]))
            add(ob, DG + "action", ox.Literal(unit["action"] or ""))
            add(ob, DG + "object", ox.Literal(unit["object"] or ""))
            add(ob, DG + "actorInferred", ox.Literal(str(unit["inferred"]).lower(), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")))
            if unit["level"]:
                add(ob, DG + "level", ox.Literal(unit["level"]))
            if unit["actor"] != "(unspecified)":
                actor = actors.get(unit["actor"])
                if actor is None:
                    actor = ox.NamedNode(ID + "actor/x-" + hashlib.sha1(unit["actor"].encode()).hexdigest()[:12])
                    add(actor, RDF_TYPE, ox.NamedNode(DG + "Actor"))
                    add(actor, SKOS + "prefLabel", ox.Literal(unit["actor"], language="zh-Hans"))
                used.add(actor)
                add(ob, DG + "actor", actor)
    ontology = ox.NamedNode(ID + "graph/ontology")
    for quad in scheme.quads_for_pattern(None, None, None):
        if quad.subject in used:
            out.add(ox.Quad(quad.subject, quad.predicate, quad.object, ontology))
    (HERE / "fixture.nq").write_bytes(out.dump(format=ox.RdfFormat.N_QUADS))


if __name__ == "__main__":
    main()
