"""The embedded store's write of ingested documents, against plain jieba over the same text in the same run.

    .venv/bin/python bench/store_write.py [CORPUS] [--limit N]

The first N corpus documents are built as ingest builds them (graph/ingest.py build_file: one
N-Triples spool file each), then written into fresh store folders two ways, CPU of this process
(RocksDB's threads included) and wall, the final flush and Store.settle included:
- one transaction per document (store.load_each: what ingest did before batches);
- batches of about store.BATCH_BYTES through Store.load_graphs with store.COMPACTION_SHARE at 0.25
  (the bulk loader under the write lock; off by default, see graph/store.py);
and each way again replacing every graph with itself (a changed document). Each figure is given
per quad and as a ratio to one single-core `jieba.lcut` pass over the documents' text (CPU, timed
before and after the writes, the mean taken).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import jieba

from dutygraph.graph import ids
from dutygraph.graph import store as stores
from dutygraph.graph.ingest import build_file, collect_files, plan_inputs
from dutygraph.graph.store import BATCH_BYTES, load_each, open_store, source_size

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "lawrefbook"
Graphs = list[tuple[str, Path, str, bool]]


def jieba_cpu(files: list[Path]) -> float:
    jieba.initialize()
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in files]
    start = time.process_time()
    for text in texts:
        jieba.lcut(text)
    return time.process_time() - start


def batches(graphs: Graphs) -> list[Graphs]:
    """Graphs gathered as ingest gathers them (graph/ingest.py ingest_paths)."""
    out: list[Graphs] = [[]]
    waiting = 0
    for entry in graphs:
        out[-1].append(entry)
        waiting += source_size(entry[1])
        if waiting >= BATCH_BYTES:
            out.append([])
            waiting = 0
    return [batch for batch in out if batch]


def each(store, graphs: Graphs) -> None:
    load_each(store, graphs)


def batched(store, graphs: Graphs) -> None:
    # batches of small documents take the bulk loader only with a finite share (off by default, store.py)
    share, stores.COMPACTION_SHARE = stores.COMPACTION_SHARE, 0.25
    try:
        for batch in batches(graphs):
            assert not store.load_graphs(batch)
    finally:
        stores.COMPACTION_SHARE = share


def timed(write: Callable, graphs: Graphs) -> tuple[float, float, float, float]:
    """CPU and wall seconds of adding the graphs to a fresh store, then of replacing each with itself."""
    folder = tempfile.mkdtemp(prefix="dutygraph-bench-write-")
    try:
        store = open_store(folder)
        cpu, wall = time.process_time(), time.perf_counter()
        write(store, graphs)
        store.settle()
        store._store.flush()  # noqa: SLF001 — what the transactions left in memory is part of their cost
        add = time.process_time() - cpu, time.perf_counter() - wall
        cpu, wall = time.process_time(), time.perf_counter()
        write(store, [(graph, path, checksum, False) for graph, path, checksum, _ in graphs])
        store.settle()
        store.close()
        return *add, time.process_time() - cpu, time.perf_counter() - wall
    finally:
        shutil.rmtree(folder)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--limit", type=int, default=150, help="the first N files of the corpus")
    args = parser.parse_args()
    if not Path(args.corpus).exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    files = collect_files([args.corpus])[: args.limit]
    graphs: Graphs = []
    quads = 0
    try:
        for item in plan_inputs(files):
            built = build_file(item)
            if built.error is None:
                graphs.append((ids.instrument_iri(item.stem), Path(built.spool), built.checksum, True))
                quads += built.triples + 1  # the checksum triple
        count = len(batches(graphs))
        before = jieba_cpu(files)
        figures = {"one transaction per document": timed(each, graphs),
                   "batches, Store.load_graphs": timed(batched, graphs)}
        baseline = (before + jieba_cpu(files)) / 2
    finally:
        for _, path, _, _ in graphs:
            path.unlink(missing_ok=True)
    print(f"{len(graphs)} documents, {quads} quads, {count} batch(es) · "
          f"jieba.lcut over their text: {baseline:.1f} CPU-s = 1.00x")
    reference = figures["one transaction per document"]
    for name, (add, add_wall, replace, replace_wall) in figures.items():
        print(f"{name:30} add {add:5.1f} CPU-s ({add_wall:5.1f} s wall) {add / quads * 1e6:5.1f} µs/quad "
              f"{add / baseline:5.2f}x jieba, {add / reference[0]:5.2f}x one per document · "
              f"replace {replace:5.1f} CPU-s ({replace_wall:5.1f} s wall) {replace / quads * 1e6:5.1f} µs/quad "
              f"{replace / baseline:5.2f}x jieba, {replace / reference[2]:5.2f}x one per document")
    return 0


if __name__ == "__main__":
    sys.exit(main())
