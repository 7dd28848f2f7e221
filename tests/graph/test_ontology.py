"""The ontology folder is the single source of labels: every term the graph uses has zh-Hans and en labels."""
from __future__ import annotations

import re

import pyoxigraph as ox

from dutygraph.graph.ids import RDF, RDFS
from dutygraph.graph.rdf import build_graph
from dutygraph.graph.vocabulary import ontology_quads
from tests.graph.fixtures import make_document, make_units
from tests.shared import shared_path

PREFIXES = {"dg": "https://w3id.org/dutygraph/ns#", "eli": "http://data.europa.eu/eli/ontology#",
            "skos": "http://www.w3.org/2004/02/skos/core#", "dcterms": "http://purl.org/dc/terms/",
            "prov": "http://www.w3.org/ns/prov#", "rdfs": RDFS}
LABELLED = """SELECT ?term WHERE {
  ?term <http://www.w3.org/2000/01/rdf-schema#label> ?zh , ?en ; <http://www.w3.org/2000/01/rdf-schema#comment> ?czh , ?cen .
  FILTER(langMatches(lang(?zh), "zh-Hans") && langMatches(lang(?en), "en")
         && langMatches(lang(?czh), "zh-Hans") && langMatches(lang(?cen), "en")) }"""


def labelled_terms() -> set[str]:
    store = ox.Store()
    store.extend(ontology_quads())
    return {row["term"].value for row in store.query(LABELLED, use_default_graph_as_union=True)}


def test_every_predicate_and_class_of_a_built_graph_is_labelled():
    quads = build_graph(make_document(), make_units())
    used = {q.predicate.value for q in quads} | {q.object.value for q in quads if q.predicate.value == RDF + "type"}
    used.discard(RDF + "type")
    assert used - labelled_terms() == set()


def test_every_term_of_the_vocabulary_is_labelled():
    text = shared_path("spec", "vocabulary.md").read_text(encoding="utf-8")
    terms = {PREFIXES[p] + name for p, name in re.findall(r"`(dg|eli|skos|dcterms|prov|rdfs):(\w+)`", text)}
    assert len(terms) > 20
    assert terms - labelled_terms() == set()


def test_soft_modalities_have_no_exact_odrl_match():
    store = ox.Store()
    store.extend(ontology_quads())
    exact = {(row["m"].value.rsplit("#", 1)[1], row["o"].value) for row in store.query(
        "SELECT ?m ?o WHERE { ?m <http://www.w3.org/2004/02/skos/core#exactMatch> ?o }",
        use_default_graph_as_union=True)}
    odrl = "http://www.w3.org/ns/odrl/2/"
    assert exact == {("Duty", odrl + "Duty"), ("Permission", odrl + "Permission"),
                     ("Prohibition", odrl + "Prohibition")}
