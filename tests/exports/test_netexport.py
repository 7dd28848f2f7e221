"""Network exports load back in the tools' readers with ids, labels and attributes intact."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
import zipfile

import networkx as nx
import pyoxigraph as ox
import pytest

from dutygraph.errors import DutygraphError
from dutygraph.graph.netexport import RDF_FORMATS, write_network, write_rdf
from dutygraph.graph.views import VIEWS, build_view

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
YED = "{http://www.yworks.com/xml/graphml}"
CONTROL = "\x01"


def exported(store, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    write_network(store, fmt, buffer, **options)
    return buffer.getvalue()


def expected_labels(store, view: str) -> dict[str, str]:
    return {node: data["label"] for node, data in expected_nodes(store, view).items()}


def expected_nodes(store, view: str) -> dict[str, dict]:
    """The view's nodes with the control character the fixture carries removed from every text."""
    return {node: {key: value.replace(CONTROL, "") if isinstance(value, str) else value
                   for key, value in data.items()}
            for node, data in build_view(store, view).nodes(data=True)}


def weights(graph: nx.Graph) -> dict[tuple[str, str], int]:
    return {(source, target): weight for source, target, weight in graph.edges(data="weight")}


def test_fixture_has_a_control_character_in_a_sentence(memory_store):
    sentences = build_view(memory_store, "obligations").nodes(data="sentence")
    assert any(CONTROL in (sentence or "") for _, sentence in sentences)


@pytest.mark.parametrize("view", VIEWS)
def test_graphml_loads_back_in_networkx_with_labels(memory_store, view):
    graph = nx.read_graphml(io.BytesIO(exported(memory_store, "graphml", view=view)))
    view_graph = build_view(memory_store, view)
    assert dict(graph.nodes(data=True)) == expected_nodes(memory_store, view)
    assert weights(graph) == weights(view_graph)


def test_graphml_key_ids_are_attribute_names_and_unique(memory_store):
    root = ET.fromstring(exported(memory_store, "graphml", view="obligations"))
    keys = root.findall(f"{GRAPHML}key")
    ids = [key.get("id") for key in keys]
    assert len(ids) == len(set(ids))
    node_ids = {key.get("attr.name"): key.get("id") for key in keys if key.get("for") == "node"}
    edge_ids = {key.get("attr.name"): key.get("id") for key in keys if key.get("for") == "edge"}
    assert node_ids["label"] == "label"  # Gephi and yEd read the label by key id
    assert edge_ids["label"] == "edgelabel"  # Gephi's edge label id
    assert edge_ids["weight"] == "weight"


def test_graphml_nodes_carry_yed_labels(memory_store):
    root = ET.fromstring(exported(memory_store, "graphml", view="bipartite"))
    yed_labels = {node.get("id"): node.find(f".//{YED}NodeLabel").text for node in root.iter(f"{GRAPHML}node")}
    assert yed_labels == expected_labels(memory_store, "bipartite")


def test_graphml_strips_control_characters_and_keeps_chinese(memory_store):
    text = exported(memory_store, "graphml").decode("utf-8")
    ET.fromstring(text)
    assert CONTROL not in text and "&#1;" not in text
    assert "市场监督管理部门" in text


@pytest.mark.parametrize("view", VIEWS)
def test_gexf_loads_back_in_networkx_with_labels(memory_store, view):
    graph = nx.read_gexf(io.BytesIO(exported(memory_store, "gexf", view=view)))
    assert dict(graph.nodes(data=True)) == expected_nodes(memory_store, view)
    assert weights(graph) == weights(build_view(memory_store, view))


@pytest.mark.parametrize("view", VIEWS)
def test_cytoscape_json_is_valid_for_cytoscape_js(memory_store, view):
    document = json.loads(exported(memory_store, "cytoscape", view=view))
    nodes, edges = document["elements"]["nodes"], document["elements"]["edges"]
    node_ids = [node["data"]["id"] for node in nodes]
    edge_ids = [edge["data"]["id"] for edge in edges]
    assert all(isinstance(i, str) and i for i in node_ids + edge_ids)
    assert len(set(node_ids + edge_ids)) == len(node_ids) + len(edge_ids)
    assert all(edge["data"]["source"] in node_ids and edge["data"]["target"] in node_ids for edge in edges)
    assert {node["data"]["id"]: node["data"]["label"] for node in nodes} == expected_labels(memory_store, view)
    assert len(edges) == build_view(memory_store, view).number_of_edges()


@pytest.mark.parametrize("view", VIEWS)
def test_csv_round_trips(memory_store, view):
    with zipfile.ZipFile(io.BytesIO(exported(memory_store, "csv", view=view))) as archive:
        nodes = list(csv.DictReader(io.StringIO(archive.read("nodes.csv").decode("utf-8"))))
        edges = list(csv.DictReader(io.StringIO(archive.read("edges.csv").decode("utf-8"))))
    view_graph = build_view(memory_store, view)
    assert {row["id"]: row["label"] for row in nodes} == expected_labels(memory_store, view)
    assert {row["id"]: row["kind"] for row in nodes} == dict(view_graph.nodes(data="kind"))
    assert {(row["source"], row["target"]) for row in edges} == set(view_graph.edges())
    assert sorted(int(row["weight"]) for row in edges) == sorted(w for *_, w in view_graph.edges(data="weight"))


def test_filters_narrow_every_format_alike(memory_store):
    full = json.loads(exported(memory_store, "cytoscape"))
    narrowed = json.loads(exported(memory_store, "cytoscape", actor="企业", modality="Duty"))
    graphml = nx.read_graphml(io.BytesIO(exported(memory_store, "graphml", actor="企业", modality="Duty")))
    narrowed_ids = {node["data"]["id"] for node in narrowed["elements"]["nodes"]}
    assert narrowed_ids == set(graphml.nodes)
    assert 0 < len(narrowed_ids) < len(full["elements"]["nodes"])


def test_unknown_format_is_a_coded_error(memory_store):
    with pytest.raises(DutygraphError) as raised:
        exported(memory_store, "dot")
    assert raised.value.code == "DG-G004"


def test_write_network_writes_to_a_path(memory_store, tmp_path):
    path = tmp_path / "view.graphml"
    write_network(memory_store, "graphml", str(path), view="bipartite")
    assert nx.read_graphml(path).number_of_nodes() == build_view(memory_store, "bipartite").number_of_nodes()


ALL_OBLIGATIONS = "SELECT ?ob WHERE { ?ob a <https://w3id.org/dutygraph/ns#Obligation> }"
ENTERPRISE_DUTIES = """PREFIX dg: <https://w3id.org/dutygraph/ns#>
SELECT ?ob WHERE { ?ob a dg:Obligation ; dg:actor <https://w3id.org/dutygraph/id/actor/enterprise> ;
                       dg:modality dg:Duty }"""


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_filtered_rdf_export_holds_exactly_the_matched_obligations(embedded_store, fmt):
    buffer = io.BytesIO()
    write_rdf(embedded_store, fmt, buffer, actor="Enterprise", modality="duty")
    exported_store = ox.Store()
    exported_store.load(buffer.getvalue(), format=RDF_FORMATS[fmt])
    found = {row["ob"].value for row in exported_store.query(ALL_OBLIGATIONS)}
    expected = {row["ob"].value for row in embedded_store.query(ENTERPRISE_DUTIES)}
    assert found == expected and expected


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_unfiltered_rdf_export_is_the_whole_store(embedded_store, fmt):
    buffer = io.BytesIO()
    write_rdf(embedded_store, fmt, buffer)
    exported_store = ox.Store()
    exported_store.load(buffer.getvalue(), format=RDF_FORMATS[fmt])
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert next(iter(exported_store.query(count, use_default_graph_as_union=True)))["n"].value == \
        next(iter(embedded_store.query(count)))["n"].value


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_rdf_export_works_on_a_plain_pyoxigraph_store(memory_store, fmt):
    buffer = io.BytesIO()
    write_rdf(memory_store, fmt, buffer)
    exported_store = ox.Store()
    exported_store.load(buffer.getvalue(), format=RDF_FORMATS[fmt])
    assert len(exported_store) == len(memory_store)
