"""Any text survives the XML formats: stripped of what XML cannot carry, everything else kept."""
from __future__ import annotations

import io

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from dutygraph.graph.netexport import NOT_XML_TEXT, write_gexf, write_graphml, xml_safe

TEXT = st.text(alphabet=st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from("\x00\x01\x0b\x1f\x7f\x85\r\n\t&<>\"'市場监管"),
), max_size=30)


def graph_with(labels: list[str]) -> nx.DiGraph:
    graph = nx.DiGraph()
    for number, label in enumerate(labels):
        graph.add_node(f"n{number}{label}", label=label, kind="actor", weight=number)
        if number:
            graph.add_edge(f"n{number - 1}{labels[number - 1]}", f"n{number}{label}", label=label, weight=number)
    return graph


def stripped(graph: nx.DiGraph) -> tuple[dict, set]:
    nodes = {NOT_XML_TEXT.sub("", node): {key: NOT_XML_TEXT.sub("", value) if isinstance(value, str) else value
                                            for key, value in data.items()}
             for node, data in graph.nodes(data=True)}
    edges = {(NOT_XML_TEXT.sub("", source), NOT_XML_TEXT.sub("", target), NOT_XML_TEXT.sub("", data["label"]))
             for source, target, data in graph.edges(data=True)}
    return nodes, edges


def read_back(graph: nx.DiGraph) -> tuple[dict, set]:
    return dict(graph.nodes(data=True)), {(s, t, d["label"]) for s, t, d in graph.edges(data=True)}


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=6, unique=True))
def test_graphml_keeps_every_xml_character(labels):
    graph = graph_with(labels)
    buffer = io.BytesIO()
    write_graphml(xml_safe(graph), buffer)
    assert read_back(nx.read_graphml(io.BytesIO(buffer.getvalue()))) == stripped(graph)


@settings(max_examples=30, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=6, unique=True))
def test_gexf_keeps_every_xml_character(labels):
    graph = graph_with(labels)
    buffer = io.BytesIO()
    write_gexf(xml_safe(graph), buffer)
    assert read_back(nx.read_gexf(io.BytesIO(buffer.getvalue()))) == stripped(graph)
