"""`dutygraph export [--store DIR] --format F [--out FILE]`: the graph as RDF, or a network view."""
from __future__ import annotations

import argparse
import sys

import pyoxigraph as ox

from dutygraph.errors import DutygraphError
from dutygraph.graph.store import open_store

RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
NETWORK_FORMATS = ("graphml", "gexf", "cytoscape", "csv")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", required=True, choices=[*RDF_FORMATS, *NETWORK_FORMATS])
    parser.add_argument("--out", default="-", help="output file (default: standard output)")


def run(args: argparse.Namespace) -> int:
    store = open_store(args.store, read_only=True)
    try:
        if args.format in RDF_FORMATS:
            write_bytes(store.dump(RDF_FORMATS[args.format]), args.out)
        else:
            write_network(store, args.format, args.out)
    finally:
        store.close()
    return 0


def write_bytes(data: bytes, out: str) -> None:
    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        with open(out, "wb") as handle:
            handle.write(data)


def write_network(store, fmt: str, out: str) -> None:
    try:
        from dutygraph.graph.netexport import write_network as export_network
    except ImportError as error:
        raise DutygraphError("DG-G006", "-", str(error)) from error
    export_network(store, fmt, out)
