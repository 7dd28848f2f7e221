"""`dutygraph export [--store DIR] --format F [--out FILE]`: the graph as RDF, or a network view,
optionally narrowed to one actor, modality or jurisdiction (the same filters as GET /export)."""
from __future__ import annotations

import argparse

from dutygraph.graph.netexport import FORMATS as NETWORK_FORMATS
from dutygraph.graph.netexport import RDF_FORMATS, write_network, write_rdf
from dutygraph.graph.store import open_store
from dutygraph.graph.views import VIEWS
from dutygraph.model import MODALITIES


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", required=True, choices=[*RDF_FORMATS, *NETWORK_FORMATS])
    parser.add_argument("--out", default="-", help="output file (default: standard output)")
    parser.add_argument("--view", default="obligations", choices=VIEWS,
                        help="network view: actor → obligation → instrument, actor–instrument, or actor–actor")
    parser.add_argument("--actor", help="only this actor (any written form, English or IRI)")
    parser.add_argument("--modality", choices=MODALITIES, help="only this modality")
    parser.add_argument("--jurisdiction", help="only instruments of this jurisdiction, e.g. 四川省")


def run(args: argparse.Namespace) -> int:
    filters = {"actor": args.actor, "modality": args.modality, "jurisdiction": args.jurisdiction}
    store = open_store(args.store, read_only=True)
    try:
        if args.format in RDF_FORMATS:
            write_rdf(store, args.format, args.out, **filters)
        else:
            write_network(store, args.format, args.out, view=args.view, **filters)
    finally:
        store.close()
    return 0
