"""Run every benchmark in order (`make bench`); each prints its figures as ratios to a baseline
measured in the same run. Needs ../shared/corpus/lawrefbook beside the project."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ORDER = ("dev_score.py", "actor_health.py", "graph_size.py", "parse_corpus.py", "extract_corpus.py", "ingest_corpus.py",
         "store_write.py", "load_endpoint.py", "bench_queries.py", "matrix.py", "scale_dask.py", "bulk_load.py",
         "validate_corpus.py", "ingest_memory.py", "document_shapes.py")


def main() -> int:
    failed = []
    for name in ORDER:
        script = BENCH / name
        print(f"\n=== {name}", flush=True)
        if subprocess.run([sys.executable, str(script)], check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
