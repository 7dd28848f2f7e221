"""The matrix read from the ingest's unit-counts summary is the matrix counted live, and an ingest
recounts only the instruments that changed."""
from __future__ import annotations

import pytest

from dutygraph.graph.matrix import SUMMARY_GRAPH, matrix, refresh_summary
from dutygraph.graph.rows import store_rows


def live(store):
    rows = store_rows(store)
    return lambda query: [] if SUMMARY_GRAPH in query else rows(query)


@pytest.mark.parametrize("filters", [{}, {"by": "instrument"}, {"actor": "农业农村部门"}, {"modality": "Prohibition"}])
def test_summary_and_live_counts_agree(compare_store, filters):
    summarised = matrix(store_rows(compare_store), **filters)
    assert summarised["cells"]
    assert summarised == matrix(live(compare_store), **filters)


def test_an_unchanged_store_is_not_recounted(compare_store):
    assert refresh_summary(compare_store, store_rows(compare_store)) == 0
