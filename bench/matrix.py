"""The duty matrix over a whole-corpus store, against a plain SPARQL count of the same units in the
same run (target: the matrix in under 2 s). The matrix reads the unit-counts summary each ingest
writes (a store built before it had one gets it here, timed); counting live is timed once too.

    .venv/bin/python bench/matrix.py [CORPUS] [--store DIR] [--repeat N]

Without --store the corpus is ingested into a fresh temporary store first (minutes); with it, an
existing store (e.g. one `dutygraph ingest ../shared/corpus/lawrefbook` built) is reused.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from dutygraph.graph.ingest import ingest_paths
from dutygraph.graph.matrix import SUMMARY_GRAPH, matrix, refresh_summary
from dutygraph.graph.rows import store_rows
from dutygraph.graph.store import open_store

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "lawrefbook"
BASELINE = """PREFIX dg: <https://w3id.org/dutygraph/ns#>
SELECT (COUNT(?ob) AS ?n) WHERE { ?ob dg:actor ?actor ; dg:modality ?modality }"""
TARGET_SECONDS = 2.0


def best_of(repeat: int, work) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--store", help="an existing store to reuse (default: ingest the corpus into a temporary one)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dutygraph-matrix-") as scratch:
        if args.store is None:
            if not Path(args.corpus).is_dir():
                print(f"skipped: no corpus at {args.corpus}", file=sys.stderr)
                return 0
            store = open_store(scratch)
            start = time.perf_counter()
            report = ingest_paths([args.corpus], store)
            print(f"ingested {len(report.added)} documents in {time.perf_counter() - start:.1f} s", flush=True)
        else:
            store = open_store(args.store)
        rows = store_rows(store)
        start = time.perf_counter()
        recounted = refresh_summary(store, rows)
        print(f"unit-counts summary: {recounted} instruments (re)counted in {time.perf_counter() - start:.1f} s", flush=True)
        baseline, counted = best_of(args.repeat, lambda: rows(BASELINE))
        print(f"baseline (plain SPARQL COUNT of {counted[0]['n']} units): {baseline:.3f} s", flush=True)
        for by in ("jurisdiction", "instrument"):
            seconds, result = best_of(args.repeat, lambda by=by: matrix(rows, by=by))
            verdict = "met" if seconds < TARGET_SECONDS else "NOT met"
            print(f"matrix by {by}: {len(result['actors'])} actors × {len(result['columns'])} columns, "
                  f"{len(result['cells'])} cells in {seconds:.3f} s = {seconds / baseline:.2f} × baseline "
                  f"(target < {TARGET_SECONDS:.0f} s: {verdict})", flush=True)
        seconds, _ = best_of(args.repeat, lambda: matrix(rows, actor="市场监督管理部门", modality="Duty"))
        print(f"matrix of one actor and modality: {seconds:.3f} s = {seconds / baseline:.2f} × baseline", flush=True)
        live = lambda query: [] if SUMMARY_GRAPH in query else rows(query)  # noqa: E731 — the summary hidden
        seconds, _ = best_of(1, lambda: matrix(live, by="jurisdiction"))
        print(f"matrix by jurisdiction counted live (no summary): {seconds:.3f} s = {seconds / baseline:.2f} × baseline",
              flush=True)
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
