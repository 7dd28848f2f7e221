"""Sanctions linked to the duties they enforce: against the hand-made pairs of tests/data/enforcement
(written from the texts before the linker), and as dg:enforcesObligation in the graph."""
from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dutygraph.graph.enforcement import (
    Linker,
    _Acts,
    _bigrams,
    _Target,
    link_enforcement,
    penalty_kinds,
    rules,
)
from dutygraph.graph.ingest import extract
from dutygraph.graph.rdf import build_graph
from dutygraph.graph.vocabulary import ontology_quads

DATA = Path(__file__).parents[1] / "data"
GOLD = json.loads((DATA / "enforcement" / "gold.json").read_text("utf-8"))
FILES = [name for name in GOLD if not name.startswith("_")]
LAW = "产品质量法(2018-12-29).md"
PREFIX = "PREFIX dg: <https://w3id.org/dutygraph/ns#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "


@cache
def extracted(name: str):
    return extract(DATA / "gold" / "inputs" / name)


def predicted(name: str) -> set[tuple[int, int]]:
    document, units = extracted(name)
    return {(units[link.sanction].article, units[link.target].article)
            for link in link_enforcement(document, units)}


def test_precision_and_recall_against_the_hand_made_pairs():
    found = gold = hits = 0
    for name in FILES:
        expected = {tuple(pair) for pair in GOLD[name]}
        pairs = predicted(name)
        found, gold, hits = found + len(pairs), gold + len(expected), hits + len(pairs & expected)
        assert len(pairs & expected) / len(expected) >= 0.9 and len(pairs & expected) / len(pairs) >= 0.9, name
    assert hits / found >= 0.9 and hits / gold >= 0.9


@pytest.mark.parametrize(("sanction", "enforced"), [(50, 32), (50, 39), (51, 29), (56, 16), (67, 25)])
def test_known_links_of_the_product_quality_law(sanction, enforced):
    assert (sanction, enforced) in predicted(LAW)


def test_penalty_kinds_are_read_from_the_sanction():
    assert penalty_kinds("责令改正，没收违法所得，并处五万元以下罚款；情节严重的，吊销营业执照") == \
        ("罚款", "没收", "吊销", "责令")
    assert penalty_kinds("依法给予处分") == ("处分",)


def test_graph_says_which_duties_of_the_producer_have_no_sanction():
    document, units = extracted(LAW)
    store = ox.Store()
    store.extend(build_graph(document, units))
    store.extend(ontology_quads())  # the actor scheme's labels
    rows = store.query(PREFIX + """SELECT ?sentence ?penalty WHERE {
        ?duty dg:actor ?actor ; dg:sentence ?sentence ; dg:modality dg:Prohibition .
        ?sanction dg:enforcesObligation ?duty ; dg:penalty ?penalty }""", use_default_graph_as_union=True)
    sanctioned = {(row["sentence"].value, row["penalty"].value) for row in rows}
    assert ("生产者生产产品，不得掺杂、掺假，不得以假充真、以次充好，不得以不合格产品冒充合格产品。", "罚款") in sanctioned
    query = (Path(__file__).parents[2] / "docs" / "queries" / "unsanctioned-duties.rq").read_text("utf-8")
    unsanctioned = {row["sentence"].value for row in store.query(query, use_default_graph_as_union=True)}
    assert "生产者应当对其生产的产品质量负责。" in unsanctioned
    assert not unsanctioned & {sentence for sentence, _ in sanctioned}


@pytest.mark.parametrize("name", FILES)
def test_indexed_act_matching_finds_what_comparing_every_pair_finds(name):
    """The bigram index is only a way to skip pairs with nothing in common: every condition of the
    document's sanctions meets exactly the duties whose clauses reach the Dice threshold pair by pair."""
    document, units = extracted(name)
    linker = Linker(document)
    for unit in units:
        linker.add(unit)
    conditions = [sanction.condition for sanction in linker.sanctions.values() if sanction.condition]
    assert conditions
    targets = list(linker.targets)
    texts = {t: linker.text(target) for t, target in linker.targets.items()}
    acts = _Acts(linker.targets, texts.values(), conditions)
    threshold = rules().min_similarity
    duty_clauses = {t: [_bigrams(clause) for clause in acts.clauses(texts[t])] for t in targets}
    for condition in conditions:
        stated = [_bigrams(rules().breach.sub("", clause)) for clause in acts.clauses(condition)]
        pairwise = {t for t in targets for one in duty_clauses[t] for other in stated
                    if (one or other) and 2 * len(one & other) / (len(one) + len(other)) >= threshold}
        found = acts.enforced_by(condition)
        assert set(found) <= pairwise and found == sorted(found)
        named = {t for t in pairwise if units[t].actor
                 and any(clause.strip().startswith(units[t].actor) for clause in re.split("[，；]", condition))}
        assert set(found) == (named or pairwise), condition


def test_the_linker_keeps_a_record_only_of_units_that_can_take_part_in_a_link():
    """Fed a document's units one at a time, it keeps the sanctions and the Duty and Prohibition units
    outside them, by index, and nothing of the others."""
    document, units = extracted(LAW)
    linker = Linker(document)
    said = [linker.add(unit, key=index) for index, unit in enumerate(units)]
    assert [i for i, sanction in enumerate(said) if sanction] == list(linker.sanctions)
    assert list(linker.targets) == [i for i, unit in enumerate(units) if unit.modality in ("Duty", "Prohibition")
                                    and not unit.in_sanctions and not said[i]]
    assert len(linker.targets) + len(linker.sanctions) < len(units)
    assert all(linker.key(i) == i for i in [*linker.targets, *linker.sanctions])
    assert linker.links() == link_enforcement(document, units)


CLAUSE_TEXT = st.text(alphabet="甲乙丙丁戊己，", max_size=40)


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(CLAUSE_TEXT, min_size=1, max_size=25), conditions=st.lists(CLAUSE_TEXT, min_size=1, max_size=4))
def test_the_duties_a_condition_reaches_are_those_of_every_pair_at_the_threshold(texts, conditions):
    """The bigram index and the answers kept per condition, on texts of six characters where most
    bigrams recur and conditions repeat: asked twice, a condition reaches exactly the duties with a
    clause at the Dice threshold pair by pair."""
    targets = {t: _Target(None, None, "", 0, 0, text, ()) for t, text in enumerate(texts)}
    acts = _Acts(targets, texts, conditions)
    threshold = rules().min_similarity
    duty_clauses = {t: [_bigrams(clause) for clause in acts.clauses(text)] for t, text in enumerate(texts)}
    for condition in [*conditions, *conditions]:
        stated = [_bigrams(rules().breach.sub("", clause)) for clause in acts.clauses(condition)]
        pairwise = {t for t, clauses in duty_clauses.items() for one in clauses for seen in stated
                    if 2 * len(one & seen) / (len(one) + len(seen)) >= threshold}
        assert acts.enforced_by(condition) == sorted(pairwise)


def sentence_links(path: Path) -> set[tuple[str, str]]:
    document, units = extract(path)
    return {(units[link.sanction].sentence, units[link.target].sentence) for link in link_enforcement(document, units)}


def test_a_compilation_links_each_law_as_it_links_alone(tmp_path):
    """Article numbers start again with the second law: its sanctions cite its own articles and match
    its own duties, as they do in the law alone (across laws, the links grew with the square of a
    compilation)."""
    head = "# 汇编\n\n<!-- INFO END -->\n"
    bodies = [(DATA / "gold" / "inputs" / name).read_text("utf-8").split("<!-- INFO END -->")[-1]
              for name in (LAW, "标准化法(2017-11-04).md")]
    alone = set()
    for number, body in enumerate(bodies):
        (tmp_path / f"{number}.md").write_text(head + body, encoding="utf-8")
        alone |= sentence_links(tmp_path / f"{number}.md")
    (tmp_path / "both.md").write_text(head + "\n\n".join(bodies), encoding="utf-8")
    assert sentence_links(tmp_path / "both.md") == alone and len(alone) > 40
