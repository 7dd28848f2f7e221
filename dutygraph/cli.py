"""The `dutygraph` command: one verb per module in dutygraph.commands, all over one core."""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from dutygraph import __version__
from dutygraph.errors import DutygraphError

DEFAULT_STORE_DIR = "dutygraph-store"

# verb -> one-line help; each verb's options and behaviour live in dutygraph/commands/<verb>.py
VERBS = {
    "ingest": "read documents (files or folders), extract obligations and load them into the store",
    "export": "write the graph (RDF formats) or a network view (GraphML, GEXF, Cytoscape.js, CSV)",
    "validate": "check a store or an RDF file against the SHACL shapes",
    "query": "run a SPARQL query against the store",
    "serve": "serve the SPARQL endpoint, REST API and pages",
    "stats": "summarise the store: documents, units by modality, most frequent actors",
    "compare": "compare two instruments unit by unit (same, changed, only in one)",
    "matrix": "count units by actor × modality per jurisdiction or instrument",
}


def default_store() -> str:
    return os.environ.get("DUTYGRAPH_STORE") or DEFAULT_STORE_DIR


def add_store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        default=None,
        help=f"store folder or http(s):// SPARQL endpoint (default: $DUTYGRAPH_STORE, else ./{DEFAULT_STORE_DIR})",
    )


def build_parser() -> argparse.ArgumentParser:
    # No abbreviations: `--stor` must be an error, not a silent `--store`.
    parser = argparse.ArgumentParser(prog="dutygraph", description=__doc__, allow_abbrev=False)
    parser.add_argument("--version", action="version", version=f"dutygraph {__version__}")
    sub = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for verb, help_text in VERBS.items():
        command = importlib.import_module(f"dutygraph.commands.{verb}")
        verb_parser = sub.add_parser(verb, help=help_text, description=help_text, allow_abbrev=False)
        add_store_option(verb_parser)
        command.configure(verb_parser)
        verb_parser.set_defaults(run=command.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.store is None:
        args.store = default_store()
    try:
        status = int(args.run(args) or 0)
        sys.stdout.flush()  # inside the try: a reader that went away shows here, not at exit
        return status
    except DutygraphError as error:
        print(f"dutygraph: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("dutygraph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`dutygraph stats | head -1`): what is left unwritten is not wanted.
        # Standard output points at nothing from now on, so the flush at exit cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # as if ended by SIGPIPE, like other commands in a pipeline
