"""N-Triples written as text from plain terms (graph/terms.py) read back as the terms they were."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from dutygraph.graph import terms
from dutygraph.graph.ids import XSD
from dutygraph.graph.ingest import build_file, plan_inputs
from dutygraph.graph.rdf import build_graph, graph_statements
from tests.graph.fixtures import make_document, make_units

EX = "https://example.org/"
AWKWARD = ['引号"与\\反斜杠', "换行\n回车\r制表\t", "控制\x00\x01\x08\x0c\x1f\x7f字符", "\u3000全角空格\u2028", ""]


def test_every_literal_reads_back_as_written():
    statements = [(EX + "s", EX + "p", value) for value in (
        *(terms.literal(text) for text in AWKWARD),
        terms.literal("市场监督管理部门", "zh-Hans"),
        terms.Lit("42", XSD + "integer", ""),
        EX + "o",
    )]
    parsed = [quad.triple for quad in ox.parse(terms.ntriples(statements), format=ox.RdfFormat.N_TRIPLES)]
    expected = [ox.Triple(ox.NamedNode(s), ox.NamedNode(p), terms.to_ox(o)) for s, p, o in statements]
    assert parsed == expected
    assert [terms.plain(triple.object) for triple in parsed] == [o for _, _, o in statements]


def test_a_document_written_as_text_is_the_graph_build_graph_gives():
    document, units = make_document(), make_units()
    graph, statements = graph_statements(document, units)
    written = ox.parse(terms.ntriples(statements), format=ox.RdfFormat.N_TRIPLES)
    assert {ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph)) for t in written} == set(
        build_graph(document, units))


def test_ingest_ships_the_document_graph_as_n_triples(tmp_path):
    source = tmp_path / "920_doc.txt"
    source.write_text(make_document().text, encoding="utf-8")
    built = build_file(plan_inputs([source])[0])
    assert built.error is None
    ntriples = Path(built.spool).read_bytes()
    built.discard()
    triples = list(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) == ntriples.count(b"\n") == built.triples > 0
