"""Stores holding the five seed documents, for any team's tests (extraction runs once per process).

    from tests.graph.seedstore import seed_store, seed_extractions
    store = seed_store()            # a fresh in-memory store: seeds + ontology graph
    store = seed_store(tmp_path)    # the same, in an embedded folder (e.g. for `--store` CLI tests)
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import pyoxigraph as ox

from dutygraph.graph.store import MEMORY, open_store
from dutygraph.model import Document, Unit
from tests.shared import SEEDS


@cache
def seed_nquads() -> bytes:
    from dutygraph.graph.ingest import ingest_paths

    store = open_store(MEMORY)
    report = ingest_paths([SEEDS], store)
    assert report.ok, report.problems
    return store.dump(ox.RdfFormat.N_QUADS)


def seed_store(folder: Path | None = None):
    """A fresh store (in memory, or in `folder`) with the seeds already ingested."""
    store = open_store(str(folder) if folder else MEMORY)
    store.load(data=seed_nquads(), format=ox.RdfFormat.N_QUADS)
    return store


@cache
def seed_extractions() -> dict[str, tuple[Document, tuple[Unit, ...]]]:
    """source file → (document, units), straight from the pipeline, to check answers against."""
    from dutygraph.graph.ingest import extract

    return {path.name: extract(path) for path in sorted(SEEDS.iterdir())}
