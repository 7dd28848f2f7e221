"""The seeds and the whole LawRefBook corpus in one store, and the store conforms (slow: opt in with -m slow)."""
from __future__ import annotations

import pytest

from dutygraph.graph.ingest import ingest_paths
from dutygraph.graph.stats import compute_stats
from dutygraph.graph.store import open_store
from dutygraph.graph.validate import fast_violations, reference_store_violations
from tests.shared import SEEDS, shared_path


@pytest.mark.slow
def test_seeds_and_corpus_ingest_into_one_conforming_store(tmp_path):
    corpus = shared_path("corpus", "lawrefbook")
    store = open_store(str(tmp_path / "store"))
    report = ingest_paths([SEEDS, corpus], store)
    assert report.ok, [p for p in report.problems if p.source in report.failed][:20]
    stats = compute_stats(store)
    assert stats["documents"] == len(report.added)
    assert fast_violations(store) == []


@pytest.mark.slow
def test_fast_path_equals_pyshacl_on_a_corpus_sample(tmp_path):
    folder = shared_path("corpus", "lawrefbook", "经济法")
    store = open_store(str(tmp_path / "store"))
    ingest_paths([folder], store)
    assert fast_violations(store) == reference_store_violations(store)
