"""`dutygraph validate [--store DIR | --data FILE]`: check against the SHACL shapes; exit 1 if it does not conform."""
from __future__ import annotations

import argparse

from dutygraph.errors import DutygraphError
from dutygraph.graph.incremental import store_violations
from dutygraph.graph.store import MEMORY, open_store
from dutygraph.graph.validate import fast_violations, reference_store_violations, report_lines


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", metavar="FILE", help="validate an RDF file (any format, by extension) instead of a store")
    parser.add_argument("--reference", action="store_true",
                        help="use pyshacl graph by graph (slow) instead of the SPARQL form of the shapes")
    parser.add_argument("--full", action="store_true",
                        help="re-check every graph instead of trusting the findings ingest recorded for unchanged ones")


def run(args: argparse.Namespace) -> int:
    store = open_store(MEMORY) if args.data else open_store(args.store, read_only=True)
    try:
        if args.data:
            load_data(store, args.data)
        violations = checked(store, args)
        if not violations:
            print("conforms")
            return 0
        print("\n".join(report_lines(store, violations)))
        print(f"does not conform: {len(violations)} violation(s)")
        return 1
    finally:
        store.close()


def checked(store, args: argparse.Namespace):
    if args.reference:
        return reference_store_violations(store)
    if args.data:
        return fast_violations(store)
    return store_violations(store, full=args.full)[0]


def load_data(store, path: str) -> None:
    try:
        store.load(path)
    except (OSError, SyntaxError, ValueError) as error:
        raise DutygraphError("DG-V002", path, str(error)) from error
