"""The network views agree with plain SPARQL over the same store, filters included."""
from __future__ import annotations

from collections import Counter

import pytest

from dutygraph.errors import DutygraphError
from dutygraph.graph.views import build_view, resolve_actor

MARKET_REGULATION = "https://w3id.org/dutygraph/id/actor/market-regulation"
PREFIXES = """PREFIX dg: <https://w3id.org/dutygraph/ns#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
"""
OBLIGATION_PLACES = PREFIXES + """SELECT ?ob ?actor ?modality ?instrument ?place WHERE {
  ?ob a dg:Obligation ; dg:modality ?modality ; dg:authority/eli:is_part_of* ?instrument .
  ?instrument a dg:Instrument ; dg:jurisdictionName ?place .
  OPTIONAL { ?ob dg:actor ?actor } }"""
SAME_SENTENCE = PREFIXES + """SELECT DISTINCT ?first ?second WHERE {
  ?one dg:actor ?first ; dg:sentence ?sentence ; dg:authority ?authority .
  ?two dg:actor ?second ; dg:sentence ?sentence ; dg:authority ?authority .
  FILTER(STR(?first) < STR(?second)) }"""
CO_ACTORS = PREFIXES + "SELECT ?first ?second WHERE { ?ob dg:actor ?first ; dg:coActor ?second }"


def obligations(store) -> list[dict[str, str | None]]:
    return [{name: (row[name].value if row[name] is not None else None) for name in
             ("ob", "actor", "modality", "instrument", "place")} for row in store.query(OBLIGATION_PLACES)]


@pytest.mark.parametrize("name", [
    "市场监督管理部门", "市場監督管理部門", "市场监管", "Market Regulation Department",
    MARKET_REGULATION, "market-regulation", " 市场监管部门 ",
])
def test_every_form_of_a_name_resolves_to_the_actor(memory_store, name):
    assert resolve_actor(memory_store, name) == (MARKET_REGULATION,)


def test_unknown_actor_and_modality_are_coded_errors(memory_store):
    with pytest.raises(DutygraphError) as unknown_actor:
        build_view(memory_store, actor="质量委员会")
    with pytest.raises(DutygraphError) as unknown_modality:
        build_view(memory_store, modality="Must")
    with pytest.raises(DutygraphError) as unknown_view:
        build_view(memory_store, "tree")
    assert (unknown_actor.value.code, unknown_modality.value.code, unknown_view.value.code) == \
        ("DG-G051", "DG-G052", "DG-G050")


def test_obligations_view_holds_every_obligation_once(memory_store):
    graph = build_view(memory_store, "obligations")
    shown = {node for node, kind in graph.nodes(data="kind") if kind == "obligation"}
    assert shown == {row["ob"] for row in obligations(memory_store)}
    assert all(graph.has_edge(row["ob"], row["instrument"]) for row in obligations(memory_store))


def test_bipartite_weights_count_obligations_by_modality(memory_store):
    graph = build_view(memory_store, "bipartite")
    counts = Counter((row["actor"], row["instrument"], row["modality"].rsplit("#", 1)[1])
                     for row in obligations(memory_store) if row["actor"])
    for actor, instrument, data in graph.edges(data=True):
        by_modality = {modality: n for (a, i, modality), n in counts.items() if (a, i) == (actor, instrument)}
        assert data["weight"] == sum(by_modality.values())
        assert all(data[modality.lower()] == n for modality, n in by_modality.items())
    assert graph.number_of_edges() == len({(a, i) for a, i, _ in counts})


def test_actors_view_links_co_listed_and_huitong_partners(memory_store):
    graph = build_view(memory_store, "actors")
    colisted = {frozenset((row["first"].value, row["second"].value)) for row in memory_store.query(SAME_SENTENCE)}
    huitong = {frozenset((row["first"].value, row["second"].value)) for row in memory_store.query(CO_ACTORS)}
    assert {frozenset(edge) for edge in graph.edges()} == colisted | huitong
    assert all(graph.edges[tuple(pair)]["coactor"] > 0 for pair in huitong)
    assert all(graph.edges[tuple(pair)]["colisted"] > 0 for pair in colisted)


def test_jurisdiction_filter_matches_either_script(memory_store):
    graph = build_view(memory_store, "obligations", jurisdiction="新疆维吾尔自治区")
    shown = {node for node, kind in graph.nodes(data="kind") if kind == "obligation"}
    assert shown == {row["ob"] for row in obligations(memory_store) if row["place"] == "新疆維吾爾自治區"}
    assert shown


def test_modality_and_actor_filters_combine(memory_store):
    graph = build_view(memory_store, "obligations", actor="enterprise", modality="duty")
    shown = {node for node, kind in graph.nodes(data="kind") if kind == "obligation"}
    assert shown == {row["ob"] for row in obligations(memory_store)
                     if row["actor"] == "https://w3id.org/dutygraph/id/actor/enterprise"
                     and row["modality"].endswith("#Duty")}
    assert shown


def test_actor_filter_on_the_actors_view_keeps_its_neighbourhood(memory_store):
    graph = build_view(memory_store, "actors", actor="市场监管")
    assert graph.number_of_edges() > 0
    assert all(MARKET_REGULATION in edge for edge in graph.edges())


@pytest.mark.remote
@pytest.mark.parametrize("view", ["obligations", "bipartite", "actors"])
def test_views_are_the_same_over_every_backend(memory_store, embedded_store, remote_store, view):
    expected = build_view(memory_store, view, actor="企业")
    for store in (embedded_store, remote_store):
        graph = build_view(store, view, actor="企业")
        assert dict(graph.nodes(data=True)) == dict(expected.nodes(data=True))
        assert dict(graph.edges) == dict(expected.edges)
