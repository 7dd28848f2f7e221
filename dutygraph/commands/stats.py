"""`dutygraph stats [--store DIR] [--json]`: documents, provisions, units by modality, top actors, triples."""
from __future__ import annotations

import argparse
import json

from dutygraph.graph.stats import compute_stats, render_stats
from dutygraph.graph.store import open_store


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def run(args: argparse.Namespace) -> int:
    store = open_store(args.store, read_only=True)
    try:
        stats = compute_stats(store)
    finally:
        store.close()
    print(json.dumps(stats, ensure_ascii=False, indent=1) if args.json else render_stats(stats))
    return 0
