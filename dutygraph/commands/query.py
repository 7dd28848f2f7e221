"""`dutygraph query [--store DIR] QUERY [--format table|json|csv]`: QUERY is SPARQL text or @file.rq."""
from __future__ import annotations

import argparse
import sys

from dutygraph.graph.query import format_results, read_query, with_prefixes
from dutygraph.graph.store import open_store


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sparql", metavar="QUERY", help="a SPARQL query, or @file.rq")
    parser.add_argument("--format", default="table", choices=["table", "json", "csv"])


def run(args: argparse.Namespace) -> int:
    store = open_store(args.store, read_only=True)
    try:
        results = store.query(with_prefixes(read_query(args.sparql)))
        sys.stdout.buffer.write(format_results(results, args.format))
    finally:
        store.close()
    sys.stdout.flush()
    return 0
