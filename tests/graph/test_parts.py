"""A document's graph in parts (graph/rdf.py graph_parts) and checked a chunk at a time
(graph/incremental.py Checker.check_parts): units are read as parts are written, a part says all there
is about its subjects and names only nodes typed before, and the chunked check finds what checking
the whole graph finds, on real documents and on defects injected into them."""
from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from dutygraph.graph.enforcement import Linker
from dutygraph.graph.incremental import package_checker
from dutygraph.graph.ingest import extract
from dutygraph.graph.rdf import TYPE, dg, graph_parts, graph_statements
from dutygraph.graph.shacl import relevant_statements, rules
from dutygraph.graph.vocabulary import ontology_quads

INPUTS = Path(__file__).parents[1] / "data" / "gold" / "inputs"
DOCUMENTS = ["产品质量法(2018-12-29).md", "004_14d38c5d599a43e8.txt", "上海市标准化条例(2019-07-25).md"]
CLASS_VALUED = {rule.path.predicate for node_rule in rules() for rule in node_rule.properties
                if rule.of_class and rule.path.kind == "predicate"}


@cache
def extracted(name: str):
    return extract(INPUTS / name)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_units_are_read_as_their_statements_are_written(name):
    """Each unit's statements come out before the next unit is read, but for sanctions, which wait
    for the links that need every unit: the units read ahead of the parts are the sanctions so far."""
    document, units = extracted(name)
    linker = Linker(document)
    sanction = [linker.add(unit) for unit in units]
    read = 0

    def reading():
        nonlocal read
        for unit in units:
            read += 1
            yield unit

    written = 0
    for part in graph_parts(document, reading())[1]:
        if (part[0][0], TYPE, dg("Obligation")) in part:
            written += 1
            waiting = sum(sanction[:read])
            assert read - written == waiting or written > len(units) - sum(sanction)
    assert written == read == len(units)
    assert any(sanction) or name != DOCUMENTS[0]  # the law has sanctions: the case where units wait


@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_part_says_all_about_its_subjects_and_names_only_nodes_typed_before(name):
    document, units = extracted(name)
    typed = {quad.subject.value for quad in ontology_quads() if quad.predicate.value == TYPE}
    described: set[str] = set()
    for part in graph_parts(document, units)[1]:
        subjects = {subject for subject, _, _ in part}
        assert not subjects & described, "a subject described again in a later part"
        described |= subjects
        typed |= {subject for subject, predicate, _ in part if predicate == TYPE}
        named = {value for _, predicate, value in part if predicate in CLASS_VALUED}
        assert named <= typed, named - typed


def defects(parts: list[list[tuple]]) -> list[list[tuple]]:
    """Every seventh part loses its modality; the last names an actor that is no concept and an
    authority of its own; one part's provision loses its parent."""
    changed = [[s for s in part if not (i % 7 == 0 and s[1] == dg("modality"))] for i, part in enumerate(parts)]
    last = changed[-1][0][0]
    changed[-1] += [(last, dg("actor"), "https://example.org/not-a-concept"), (last, dg("authority"), last)]
    provision = next(i for i, part in enumerate(changed) if (part[0][0], TYPE, dg("Provision")) in part)
    changed[provision] = [s for s in changed[provision] if not s[1].endswith("is_part_of")]
    return changed


@pytest.mark.parametrize("name", DOCUMENTS)
@pytest.mark.parametrize("chunk", [1, 97, 5_000, 10**9])
@pytest.mark.parametrize("broken", [False, True], ids=["as-built", "with-defects"])
def test_checking_a_chunk_at_a_time_finds_what_checking_the_whole_graph_finds(name, chunk, broken):
    document, units = extracted(name)
    parts = list(graph_parts(document, units)[1])
    if broken:
        parts = defects(parts)
    whole = package_checker().check(relevant_statements(s for part in parts for s in part))
    assert package_checker().check_parts(parts, chunk) == whole
    assert bool(whole) == broken


def test_the_statements_are_those_of_the_parts_in_order():
    document, units = extracted(DOCUMENTS[0])
    assert list(graph_statements(document, units)[1]) == [s for part in graph_parts(document, units)[1] for s in part]
