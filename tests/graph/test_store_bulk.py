"""Ingest writes documents in batches (Store.load_graphs); the embedded store bulk-loads a batch
under the write lock, each graph's checksum last. The graph is the one transactions wrote, a
refused document leaves the rest of its batch in, and a batch cut off before its checksums is
dropped when the store is next opened. What concurrent readers see: tests/graph/test_ingest_readers.py."""
from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest

from dutygraph.graph import store as stores
from dutygraph.graph.ingest import ingest_paths
from dutygraph.graph.store import DOC_PREFIX, EmbeddedStore, named_graphs, open_store
from tests.graph.rdfcompare import isomorphic_datasets

SEEDS = ["samples/seeds/000_1c62b5ba5ae13ae9.txt", "samples/seeds/001_18aaf2e0bf01b38b.txt",
         "samples/seeds/003_f9d3a63319543e59.txt"]
EX = "https://example.org/"
ROOT = Path(__file__).resolve().parents[2]


def triples(graph: str, value: str, count: int) -> bytes:
    return "".join(f'<{graph}/s{n}> <{EX}p> "{value}{n}" .\n' for n in range(count)).encode()


@pytest.fixture
def bulk_loads(monkeypatch) -> list[int]:
    """Every batch takes the bulk loader, in batches of a seed or two; counts the loader's calls."""
    monkeypatch.setattr(stores, "BULK_FROM_BYTES", 0)
    monkeypatch.setattr(stores, "COMPACTION_SHARE", 0)
    monkeypatch.setattr(stores, "BATCH_BYTES", 400_000)
    calls: list[int] = []
    bulk_load = EmbeddedStore._bulk_load

    def counted(self, graphs, parsing):
        calls.append(len(graphs))
        bulk_load(self, graphs, parsing)

    monkeypatch.setattr(EmbeddedStore, "_bulk_load", counted)
    return calls


def ingested(folder, inputs) -> bytes:
    store = open_store(str(folder))
    assert ingest_paths(inputs, store, workers=1).ok
    dump = store.dump(ox.RdfFormat.N_QUADS)
    store.close()
    return dump


def test_bulk_loaded_seeds_and_a_replaced_one_equal_what_transactions_write(tmp_path, monkeypatch, bulk_loads):
    edited = tmp_path / "edited" / "001_18aaf2e0bf01b38b.txt"
    edited.parent.mkdir()
    shutil.copy(SEEDS[1], edited)
    with edited.open("a", encoding="utf-8") as out:
        out.write("\n第九十九条 县级以上人民政府应当加强质量工作。\n")
    bulk = [ingested(tmp_path / "bulk", SEEDS), ingested(tmp_path / "bulk", [edited])]
    assert len(bulk_loads) >= 3 and max(bulk_loads) > 1  # several batches, one of several documents
    monkeypatch.setattr(stores, "BULK_FROM_BYTES", 1 << 40)
    bulk_loads.clear()
    each = [ingested(tmp_path / "each", SEEDS), ingested(tmp_path / "each", [edited])]
    assert not bulk_loads
    assert isomorphic_datasets(bulk[0], each[0])
    assert isomorphic_datasets(bulk[1], each[1])
    assert not isomorphic_datasets(bulk[0], bulk[1])  # the edit did replace the document


def test_refused_documents_leave_the_rest_of_their_batch_in(tmp_path, bulk_loads):
    store = open_store(str(tmp_path / "store"))
    old, new, bad_new, bad_old = (DOC_PREFIX + name for name in ("old", "new", "bad-new", "bad-old"))
    assert not store.load_graphs([(old, triples(old, "a", 50), "c1", True), (bad_old, triples(bad_old, "a", 50), "c1", True)])
    kept = {row["o"].value for row in store.query(f"SELECT ?o WHERE {{ GRAPH <{bad_old}> {{ ?s <{EX}p> ?o }} }}")}
    broken = b'<https://example.org/s> <https://example.org/p> "no dot"\n'
    refused = store.load_graphs([(new, triples(new, "b", 50), "c2", True),
                                 (bad_new, triples(bad_new, "b", 20) + broken, "c2", True),
                                 (old, triples(old, "b", 30), "c2", False),
                                 (bad_old, triples(bad_old, "b", 20) + broken, "c2", False)])
    assert {graph: error.code for graph, error in refused.items()} == {bad_new: "DG-G005", bad_old: "DG-G005"}
    assert named_graphs(store) == sorted([old, new, bad_old])
    assert [store.graph_checksum(graph) for graph in (new, old, bad_old)] == ["c2", "c2", "c1"]
    assert {row["o"].value for row in store.query(f"SELECT ?o WHERE {{ GRAPH <{bad_old}> {{ ?s <{EX}p> ?o }} }}")} == kept
    assert len(list(store.query(f"SELECT * WHERE {{ GRAPH <{old}> {{ ?s <{EX}p> ?o }} }}"))) == 30
    store.close()


CUT = [DOC_PREFIX + "cut1", DOC_PREFIX + "cut2"]
# Bulk-loads two documents into the store at argv[1] and is killed (SIGKILL) where the checksums
# would be written: what a writer dying between the bulk load and the checksums leaves.
KILLED_WRITER = textwrap.dedent(f"""
    import os
    import signal
    import sys
    from dutygraph.graph import store as stores
    from tests.graph.test_store_bulk import triples

    stores.BULK_FROM_BYTES = stores.COMPACTION_SHARE = 0
    store = stores.open_store(sys.argv[1])
    engine = store._store

    class DiesBeforeChecksums:
        def __getattr__(self, name):
            return getattr(engine, name)

        def extend(self, quads):
            engine.flush()  # what the bulk load wrote is on disk, as it is once ingested
            os.kill(os.getpid(), signal.SIGKILL)

    store._store = DiesBeforeChecksums()
    store.load_graphs([(graph, triples(graph, "a", 100), "c1", True) for graph in {CUT!r}])
""")

def test_a_batch_cut_off_before_its_checksums_is_dropped_when_the_store_is_next_opened(tmp_path, bulk_loads):
    folder = str(tmp_path / "store")
    store = open_store(folder)
    first = DOC_PREFIX + "first"
    assert not store.load_graphs([(first, triples(first, "a", 10), "c1", True)])
    store.close()
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITER, folder], cwd=ROOT, check=False)
    assert killed.returncode == -signal.SIGKILL
    engine = ox.Store.read_only(folder)
    assert all(any(engine.quads_for_pattern(None, None, None, ox.NamedNode(graph))) for graph in CUT)
    del engine
    reopened = open_store(folder)
    assert named_graphs(reopened) == [first]
    reopened.close()


class Recording:
    """The engine's store, recording its compactions and the quads of each bulk-loader call."""

    WRITES = frozenset({"load", "extend", "update", "remove_graph", "add", "remove", "clear_graph"})

    def __init__(self, engine: ox.Store):
        self.engine = engine
        self.compactions = 0
        self.bulk_calls: list[int] = []
        self.events: list[str] = []  # "write" and "compaction", in order

    def __getattr__(self, name):
        method = getattr(self.engine, name)
        if name not in self.WRITES:
            return method

        def written(*args, **kwargs):
            self.events.append("write")
            return method(*args, **kwargs)
        return written

    def optimize(self) -> None:
        self.compactions += 1
        self.events.append("compaction")
        self.engine.optimize()

    def bulk_load(self, stream, *, format) -> None:  # noqa: A002 — pyoxigraph's keyword
        data = stream.read()
        self.bulk_calls.append(data.count(b"\n"))
        self.events.append("write")
        self.engine.bulk_load(data, format=format)

    def bulk_extend(self, quads) -> None:
        quads = list(quads)
        self.bulk_calls.append(len(quads))
        self.events.append("write")
        self.engine.bulk_extend(quads)


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk-loaded", "transactions"])
def test_an_ingest_compacts_the_store_when_it_bulk_loaded(tmp_path, bulk_loads, monkeypatch, bulk):
    """The loader's files lack the string table's bloom filter: reads are slow until compacted."""
    if not bulk:
        monkeypatch.setattr(stores, "BULK_FROM_BYTES", 1 << 40)
    store = open_store(str(tmp_path / "store"))
    store._store = Recording(store._store)
    assert ingest_paths(SEEDS[:2], store, workers=1).ok
    assert store._store.compactions == (1 if bulk else 0) and bool(bulk_loads) == bulk
    if bulk:  # after the closing steps' writes too (versions, validation records, unit counts):
        # compacted before them, a bulk-loaded store of 1,000 laws read 1.24x slower than after
        assert store._store.events[-1] == "compaction" and "write" in store._store.events[:-1]
    store._store = store._store.engine
    store.close()


def holding_a_big_graph(folder: str, bulk_loads: list[int]) -> str:
    """A store folder written with one graph of 20,000 triples (its IRI returned), closed; the
    loader's calls for it forgotten."""
    store = open_store(folder)
    big = DOC_PREFIX + "big"
    assert not store.load_graphs([(big, triples(big, "a", 20_000), "c1", True)])
    store.close()
    bulk_loads.clear()
    return big


def test_a_store_holding_much_takes_the_bulk_loader_once_given_a_share_of_it(tmp_path, bulk_loads, monkeypatch):
    """A few documents added to a large store go in transactions: the compaction after a bulk load
    rewrites the whole store."""
    folder = str(tmp_path / "store")
    big = holding_a_big_graph(folder, bulk_loads)
    monkeypatch.setattr(stores, "COMPACTION_SHARE", 0.25)
    store = open_store(folder)
    held = sum(path.stat().st_size for path in Path(folder).iterdir() if path.is_file())
    small, more = DOC_PREFIX + "small", DOC_PREFIX + "more"
    assert not store.load_graphs([(small, triples(small, "a", 10), "c1", True)])
    assert not bulk_loads
    count = int(held * 0.25 / len(triples(more, "a", 1)))  # enough lines to reach a quarter of the folder
    assert not store.load_graphs([(more, triples(more, "a", count), "c1", True)])
    assert bulk_loads == [1]
    assert named_graphs(store) == sorted([big, small, more])
    store.close()


def test_by_default_a_new_store_bulk_loads_large_batches_and_writes_small_ones_in_transactions(tmp_path, monkeypatch):
    """A new store takes the bulk loader for a batch of BULK_FROM_BYTES or more, and is compacted
    once when settled (on the whole corpus: a faster ingest, a fifth of the writer's memory, and a
    store that reads faster than one written in transactions); a smaller batch goes in transactions
    and leaves nothing to compact."""
    assert stores.COMPACTION_SHARE == 0.25
    store = open_store(str(tmp_path / "store"))
    assert store.batch_bytes() == stores.BATCH_BYTES
    store._store = Recording(store._store)
    small, large = DOC_PREFIX + "small", DOC_PREFIX + "large"
    monkeypatch.setattr(stores, "BULK_FROM_BYTES", len(triples(large, "a", 1000)))
    assert not store.load_graphs([(small, triples(small, "a", 999), "c1", True)])
    store.settle()
    assert not store._store.bulk_calls and store._store.compactions == 0
    assert not store.load_graphs([(large, triples(large, "a", 1000), "c1", True)])
    store.settle()
    store.settle()
    assert store._store.bulk_calls == [1000] and store._store.compactions == 1
    store._store = store._store.engine
    assert named_graphs(store) == sorted([small, large])
    store.close()


def test_a_store_holding_much_asks_for_batches_only_once_one_would_bring_its_share(tmp_path, bulk_loads, monkeypatch):
    """Gathering documents for transactions only keeps the writer idle: a store asks ingest for
    batches (Store.batch_bytes, asked again after each write) once one more would take it to the
    share of what it held that takes the loader."""
    folder = str(tmp_path / "store")
    big = holding_a_big_graph(folder, bulk_loads)
    monkeypatch.setattr(stores, "COMPACTION_SHARE", 0.25)
    store = open_store(folder)
    held = sum(path.stat().st_size for path in Path(folder).iterdir() if path.is_file())
    monkeypatch.setattr(stores, "BATCH_BYTES", int(held * 0.1))
    assert store.batch_bytes() == 0
    some = DOC_PREFIX + "some"
    count = int(held * 0.16 / len(triples(some, "a", 1)))  # 0.16 + a batch of 0.1 reach a quarter
    assert not store.load_graphs([(some, triples(some, "a", count), "c1", True)])
    assert not bulk_loads and store.batch_bytes() == stores.BATCH_BYTES
    assert named_graphs(store) == sorted([big, some])
    store.close()


def test_a_large_document_takes_the_bulk_loader_whatever_the_store_holds(tmp_path, bulk_loads, monkeypatch):
    """In transactions a large document would stay in RocksDB's memtables until the store is closed."""
    folder = str(tmp_path / "store")
    big = holding_a_big_graph(folder, bulk_loads)
    monkeypatch.setattr(stores, "COMPACTION_SHARE", 1.0)
    store = open_store(folder)
    small, large = DOC_PREFIX + "small", DOC_PREFIX + "large"
    monkeypatch.setattr(stores, "LARGE_DOCUMENT_BYTES", len(triples(large, "a", 1000)))
    assert not store.load_graphs([(small, triples(small, "a", 999), "c1", True)])
    assert not bulk_loads
    assert not store.load_graphs([(large, triples(large, "a", 1000), "c1", True)])
    assert bulk_loads == [1]
    assert named_graphs(store) == sorted([big, small, large])
    store.close()


def test_a_bulk_loaded_document_is_held_in_memory_a_bounded_slice_at_a_time(tmp_path, bulk_loads, monkeypatch):
    """The loader keeps what it is given in memory until it writes its files: a large document goes
    in BULK_QUADS at a time, so ingest memory does not grow with the document in the store."""
    monkeypatch.setattr(stores, "BULK_QUADS", 1000)
    store = open_store(str(tmp_path / "store"))
    engine = store._store = Recording(store._store)
    large = DOC_PREFIX + "large"
    assert not store.load_graphs([(large, triples(large, "a", 4500), "c1", True)])
    assert engine.bulk_calls == [1000, 1000, 1000, 1000, 500]
    assert named_graphs(store) == [large]
    assert store.graph_checksum(large) == "c1"
    store.close()
