"""Network views written for Gephi, Cytoscape and yEd: GraphML, GEXF, Cytoscape.js JSON and CSV.

`write_network(store, fmt, out, …)` builds a view (dutygraph.graph.views) and writes it to `out`: a
file path, "-" for standard output, or a binary file object. `write_rdf(store, fmt, out, …)` writes
the graph itself (the store's dump), or with filters the matched obligations with their actors and
provisions up to the instrument.

- graphml: key ids are the attribute names (``label``, ``kind``…), so Gephi picks the right label
  (networkx's d0, d1… ids collide with the ids yEd and Gephi read labels from); edge keys whose
  name a node key already uses get Gephi's edge names (``edgelabel``) or an ``edge`` prefix, so no
  id is written twice and networkx reads the file back unchanged. Nodes also carry yEd node
  graphics (label, colour by kind): open in yEd, then Layout → Organic.
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

ALL_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}

GRAPHML_HEAD = """<?xml version='1.0' encoding='utf-8'?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xmlns:y="http://www.yworks.com/xml/graphml" \
xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
  <key id="yed" for="node" yfiles.type="nodegraphics" />
"""
# yEd shows only its own node graphics, so each node also gets a label and a colour by kind there.
YED_FILL = {"actor": "#2B6CB0", "instrument": "#DD6B20", "obligation": "#E2E8F0"}
GRAPHML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
XML_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
XML_ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;",
                                       "\r": "&#13;", "\t": "&#9;"})
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
    rdf_format = RDF_FORMATS[fmt]
    if actor or modality or jurisdiction:
        filters = make_filters(store, actor=actor, modality=modality, jurisdiction=jurisdiction)
        data = ox.serialize(store.query(described_query(filters)), format=rdf_format, prefixes=PREFIXES)
    elif rdf_format.supports_datasets:
        data = store.dump(format=rdf_format)
    else:
        # The union of all graphs, asked the same way of a dutygraph Store and of a pyoxigraph.Store.
        data = ox.serialize(store.query(ALL_TRIPLES), format=rdf_format, prefixes=PREFIXES)
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
    """GraphML written directly (networkx's writer builds, pretty-prints and re-serialises a DOM)."""
    scopes = {
        "node": attribute_types(data for _, data in graph.nodes(data=True)),
        "edge": attribute_types(data for *_, data in graph.edges(data=True)),
        "graph": attribute_types([graph.graph]),
    }
    ids = {key: quoted(key_id) for key, key_id in key_ids(scopes).items()}
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="\n", write_through=True)
    text.write(GRAPHML_HEAD)
    for scope, types in scopes.items():
        for name, kind in types.items():
            text.write(f'  <key id={ids[scope, name]} for="{scope}" attr.name={quoted(name)} attr.type="{kind}" />\n')
    text.write(f'  <graph edgedefault="{"directed" if graph.is_directed() else "undirected"}">\n')
    text.write(data_elements(graph.graph, "graph", ids, "    "))
    for node, data in graph.nodes(data=True):
        text.write(f"    <node id={quoted(str(node))}>\n{data_elements(data, 'node', ids, '      ')}"
                   f"{yed_graphics(data)}    </node>\n")
    for source, target, data in graph.edges(data=True):
        text.write(f"    <edge source={quoted(str(source))} target={quoted(str(target))}>\n"
                   f"{data_elements(data, 'edge', ids, '      ')}    </edge>\n")
    text.write("  </graph>\n</graphml>\n")
    text.detach()


def yed_graphics(data: dict) -> str:
    fill = YED_FILL.get(data.get("kind"), "#A0AEC0")
    # An empty NodeLabel would read back in networkx as label None.
    label = f"<y:NodeLabel>{graphml_value(data['label'])}</y:NodeLabel>" if data.get("label") else ""
    return (f'      <data key="yed"><y:ShapeNode><y:Fill color="{fill}" transparent="false" />{label}'
            "</y:ShapeNode></data>\n")


def attribute_types(records) -> dict[str, str]:
    """Attribute name → GraphML type, from the first value met (views keep one type per name)."""
    types: dict[str, str] = {}
    for data in records:
        for name, value in data.items():
            if name not in types:
                types[name] = GRAPHML_TYPES.get(type(value), "string")
    return types


def key_ids(scopes: dict[str, dict[str, str]]) -> dict[tuple[str, str], str]:
    """Key ids are the attribute names; edge and graph keys yield to node keys (and graph to edge)."""
    ids = {("node", name): name for name in scopes["node"]}
    for scope in ("edge", "graph"):
        taken = set(ids.values())
        for name in scopes[scope]:
            if name not in taken:
                ids[scope, name] = name
            elif scope == "edge" and name in GEPHI_EDGE_KEY_IDS:
                ids[scope, name] = GEPHI_EDGE_KEY_IDS[name]
            else:
                ids[scope, name] = f"{scope}{name}"
    return ids


def data_elements(data: dict, scope: str, ids: dict[tuple[str, str], str], indent: str) -> str:
    return "".join(f"{indent}<data key={ids[scope, name]}>{graphml_value(value)}</data>\n"
                   for name, value in data.items())


def graphml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).translate(XML_TEXT_ESCAPES)


def quoted(text: str) -> str:
    return f'"{text.translate(XML_ATTRIBUTE_ESCAPES)}"'


def write_gexf(graph: nx.Graph, handle: BinaryIO) -> None:
    nx.write_gexf(graph, handle, prettyprint=False)


def write_cytoscape(graph: nx.Graph, handle: BinaryIO) -> None:
    handle.write(json.dumps(cytoscape_elements(graph), ensure_ascii=False).encode("utf-8"))


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
