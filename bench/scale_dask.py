"""Ingest on a Dask cluster (1 and 2 worker processes on loopback) against a local single-process
ingest of the same files in the same run.

    .venv/bin/python bench/scale_dask.py [CORPUS] [--files N]

Prints seconds, documents per second and the speed-up over the local single process for each.
Every side is warmed up first (jieba's dictionary loaded in each process), so the figures are the
steady cost per document that a large corpus pays.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from distributed import Client, LocalCluster

from dutygraph.graph.ingest import collect_files, ingest_paths
from dutygraph.graph.store import MEMORY, open_store

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "lawrefbook"


def warm_up() -> None:
    import jieba

    from dutygraph.extract import units  # noqa: F401 — the extraction modules and their data files

    jieba.initialize()


def timed_ingest(files: list[Path], **options) -> float:
    store = open_store(MEMORY)
    start = time.perf_counter()
    report = ingest_paths(files, store, **options)
    seconds = time.perf_counter() - start
    if not report.added:
        raise SystemExit(f"nothing ingested: {report.problems[:3]}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--files", type=int, default=200, help="documents to ingest (the first N, sorted)")
    args = parser.parse_args()
    if not Path(args.corpus).exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    files = collect_files([args.corpus])[: args.files]
    warm_up()
    local = timed_ingest(files, workers=1)
    print(f"{len(files)} documents · local, one process: {local:.1f} s ({len(files) / local:.1f} doc/s) · 1.00x")
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None) as cluster, Client(cluster) as client:
            client.run(warm_up)
            seconds = timed_ingest(files, scheduler=cluster.scheduler_address)
        print(f"dask, {workers} worker(s): {seconds:.1f} s ({len(files) / seconds:.1f} doc/s) · "
              f"speed-up {local / seconds:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
