"""Shapes: each listed defect injected into a valid graph is reported, by pyshacl and by the fast path alike."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate as shacl_validate
from pyshacl.errors import ReportableRuntimeError

from dutygraph.errors import DutygraphError
from dutygraph.extract.actors import actor_iri
from dutygraph.graph import ids
from dutygraph.graph.ingest import load_ontology
from dutygraph.graph.rdf import build_graph
from dutygraph.graph.shacl import compile_rules
from dutygraph.graph.store import MEMORY, open_store
from dutygraph.graph.validate import fast_violations, reference_store_violations, shapes_graph
from tests.graph.fixtures import make_document, make_units

DOC = ids.instrument_iri("900_example")
SHAPES = "https://w3id.org/dutygraph/shapes#"
OB = f"{DOC}/art/1/para/1/ob/1"
SANCTION = f"{DOC}/art/3/ob/1"
PREFIX = "PREFIX dg: <https://w3id.org/dutygraph/ns#> PREFIX eli: <http://data.europa.eu/eli/ontology#> " \
         "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
COORDINATOR = actor_iri("示例协调机构")

def replaced(subject: str, predicate: str, value: str) -> str:
    """An update giving `subject` `value` for `predicate` in place of what the fixture has."""
    return (f"DELETE {{ GRAPH <{DOC}> {{ <{subject}> {predicate} ?old }} }} "
            f"INSERT {{ GRAPH <{DOC}> {{ <{subject}> {predicate} {value} }} }} "
            f"WHERE {{ GRAPH <{DOC}> {{ <{subject}> {predicate} ?old }} }}")


# defect → (SPARQL update that injects it into the valid fixture graph, focus, shape that must report it)
MUTATIONS = {
    "obligation without modality": (
        f"DELETE WHERE {{ GRAPH <{DOC}> {{ <{OB}> dg:modality ?m }} }}", OB, "ObligationModality"),
    "modality outside the scheme": (
        replaced(OB, "dg:modality", "dg:Obligation"), OB, "ObligationModality"),
    "obligation without authority": (
        f"DELETE WHERE {{ GRAPH <{DOC}> {{ <{OB}> dg:authority ?a }} }}", OB, "ObligationAuthority"),
    "authority that does not reach an instrument": (
        replaced(OB, "dg:authority", "<https://example.org/elsewhere/art/1>"), OB, "ObligationReachesInstrument"),
    "actor without a zh-Hans preferred label": (
        replaced(COORDINATOR, "skos:prefLabel", '"coordinator"@en'), COORDINATOR, "ActorPrefLabel"),
    "article number that is not an integer": (
        replaced(f"{DOC}/art/2", "dg:articleNumber", '"第二条"'), f"{DOC}/art/2", "ProvisionArticleNumber"),
    "provision with two parents": (
        f"INSERT DATA {{ GRAPH <{DOC}> {{ <{DOC}/art/2> eli:is_part_of <{DOC}/chap/2> }} }}",
        f"{DOC}/art/2", "ProvisionParent"),
    "sanction whose target is a provision, not a unit": (
        f"INSERT DATA {{ GRAPH <{DOC}> {{ <{OB}> dg:enforcesObligation <{DOC}/art/2> }} }}", OB,
        "ObligationEnforcesObligation"),
    "chapter cut off from its instrument": (
        f"DELETE WHERE {{ GRAPH <{DOC}> {{ <{DOC}/chap/2> eli:is_part_of ?p }} }}", f"{DOC}/chap/2",
        "ProvisionReachesInstrument"),
    "instrument without a title": (
        f"DELETE WHERE {{ GRAPH <{DOC}> {{ <{DOC}> <http://purl.org/dc/terms/title> ?t }} }}", DOC, "InstrumentTitle"),
    "source file that is a number": (
        f"INSERT DATA {{ GRAPH <{DOC}> {{ <{DOC}> dg:sourceFile 5 }} }}", DOC, "InstrumentSourceFile"),
    "actor-inferred flag that is no boolean": (
        replaced(OB, "dg:actorInferred", '"maybe"^^xsd:boolean'), OB, "ObligationActorInferred"),
    "obligation with two actors": (
        f"INSERT DATA {{ GRAPH <{DOC}> {{ <{OB}> dg:actor <{COORDINATOR}> }} }}", OB, "ObligationActor"),
    "co-actor that is no actor": (
        f"INSERT DATA {{ GRAPH <{DOC}> {{ <{SANCTION}> dg:coActor <{DOC}/art/2> }} }}", SANCTION, "ObligationCoActor"),
    "penalty kind with a language": (
        f"INSERT DATA {{ GRAPH <{DOC}> {{ <{SANCTION}> dg:penalty \"罚款\"@zh-Hans }} }}", SANCTION, "ObligationPenalty"),
    "previous version that is no instrument": (
        f"INSERT DATA {{ GRAPH <{DOC}> {{ <{DOC}> dg:previousVersion <{DOC}/art/2> }} }}", DOC,
        "InstrumentPreviousVersion"),
}


@pytest.fixture
def valid_store():
    store = open_store(MEMORY)
    load_ontology(store)
    document = make_document()
    store.replace_graph(DOC, build_graph(document, make_units()), document.source.checksum)
    return store


def test_the_fixture_graph_conforms(valid_store):
    assert fast_violations(valid_store) == []
    assert reference_store_violations(valid_store) == []


@pytest.mark.parametrize("defect", MUTATIONS)
def test_injected_defect_is_reported_by_both_paths(valid_store, defect):
    update, focus, shape = MUTATIONS[defect]
    valid_store.update(PREFIX + update)
    fast = fast_violations(valid_store)
    assert (focus, SHAPES + shape) in {(v.focus, v.shape) for v in fast}
    reference = reference_store_violations(valid_store)
    assert {(v.focus, v.shape) for v in fast} == {(v.focus, v.shape) for v in reference}


def passes_shacl_shacl(shapes: rdflib.Graph) -> bool:
    """pyshacl's meta_shacl validates the shapes graph against SHACL-SHACL before using it."""
    try:
        conforms, _, _ = shacl_validate(rdflib.Graph(), shacl_graph=shapes, meta_shacl=True, inference="none")
    except ReportableRuntimeError:
        return False
    return conforms


def test_shapes_graph_passes_shacl_shacl():
    assert passes_shacl_shacl(shapes_graph())


def test_shapes_graph_is_not_trivially_satisfied():
    """meta_shacl must be able to fail: a broken shape is caught."""
    broken = rdflib.Graph()
    broken += shapes_graph()
    broken.add((rdflib.URIRef(SHAPES + "ObligationModality"), rdflib.URIRef("http://www.w3.org/ns/shacl#minCount"),
                rdflib.Literal("one")))
    assert not passes_shacl_shacl(broken)


def test_unlisted_actor_is_typed_and_labelled(valid_store):
    rows = list(valid_store.query(
        f"SELECT ?label WHERE {{ <{COORDINATOR}> a <{ids.NS}Actor> ; <{ids.SKOS}prefLabel> ?label }}"))
    assert [(row["label"].value, row["label"].language) for row in rows] == [("示例协调机构", "zh-hans")]
    assert isinstance(rows[0]["label"], ox.Literal)


def test_a_constraint_the_in_memory_checker_cannot_evaluate_is_refused():
    """A shape gaining e.g. sh:minLength must not pass unchecked through graph/shacl.py."""
    extended = rdflib.Graph()
    extended += shapes_graph()
    extended.add((rdflib.URIRef(SHAPES + "InstrumentTitle"), rdflib.URIRef("http://www.w3.org/ns/shacl#minLength"),
                  rdflib.Literal(2)))
    assert compile_rules(shapes_graph())
    with pytest.raises(DutygraphError) as refused:
        compile_rules(extended)
    assert refused.value.code == "DG-V003"
