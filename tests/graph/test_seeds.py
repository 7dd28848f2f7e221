"""The seeds through the real pipeline: they conform, re-ingest changes nothing, an edit replaces one graph."""
from __future__ import annotations

import shutil

import pyoxigraph as ox

from dutygraph.graph import ids
from dutygraph.graph.ingest import extract, ingest_paths
from dutygraph.graph.matrix import SUMMARY_GRAPH
from dutygraph.graph.rdf import build_graph
from dutygraph.graph.store import named_graphs, open_store
from dutygraph.graph.validate import fast_violations, reference_store_violations
from tests.graph.rdfcompare import isomorphic_datasets, quads_of_graph
from tests.graph.seedstore import seed_store
from tests.shared import SEEDS

EDITED = "001_18aaf2e0bf01b38b.txt"


def test_seeds_conform_by_both_paths():
    store = seed_store()
    assert fast_violations(store) == []
    assert reference_store_violations(store) == []


def test_every_seed_is_one_named_graph():
    store = seed_store()
    # plus the unit-counts summary every ingest keeps (graph/matrix.py)
    expected = {ids.instrument_iri(ids.stem_of(path.name)) for path in SEEDS.iterdir()} | {ids.ONTOLOGY_GRAPH, SUMMARY_GRAPH}
    assert set(named_graphs(store)) == expected


def test_reingest_changes_nothing_and_fresh_stores_agree(tmp_path):
    store = open_store(str(tmp_path / "a"))
    ingest_paths([SEEDS], store)
    before = store.dump(ox.RdfFormat.N_QUADS)
    again = ingest_paths([SEEDS], store)
    assert len(again.skipped) == 5 and not (again.added or again.replaced)
    assert isomorphic_datasets(store.dump(ox.RdfFormat.N_QUADS), before)
    assert isomorphic_datasets(before, seed_store().dump(ox.RdfFormat.N_QUADS))  # same IRIs in another run


def test_edited_copy_replaces_exactly_that_instrument(tmp_path):
    store = seed_store(tmp_path / "store")
    others = {graph: quads_of_graph(store, graph) for graph in named_graphs(store)}
    edited_graph = ids.instrument_iri(ids.stem_of(EDITED))
    copy = tmp_path / "edited" / EDITED
    copy.parent.mkdir()
    shutil.copy(SEEDS / EDITED, copy)
    with copy.open("a", encoding="utf-8") as handle:
        handle.write("\n第九十九条 企业应当建立质量追溯制度。\n")
    report = ingest_paths([copy.parent], store)
    assert report.replaced == [EDITED]
    document, units = extract(copy)
    assert quads_of_graph(store, edited_graph) == set(build_graph(document, units))
    for graph, quads in others.items():
        if graph not in (edited_graph, SUMMARY_GRAPH):  # the summary recounts the edited instrument
            assert quads_of_graph(store, graph) == quads, graph


def test_parallel_extraction_builds_the_same_graph(tmp_path):
    store = open_store(str(tmp_path / "parallel"))
    report = ingest_paths([SEEDS], store, workers=2)
    assert sorted(report.added) == sorted(path.name for path in SEEDS.iterdir())
    assert isomorphic_datasets(store.dump(ox.RdfFormat.N_QUADS), seed_store().dump(ox.RdfFormat.N_QUADS))


def test_each_unit_reaches_its_extraction_through_its_instrument_and_repeats_none():
    """The lean graph: the extraction is stated once per instrument (prov:used), not on every unit."""
    store = seed_store()
    prefixes = f"PREFIX prov: <{ids.PROV}> PREFIX dg: <{ids.NS}> "
    units = int(next(iter(store.query(prefixes + "SELECT (COUNT(?ob) AS ?n) WHERE { ?ob a dg:Obligation }")))["n"].value)
    traced = prefixes + """SELECT (COUNT(DISTINCT ?ob) AS ?n) WHERE {
      ?ob a dg:Obligation ; prov:wasDerivedFrom ?doc . ?run a dg:Extraction ; prov:used ?doc ; dg:extractorVersion ?v }"""
    assert units > 500 and int(next(iter(store.query(traced)))["n"].value) == units
    assert not store.query(prefixes + "ASK { ?ob a dg:Obligation ; prov:wasGeneratedBy ?run }")
