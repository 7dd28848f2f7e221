"""Network views written for Gephi, Cytoscape and yEd: GraphML, GEXF, Cytoscape.js JSON and CSV.

`write_network(store, fmt, out, …)` builds a view (dutygraph.graph.views) and writes it to `out`: a
file path, "-" for standard output, or a binary file object. `write_rdf(store, fmt, out, …)` writes
the graph itself (the store's dump), or with filters the matched obligations with their actors and
provisions up to the instrument.

- graphml: key ids are the attribute names (``label``, ``kind``…), so Gephi and yEd pick the
  right label; edge keys whose name a node key already uses get Gephi's edge names (``edgelabel``)
  or an ``edge`` prefix, so no id is written twice and networkx reads the file back unchanged.
- gexf: GEXF 1.2 as networkx writes it; node and edge labels are the ``label`` attribute.
- cytoscape: Cytoscape.js elements JSON (also opened by Cytoscape desktop): string ids, every
  edge with an id.
- csv: a zip archive holding ``nodes.csv`` (id, label, kind, …) and ``edges.csv`` (id, source,
  target, label, kind, weight, …), UTF-8, one header row each.

Characters XML cannot carry (C0/C1 controls except tab and line breaks) are stripped from every
text in every format, so all four formats show the same labels.
"""
from __future__ import annotations

import csv
import io
import json
import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from os import PathLike
from typing import BinaryIO

import networkx as nx
import pyoxigraph as ox

from dutygraph.errors import DutygraphError
from dutygraph.graph.ids import PREFIXES
from dutygraph.graph.views import build_view, described_query, make_filters

RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
# Gephi maps these edge key ids to its own edge label / id columns.
GEPHI_EDGE_KEY_IDS = {"label": "edgelabel", "id": "edgeid"}
NOT_XML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
NODE_LEAD_COLUMNS = ("id", "label", "kind")
EDGE_LEAD_COLUMNS = ("id", "source", "target", "label", "kind", "weight")


def write_network(store, fmt: str, out: str | PathLike | BinaryIO, *, view: str = "obligations",
                  actor: str | None = None, modality: str | None = None, jurisdiction: str | None = None) -> None:
    if fmt not in WRITERS:
        raise DutygraphError("DG-G004", "-", f"{fmt!r}; network formats: {', '.join(WRITERS)}")
    graph = xml_safe(build_view(store, view, actor=actor, modality=modality, jurisdiction=jurisdiction))
    with binary_output(out) as handle:
        WRITERS[fmt](graph, handle)


def write_rdf(store, fmt: str, out: str | PathLike | BinaryIO, *, actor: str | None = None,
              modality: str | None = None, jurisdiction: str | None = None) -> None:
    if fmt not in RDF_FORMATS:
        raise DutygraphError("DG-G004", "-", f"{fmt!r}; RDF formats: {', '.join(RDF_FORMATS)}")
    if actor or modality or jurisdiction:
        filters = make_filters(store, actor=actor, modality=modality, jurisdiction=jurisdiction)
        data = ox.serialize(store.query(described_query(filters)), format=RDF_FORMATS[fmt], prefixes=PREFIXES)
    else:
        data = store.dump(RDF_FORMATS[fmt])
    with binary_output(out) as handle:
        handle.write(data)


def xml_safe(graph: nx.Graph) -> nx.Graph:
    """A copy with control characters stripped from every text and no None values."""
    clean = graph.__class__()
    clean.graph.update(clean_attributes(graph.graph))
    clean.add_nodes_from((strip_controls(node), clean_attributes(data)) for node, data in graph.nodes(data=True))
    clean.add_edges_from((strip_controls(source), strip_controls(target), clean_attributes(data))
                         for source, target, data in graph.edges(data=True))
    return clean


def clean_attributes(data: dict) -> dict:
    return {key: strip_controls(value) for key, value in data.items() if value is not None}


def strip_controls(value):
    return NOT_XML_TEXT.sub("", value) if isinstance(value, str) else value


def write_graphml(graph: nx.Graph, handle: BinaryIO) -> None:
    ET.register_namespace("", GRAPHML_NS)
    root = ET.fromstring("\n".join(nx.generate_graphml(graph)))
    key_ids = meaningful_key_ids(root.findall(f"{{{GRAPHML_NS}}}key"))
    for key in root.iter(f"{{{GRAPHML_NS}}}key"):
        key.set("id", key_ids[key.get("id")])
    for data in root.iter(f"{{{GRAPHML_NS}}}data"):
        data.set("key", key_ids[data.get("key")])
    ET.ElementTree(root).write(handle, encoding="utf-8", xml_declaration=True)


def meaningful_key_ids(keys: list[ET.Element]) -> dict[str, str]:
    """networkx's d0, d1… → the attribute name; edge and graph keys yield to node keys."""
    node_names = {key.get("attr.name") for key in keys if key.get("for") == "node"}
    renamed = {}
    for key in keys:
        name, scope = key.get("attr.name"), key.get("for")
        if scope == "node" or name not in node_names:
            renamed[key.get("id")] = name
        elif scope == "edge" and name in GEPHI_EDGE_KEY_IDS:
            renamed[key.get("id")] = GEPHI_EDGE_KEY_IDS[name]
        else:
            renamed[key.get("id")] = f"{scope}{name}"
    return renamed


def write_gexf(graph: nx.Graph, handle: BinaryIO) -> None:
    nx.write_gexf(graph, handle)


def write_cytoscape(graph: nx.Graph, handle: BinaryIO) -> None:
    handle.write(json.dumps(cytoscape_elements(graph), ensure_ascii=False, indent=1).encode("utf-8"))


def cytoscape_elements(graph: nx.Graph) -> dict:
    nodes = [{"data": {**data, "id": str(node)}} for node, data in graph.nodes(data=True)]
    edges = [{"data": {**data, "id": f"e{number}", "source": str(source), "target": str(target)}}
             for number, (source, target, data) in enumerate(graph.edges(data=True), start=1)]
    return {"data": dict(graph.graph), "directed": graph.is_directed(),
            "elements": {"nodes": nodes, "edges": edges}}


def write_csv(graph: nx.Graph, handle: BinaryIO) -> None:
    elements = cytoscape_elements(graph)["elements"]
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("nodes.csv", csv_table([n["data"] for n in elements["nodes"]], NODE_LEAD_COLUMNS))
        archive.writestr("edges.csv", csv_table([e["data"] for e in elements["edges"]], EDGE_LEAD_COLUMNS))


def csv_table(rows: list[dict], lead_columns: tuple[str, ...]) -> str:
    others = sorted({key for row in rows for key in row} - set(lead_columns))
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=[*lead_columns, *others], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue()


WRITERS: dict[str, Callable[[nx.Graph, BinaryIO], None]] = {
    "graphml": write_graphml, "gexf": write_gexf, "cytoscape": write_cytoscape, "csv": write_csv,
}
FORMATS = tuple(WRITERS)


@contextmanager
def binary_output(out):
    if out == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
    elif isinstance(out, str | PathLike):
        with open(out, "wb") as handle:
            yield handle
    else:
        yield out
