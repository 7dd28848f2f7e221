"""The lexical checks made before anything runs: SERVICE/LOAD found only where they are keywords."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from dutygraph.api.safety import add_using_clauses, inspect_query, inspect_update, refuse_outbound
from dutygraph.errors import DutygraphError


@pytest.mark.parametrize("text", [
    "SELECT * { SERVICE <http://x> { ?s ?p ?o } }",
    "select * { service silent <http://x> { ?s ?p ?o } }",
    "SELECT * { \\u0053ERVICE <http://x> { ?s ?p ?o } }",
    "SELECT * { \\U00000053ERVICE <http://x> { ?s ?p ?o } }",
    "SELECT * { \"unterminated\nSERVICE <http://x> { ?s ?p ?o } }",
    "LOAD <http://x>",
    "CLEAR ALL ; LoAd SILENT <http://x> INTO GRAPH <http://g>",
])
def test_outbound_keywords_are_refused(text):
    with pytest.raises(DutygraphError) as raised:
        refuse_outbound(text)
    assert raised.value.code == "DG-A005"


@pytest.mark.parametrize("text", [
    'SELECT * { ?s ?p "SERVICE <http://x> { }" }',
    "SELECT * { ?s ?p '''LOAD <http://x>''' }",
    "SELECT * { ?s <http://example/SERVICE> ?o } # SERVICE <http://x> {}",
    "PREFIX service: <http://example/> SELECT * { ?s service:load ?load }",
    "SELECT ?service { ?service a :LOAD . _:load ?p ?o }",
    "SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
])
def test_the_words_in_strings_iris_comments_and_names_are_not_keywords(text):
    refuse_outbound(text)


@pytest.mark.parametrize("text, kind, dataset", [
    ("PREFIX a: <http://a/> SELECT * { ?s ?p ?o }", "solutions", False),
    ("BASE <http://b/> ASK FROM <g> {}", "boolean", True),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "graph", False),
    ("DESCRIBE <http://x>", "graph", False),
    ("# ASK\nINSERT DATA { <a> <b> <c> }", "update", False),
])
def test_query_shape(text, kind, dataset):
    shape = inspect_query(text)
    assert (shape.kind, shape.has_dataset_clause) == (kind, dataset)


def test_update_dataset_clause():
    assert inspect_update("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }").has_dataset_clause
    assert not inspect_update("INSERT DATA { <http://a> <http://b> 'WITH' }").has_dataset_clause


def test_using_clauses_go_before_every_modify_where_and_change_what_it_sees():
    store = ox.Store()
    store.update("INSERT DATA { GRAPH <http://g1> { <http://s1> a <http://T> } GRAPH <http://g2> { <http://s2> a <http://T> } }")
    update = ("INSERT { GRAPH <http://out> { ?s a <http://U> } } WHERE { ?s a <http://T> } ; "
              "DELETE WHERE { GRAPH <http://nothing> { ?s ?p ?o } }")
    rewritten = add_using_clauses(update, ["http://g1"], [])
    assert rewritten.count("USING <http://g1>") == 1
    store.update(rewritten)
    assert {quad.subject.value for quad in store.quads_for_pattern(None, None, None, ox.NamedNode("http://out"))} == {"http://s1"}
