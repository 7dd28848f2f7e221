"""The checks made before anything runs, read from the parsed request: SERVICE/LOAD found only where
the grammar has them; nesting measured before the parser recurses."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from dutygraph.api.safety import (
    MAX_NESTING,
    QueryShape,
    add_using_clauses,
    inspect_query,
    inspect_update,
    known_verdict,
    nesting_depth,
)
from dutygraph.errors import DutygraphError

# Texts a pattern over the words reads differently from the grammar: comments, escapes, case,
# spacing, and SERVICE / LOAD deep inside other patterns or after other operations.
OUTBOUND = [
    r"SELECT * { SERVICE <http://x> { ?s ?p ?o } }",
    r"select * { service silent <http://x> { ?s ?p ?o } }",
    r"SELECT * { SeRvIcE <http://x> { ?s ?p ?o } }",
    r"SELECT * { \u0053ERVICE <http://x> { ?s ?p ?o } }",
    r"SELECT * { \U00000053ERVICE <http://x> { ?s ?p ?o } }",
    "SELECT * { ?s ?p ?o # SERVICE hides nothing here\n SERVICE <http://x> { ?s ?p ?o } }",
    "SELECT * { SERVICE# a comment between the keyword and its IRI\n<http://x>{?s ?p ?o} }",
    "SELECT * { SERVICE\n#\n#\n<http://x>\n#}\n{ ?s ?p ?o } }",
    "SELECT*{?s ?p ?o.SERVICE<http://x>{?s ?p ?o}}",
    "SELECT * { ?s ?p ?o FILTER NOT EXISTS { OPTIONAL { SERVICE ?x { ?s ?p ?o } } } }",
    "SELECT * { { SELECT * { MINUS { SERVICE <http://x> { } } } } UNION { } }",
    "ASK { BIND(EXISTS { SERVICE <http://x> { } } AS ?b) }",
    "ASK { ?s ?p 'a string' SERVICE <http://x> { ?s ?p \"SERVICE\" } }",
    "LOAD <http://x>",
    "CLEAR ALL ; LoAd SILENT <http://x> INTO GRAPH <http://g>",
    "INSERT { <http://a> <http://b> ?o } WHERE { SERVICE <http://x> { ?s ?p ?o } }",
    "DELETE WHERE { ?s ?p ?o } ; # LOAD <http://x> only in a comment here, but below\nload<http://x>",
]


@pytest.mark.parametrize("text", OUTBOUND)
def test_outbound_requests_are_refused(text):
    with pytest.raises(DutygraphError) as raised:
        inspect_query(text)
    assert raised.value.code == "DG-A005"


@pytest.mark.parametrize("text", OUTBOUND[:4])
def test_a_refusal_is_made_again_each_time_and_never_kept_as_a_verdict(text):
    for _ in range(2):
        with pytest.raises(DutygraphError) as raised:
            inspect_query(text)
        assert raised.value.code == "DG-A005"
    assert known_verdict(text) is None


def test_an_admitted_text_keeps_its_verdict_and_only_that_exact_text():
    text = "SELECT * FROM <http://example/g> WHERE { ?s ?p ?o } # kept"
    assert inspect_query(text) == known_verdict(text) == QueryShape("solutions", True, True)
    assert known_verdict(text.replace("?o }", "SERVICE <http://x> { ?s ?p ?o } }")) is None


@pytest.mark.parametrize("text", [text for text in OUTBOUND if not text.upper().startswith("SELECT")])
def test_outbound_requests_are_refused_on_the_update_path(text):
    if "SERVICE" in text.upper() and "INSERT" not in text and "LOAD" not in text.upper():
        text = f"INSERT {{ <http://a> <http://b> <http://c> }} WHERE {{ {text.removeprefix('ASK')} }}"
    with pytest.raises(DutygraphError) as raised:
        inspect_update(text)
    assert raised.value.code == "DG-A005"


@pytest.mark.parametrize("text", [
    'SELECT * { ?s ?p "SERVICE <http://x> { }" }',
    "SELECT * { ?s ?p '''LOAD <http://x>''' }",
    "SELECT * { ?s ?p 'SERVICE' . ?s ?p \"\"\"\nLOAD <http://x>\n\"\"\" }",
    "SELECT * { ?s <http://example/SERVICE> ?o } # SERVICE <http://x> {}",
    "SELECT * { ?s ?p ?o } #SERVICE <http://x> { ?s ?p ?o }\n#LOAD <http://x>",
    "PREFIX service: <http://example/> SELECT * { ?s service:load ?load }",
    "PREFIX : <http://example/> SELECT ?service { ?service a :SERVICE . _:load ?p ?o }",
    "SELECT * { <http://example/SERVICE/LOAD#SERVICE> ?p ?o FILTER(?o < 3 && ?o > 1) }",
    'SELECT * { ?s ?p ?o FILTER(CONTAINS(STR(?o), "SERVICE <http://x> {}")) }',
    "INSERT DATA { <http://a/SERVICE> <http://b/LOAD> 'SERVICE <http://x> {}' }",
])
def test_the_words_in_strings_iris_comments_and_names_are_not_refused(text):
    inspect_query(text)


def test_a_text_neither_form_parses_is_a_syntax_error():
    with pytest.raises(DutygraphError) as raised:
        inspect_query('SELECT * { "unterminated\nSERVICE <http://x> { ?s ?p ?o } }')
    assert raised.value.code == "DG-A001"


NESTED = {
    "braces": lambda depth: "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth,
    "parentheses": lambda depth: "ASK { FILTER(" + "(" * depth + "1" + ")" * depth + ") }",
    "brackets": lambda depth: "ASK { ?s ?p " + "[ <http://p> " * depth + "1" + " ]" * depth + " }",
    "path": lambda depth: "ASK { ?s " + "^(" * depth + "<http://p>" + ")" * depth + " ?o }",
}


@pytest.mark.parametrize("kind", NESTED)
def test_deep_nesting_is_refused_before_parsing(kind):
    text = NESTED[kind](5000)
    for check, request in ((inspect_query, text), (inspect_update, text.replace("ASK", "DELETE WHERE", 1)
                                                    .replace("SELECT * WHERE", "DELETE WHERE", 1))):
        with pytest.raises(DutygraphError) as raised:
            check(request)
        assert raised.value.code == "DG-A016"


def test_brackets_in_strings_iris_and_comments_do_not_count():
    noise = '"((((((((((((((((((((" <http://x/((((((((((]]]]]]]]]]> # [[[[[[[[[[[[[[[[[[[[[[\n'
    assert nesting_depth(f"SELECT * {{ ?s ?p {noise} }}") == 1
    assert nesting_depth(r"ASK { FILTER(\u0028\u00281)) }") == 4


def test_the_deepest_allowed_nesting_of_the_costliest_construct_still_parses():
    # Nested negations cost the parser the most stack per level: the limit must sit within its reach.
    depth = MAX_NESTING - 2
    text = "ASK { FILTER(" + "!(" * depth + "true" + ")" * depth + ") }"
    assert nesting_depth(text) == MAX_NESTING
    assert inspect_query(text).kind == "boolean"


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


@pytest.mark.parametrize("text", [
    "SELECT (NOW() AS ?t) WHERE {}",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY RAND()",
    "SELECT * WHERE { ?s ?p ?o FILTER(STRLEN(STRUUID()) > 0) }",
    "ASK { BIND(uuid() AS ?u) }",
    "SELECT * WHERE { { SELECT (BNODE(?s) AS ?b) WHERE { ?s ?p ?o } } }",
    "CONSTRUCT { _:made <http://example/p> ?o } WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s <http://example/p> [ <http://example/q> ?o ] } WHERE { ?s ?p ?o }",
])
def test_an_answer_that_changes_from_run_to_run_is_not_repeatable(text):
    assert inspect_query(text).repeatable is False


@pytest.mark.parametrize("text", [
    "SELECT ?s WHERE { ?s ?p 'NOW() RAND()' } # UUID() BNODE()",
    "SELECT ?s WHERE { ?s <http://example/RAND> _:any }",  # a blank node in a pattern is a variable
    "CONSTRUCT { ?s <http://example/p> ?o } WHERE { ?s ?p [] }",
    "DESCRIBE <http://example/s>",
    "ASK { ?s ?p ?o }",
])
def test_a_deterministic_query_is_repeatable(text):
    assert inspect_query(text).repeatable is True
