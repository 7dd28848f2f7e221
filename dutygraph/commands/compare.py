"""`dutygraph compare A B [--store DIR] [--format table|json|csv] [--actor NAME]`.

A and B are instrument ids, titles or file names in the store, or paths of files to read and
extract on the fly (not ingested)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dutygraph.graph.comparison import FORMATS, compare, render
from dutygraph.graph.rows import store_rows
from dutygraph.graph.store import open_store


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("a", metavar="A", help="instrument id, title or source file, or a file path")
    parser.add_argument("b", metavar="B", help="the instrument to compare A with (same forms)")
    parser.add_argument("--format", default="table", choices=FORMATS)
    parser.add_argument("--actor", default=None, help="only rows where either side's actor has this name")


def run(args: argparse.Namespace) -> int:
    both_files = Path(args.a).is_file() and Path(args.b).is_file()
    store = None if both_files else open_store(args.store, read_only=True)
    try:
        result = compare(store_rows(store) if store else None, args.a, args.b, actor=args.actor)
    finally:
        if store is not None:
            store.close()
    sys.stdout.write(render(result, args.format))
    return 0
