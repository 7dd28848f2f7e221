"""A graph larger than one transaction (store.CHUNK_QUADS) goes into the embedded store in
transactions of at most that many quads, so ingest memory does not grow with a document's graph;
readers are kept from the half-written graph by the write lock (tests/graph/test_ingest_readers.py)."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from dutygraph.graph import store as stores
from dutygraph.graph.store import DOC_PREFIX, open_store
from tests.graph.rdfcompare import isomorphic_datasets

EX = "https://example.org/"
GRAPH = DOC_PREFIX + "big"  # an instrument graph, as ingest writes
CHUNK = 40


def quads(value: str, count: int) -> list[ox.Quad]:
    return [ox.Quad(ox.NamedNode(f"{EX}s{n}"), ox.NamedNode(EX + "p"), ox.Literal(f"{value}{n}"), ox.NamedNode(GRAPH))
            for n in range(count)]


class Recording:
    """The engine's store, recording how many quads each write changes in the graph."""

    def __init__(self, engine: ox.Store):
        self.engine = engine
        self.changes: list[int] = []

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def __iter__(self):
        return iter(self.engine)

    def size(self) -> int:
        return sum(1 for _ in self.engine.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH)))

    def extend(self, batch) -> None:
        batch = list(batch)
        self.changes.append(len(batch))
        self.engine.extend(batch)

    def load(self, *args, **kwargs) -> None:
        before = self.size()
        self.engine.load(*args, **kwargs)
        self.changes.append(abs(self.size() - before))

    def update(self, text: str) -> None:
        before = self.size()
        self.engine.update(text)
        self.changes.append(abs(self.size() - before))


@pytest.fixture
def recorded(tmp_path, monkeypatch):
    monkeypatch.setattr(stores, "CHUNK_QUADS", CHUNK)
    store = open_store(str(tmp_path / "store"))
    store._store = Recording(store._store)
    yield store
    store.close()


def dataset(store) -> bytes:
    return store.dump(ox.RdfFormat.N_QUADS)


def test_a_large_graph_is_added_in_bounded_transactions_and_whole(recorded, tmp_path):
    recorded.add_graphs([(GRAPH, quads("a", 10 * CHUNK), "c1")])
    assert max(recorded._store.changes) <= CHUNK and len(recorded._store.changes) > 10
    reference = open_store(str(tmp_path / "reference"))
    reference.add_graphs([(GRAPH, quads("a", 10 * CHUNK), "c1")])  # default chunk: one transaction
    assert isomorphic_datasets(dataset(recorded), dataset(reference))
    reference.close()


def test_a_large_graph_is_replaced_in_bounded_transactions(recorded, tmp_path):
    recorded.add_graphs([(GRAPH, quads("a", 10 * CHUNK), "c1")])
    recorded._store.changes.clear()
    recorded.replace_graph(GRAPH, quads("b", 7 * CHUNK), "c2")
    assert max(recorded._store.changes) <= CHUNK
    assert sum(recorded._store.changes) >= 10 * CHUNK + 7 * CHUNK  # every old quad removed, every new one added
    reference = open_store(str(tmp_path / "reference"))
    reference.add_graphs([(GRAPH, quads("b", 7 * CHUNK), "c2")])
    assert isomorphic_datasets(dataset(recorded), dataset(reference))
    reference.close()


def test_a_large_replacement_that_fails_half_way_leaves_the_previous_graph(recorded):
    recorded.add_graphs([(GRAPH, quads("a", 10 * CHUNK), "c1")])
    before = dataset(recorded)

    def broken():
        yield from quads("b", 5 * CHUNK)
        raise RuntimeError("extraction crashed half-way")

    with pytest.raises(RuntimeError):
        recorded.replace_graph(GRAPH, broken(), "c2")
    assert isomorphic_datasets(dataset(recorded), before)
    assert recorded.graph_checksum(GRAPH) == "c1"


def test_a_graph_cut_off_by_a_crash_is_dropped_when_the_store_is_next_opened(tmp_path, monkeypatch):
    monkeypatch.setattr(stores, "CHUNK_QUADS", CHUNK)
    folder = str(tmp_path / "store")
    store = open_store(folder)
    # what a writer killed between chunks leaves: the first chunks, never the checksum written last
    store._store.extend(quads("a", 2 * CHUNK))
    store.close()
    reopened = open_store(folder)
    assert not any(reopened._store.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH)))
    reopened.close()
