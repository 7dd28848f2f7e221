"""Validation at ingest, recorded per graph; `validate` re-checks only graphs whose record is not current."""
from __future__ import annotations

import shutil

import pytest

from dutygraph.graph import ids
from dutygraph.graph.incremental import RECORDS_GRAPH, store_violations, write_records
from dutygraph.graph.ingest import ingest_paths, load_ontology
from dutygraph.graph.rdf import build_graph
from dutygraph.graph.store import MEMORY, open_store
from dutygraph.graph.validate import Violation, fast_violations, reference_store_violations
from tests.graph.fixtures import make_document, make_units
from tests.graph.test_validate import MUTATIONS, PREFIX, SHAPES
from tests.shared import SEEDS

SEED = "001_18aaf2e0bf01b38b.txt"
GRAPH = ids.instrument_iri(ids.stem_of(SEED))


@pytest.fixture
def ingested(tmp_path):
    shutil.copy(SEEDS / SEED, tmp_path / SEED)
    store = open_store(MEMORY)
    assert ingest_paths([tmp_path], store).ok
    return store, tmp_path


def records(store) -> set[str]:
    return {row["g"].value for row in store.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH <{RECORDS_GRAPH}> {{ ?g ?p ?o }} }}")}


def test_ingest_records_each_document_and_validate_rechecks_nothing(ingested):
    store, _ = ingested
    assert records(store) == {GRAPH}
    assert store_violations(store) == ([], 0)
    assert reference_store_violations(store) == []


def test_recorded_findings_are_what_validate_reports(ingested):
    store, _ = ingested
    checksum = store.graph_checksum(GRAPH)
    recorded = (Violation(GRAPH + "/art/1", SHAPES + "ProvisionParent", "recorded", ""),)
    write_records(store, {GRAPH: (checksum, recorded)})
    assert store_violations(store) == (list(recorded), 0)
    assert store_violations(store, full=True) == ([], 1)  # --full ignores records and re-checks


def test_a_graph_without_a_current_record_is_rechecked(ingested):
    store, _ = ingested
    store.update(f"DROP GRAPH <{RECORDS_GRAPH}>")
    assert store_violations(store) == ([], 1)
    store.update(f"DELETE DATA {{ GRAPH <{ids.ONTOLOGY_GRAPH}> {{ <{ids.ONTOLOGY_GRAPH}> <{ids.NS}checksum> "
                 f"\"{store.graph_checksum(ids.ONTOLOGY_GRAPH)}\" }} }}")
    assert store_violations(store)[1] == 1  # another ontology: the record's key no longer matches


def test_reingesting_an_edited_file_renews_its_record(ingested):
    store, folder = ingested
    with (folder / SEED).open("a", encoding="utf-8") as handle:
        handle.write("\n第九十九条 企业应当建立质量追溯制度。\n")
    assert ingest_paths([folder], store).replaced == [SEED]
    assert store_violations(store) == ([], 0)


@pytest.mark.parametrize("defect", MUTATIONS)
def test_rechecking_in_memory_agrees_with_pyshacl_and_the_store_queries(defect):
    valid_store = open_store(MEMORY)  # the fixture graph of test_validate, without ingest's records
    load_ontology(valid_store)
    document = make_document()
    valid_store.replace_graph(ids.instrument_iri("900_example"), build_graph(document, make_units()),
                              document.source.checksum)
    update, focus, shape = MUTATIONS[defect]
    valid_store.update(PREFIX + update)
    found, rechecked = store_violations(valid_store)
    assert rechecked == 1 and (focus, SHAPES + shape) in {(v.focus, v.shape) for v in found}
    assert found == fast_violations(valid_store)
    assert {(v.focus, v.shape) for v in found} == {(v.focus, v.shape) for v in reference_store_violations(valid_store)}
