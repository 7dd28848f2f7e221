"""The query page's examples (docs/queries/*.rq) on the seeds, as ratios to a plain read measured in the same run.

    .venv/bin/python bench/bench_queries.py [--repeat 5]

Baseline: one SELECT of every obligation with its modality, actor and sentence (what any of these
questions must at least read). A ratio near 1 means the query reads little more than that; the
page's former example (a BIND in the middle of its pattern) took ~300 times the baseline here, and most
of a minute on a store folder.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from dutygraph.graph.ingest import ingest_paths
from dutygraph.graph.query import with_prefixes
from dutygraph.graph.store import MEMORY, open_store

PROJECT = Path(__file__).resolve().parents[1]
PLAIN_READ = """PREFIX dg: <https://w3id.org/dutygraph/ns#>
SELECT ?ob ?modality ?actor ?sentence WHERE { ?ob a dg:Obligation ; dg:modality ?modality ; dg:actor ?actor ;
  dg:sentence ?sentence }"""


def timed(store, sparql: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        list(store.query(sparql))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    store = open_store(MEMORY)
    ingest_paths([PROJECT / "samples" / "seeds"], store)
    baseline = timed(store, PLAIN_READ, args.repeat)
    print(f"baseline (plain read of every obligation): {baseline * 1000:.1f} ms")
    for path in sorted((PROJECT / "docs" / "queries").glob("*.rq")):
        ratio = timed(store, with_prefixes(path.read_text(encoding="utf-8")), args.repeat) / baseline
        print(f"{path.name:40} {ratio:8.1f} × baseline")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
