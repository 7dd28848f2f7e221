"""`dutygraph query [--store DIR] QUERY [--format table|json|csv] [--compact]`: QUERY is SPARQL text or @file.rq."""
from __future__ import annotations

import argparse
import os
import shutil
import sys

from dutygraph.errors import DutygraphError
from dutygraph.graph.query import format_results, hidden_prologue, pointer, read_query, syntax_position
from dutygraph.graph.store import open_store


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sparql", metavar="QUERY", help="a SPARQL query, or @file.rq")
    parser.add_argument("--format", default="table", choices=["table", "json", "csv"])
    parser.add_argument("--compact", action="store_true",
                        help="with --format csv: IRIs under a project prefix as the table writes them (dg:Duty)")


def run(args: argparse.Namespace) -> int:
    if args.compact and args.format != "csv":
        raise DutygraphError("DG-C008", "--compact", "only with --format csv: the table is compact, JSON keeps full IRIs")
    sparql = read_query(args.sparql)
    store = open_store(args.store, read_only=True)
    try:
        prologue = hidden_prologue(sparql)
        try:
            results = store.query(prologue + sparql)
        except DutygraphError as error:
            raise located(error, sparql, len(prologue)) from error
        sys.stdout.buffer.write(format_results(results, args.format, terminal_width(), compact=args.compact))
    finally:
        store.close()
    sys.stdout.flush()
    return 0


def terminal_width() -> int | None:
    """The terminal's width when there is one (or COLUMNS says it); a pipe or a file gets whole cells."""
    if sys.stdout.isatty() or os.environ.get("COLUMNS"):
        return shutil.get_terminal_size().columns
    return None


def located(error: DutygraphError, sparql: str, hidden_columns: int) -> DutygraphError:
    """A parse error pointing at the user's own text (the prefixes put in front are not counted)."""
    position = syntax_position(error.problem.detail, hidden_columns) if error.code == "DG-G002" else None
    if position is None:
        return error
    return DutygraphError(error.code, "query", f"{position}\n{pointer(sparql, position)}",
                          location=f"{position.line}:{position.column}")
