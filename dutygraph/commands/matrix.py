"""`dutygraph matrix [--store DIR] [--by jurisdiction|instrument] [--actor NAME] [--modality M]
[--format table|json|csv]`: units counted by actor × modality per jurisdiction or instrument."""
from __future__ import annotations

import argparse
import sys

from dutygraph.graph.matrix import BY, FORMATS, matrix, render
from dutygraph.graph.rows import store_rows
from dutygraph.graph.store import open_store


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--by", default="jurisdiction", choices=BY)
    parser.add_argument("--actor", default=None, help="one actor (preferred or written name)")
    parser.add_argument("--modality", default=None, help="Duty, Prohibition, Permission, Encouragement, Support or Commitment")
    parser.add_argument("--format", default="table", choices=FORMATS)


def run(args: argparse.Namespace) -> int:
    store = open_store(args.store, read_only=True)
    try:
        result = matrix(store_rows(store), by=args.by, actor=args.actor, modality=args.modality)
    finally:
        store.close()
    sys.stdout.write(render(result, args.format))
    return 0
