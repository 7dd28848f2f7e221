"""A document's graph in parts (graph/rdf.py graph_parts) and checked a chunk at a time
(graph/incremental.py Checker.check_parts): units are read as parts are written, a part says all there
is about its subjects and names only nodes typed before, and the chunked check finds what checking
the whole graph finds, on real documents and on defects injected into them. Ingest builds the parts
as the top-level provisions are read (graph/tree.py ReachedTree): the same holds of those parts."""
from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from dutygraph.graph.enforcement import Linker
from dutygraph.graph.incremental import package_checker
from dutygraph.graph.ingest import extract, extract_lazily
from dutygraph.graph.rdf import TYPE, dg, graph_parts, graph_statements, instrument_iri
from dutygraph.graph.shacl import relevant_statements, rules
from dutygraph.graph.terms import Part
from dutygraph.graph.tree import ReachedTree
from dutygraph.graph.vocabulary import ontology_quads

INPUTS = Path(__file__).parents[1] / "data" / "gold" / "inputs"
DOCUMENTS = ["产品质量法(2018-12-29).md", "004_14d38c5d599a43e8.txt", "上海市标准化条例(2019-07-25).md"]
CLASS_VALUED = {rule.path.predicate for node_rule in rules() for rule in node_rule.properties
                if rule.of_class and rule.path.kind == "predicate"}


@cache
def extracted(name: str):
    return extract(INPUTS / name)


def streamed_parts(name: str) -> list[Part]:
    """The parts as ingest builds them (graph/ingest.py build_file): provisions come as units reach them."""
    reading = extract_lazily(INPUTS / name)
    tree = ReachedTree(reading.provisions, instrument_iri(reading.document))
    return list(graph_parts(reading.document, reading.units_of(tree.top_level()), tree=tree)[1])


def built_parts(name: str, how: str) -> list[Part]:
    return list(graph_parts(*extracted(name))[1]) if how == "whole" else streamed_parts(name)


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
@pytest.mark.parametrize("how", ["whole", "streamed"])
def test_a_part_says_all_about_its_subjects_and_names_only_nodes_typed_before(name, how):
    typed = {quad.subject.value for quad in ontology_quads() if quad.predicate.value == TYPE}
    described: set[str] = set()
    for part in built_parts(name, how):
        subjects = {subject for subject, _, _ in part}
        assert not subjects & described, "a subject described again in a later part"
        described |= subjects
        typed |= {subject for subject, predicate, _ in part if predicate == TYPE}
        named = {value for _, predicate, value in part if predicate in CLASS_VALUED}
        assert named <= typed, named - typed


@pytest.mark.parametrize("name", DOCUMENTS)
@pytest.mark.parametrize("how", ["whole", "streamed"])
def test_no_part_names_a_node_settled_before_it(name, how):
    """What a part settles, the checker forgets: the contract that lets it. A third of 产品质量法's nodes
    are settled before its end: provisions but articles and sanctions' authorities, units but those a
    sanction may enforce."""
    settled: set[str] = set()
    parts = built_parts(name, how)
    for part in parts:
        named = {value for _, _, value in part if isinstance(value, str)}
        assert not named & settled, named & settled
        settled.update(part.settled)
    described = {subject for part in parts for subject, _, _ in part}
    assert len(settled) > len(described) / 4 or name != DOCUMENTS[0]
    assert any("/ob/" in node for node in settled) or name != DOCUMENTS[0]


def test_the_checker_forgets_what_a_part_settles():
    """A unit naming a provision settled before it no longer reaches the instrument, to the checker of
    parts: it kept no more of that provision than the part said."""
    parts = built_parts(DOCUMENTS[0], "streamed")
    settled = next(node for part in parts for node in part.settled if "/ob/" not in node)
    last = parts[-1][0][0]
    broken = [*parts[:-1], Part([s for s in parts[-1] if s[1] != dg("authority")] + [(last, dg("authority"), settled)])]
    assert package_checker().check(relevant_statements(s for part in broken for s in part)) == ()
    assert [v.focus for v in package_checker().check_parts(broken, 97)] == [last]


def defects(parts: list[Part]) -> list[Part]:
    """Every seventh part loses its modality; the last names an actor that is no concept and an
    authority of its own; one part's provision loses its parent."""
    changed = [Part((s for s in part if not (i % 7 == 0 and s[1] == dg("modality"))), part.settled)
               for i, part in enumerate(parts)]
    last = changed[-1][0][0]
    changed[-1] += [(last, dg("actor"), "https://example.org/not-a-concept"), (last, dg("authority"), last)]
    provision = next(i for i, part in enumerate(changed) if (part[0][0], TYPE, dg("Provision")) in part)
    changed[provision] = Part((s for s in changed[provision] if not s[1].endswith("is_part_of")),
                              changed[provision].settled)
    return changed


@pytest.mark.parametrize("name", DOCUMENTS)
@pytest.mark.parametrize("chunk", [1, 97, 5_000, 10**9])
@pytest.mark.parametrize("broken", [False, True], ids=["as-built", "with-defects"])
@pytest.mark.parametrize("how", ["whole", "streamed"])
def test_checking_a_chunk_at_a_time_finds_what_checking_the_whole_graph_finds(name, chunk, broken, how):
    parts = built_parts(name, how)
    if broken:
        parts = defects(parts)
    whole = package_checker().check(relevant_statements(s for part in parts for s in part))
    assert package_checker().check_parts(parts, chunk) == whole
    assert bool(whole) == broken


def test_the_statements_are_those_of_the_parts_in_order():
    document, units = extracted(DOCUMENTS[0])
    assert list(graph_statements(document, units)[1]) == [s for part in graph_parts(document, units)[1] for s in part]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_provisions_streamed_as_units_reach_them_make_the_same_graph(name):
    whole = [s for part in built_parts(name, "whole") for s in part]
    streamed = [s for part in streamed_parts(name) for s in part]
    assert len(streamed) == len(whole) and set(streamed) == set(whole)


def test_the_tree_is_read_as_units_need_it_and_let_go_behind_them():
    """产品质量法 has six chapters: its first duty is written when at most its first two chapters are
    read, and once all is built only its last chapter's paths are still known (article IRIs stay, for
    sanctions that cite them)."""
    reading = extract_lazily(INPUTS / DOCUMENTS[0])
    read = []
    tree = ReachedTree((read.append(p) or p for p in reading.provisions), instrument_iri(reading.document))
    parts = graph_parts(reading.document, reading.units_of(tree.top_level()), tree=tree)[1]
    first_duty = next(len(read) for part in parts if (part[0][0], TYPE, dg("Obligation")) in part)
    for _ in parts:
        pass
    assert first_duty <= 2 < len(read) == 6  # 总则 … 罚则, 附则
    assert not tree.knows("art/1") and tree.knows(f"art/{max(tree.articles)}") and 1 in tree.articles


def test_a_compilation_states_each_laws_sanctions_after_its_last_unit_and_then_settles_them(tmp_path):
    """Article numbers start again with the second law: the first law's sanctions and links come out
    before the second law's units, and nothing of the first law's units is named after."""
    head = "# 汇编\n\n<!-- INFO END -->\n"
    bodies = [(INPUTS / name).read_text("utf-8").split("<!-- INFO END -->")[-1] for name in (DOCUMENTS[0], DOCUMENTS[2])]
    path = tmp_path / "compilation.md"
    path.write_text(head + "\n\n".join(bodies), encoding="utf-8")
    reading = extract_lazily(path)
    tree = ReachedTree(reading.provisions, instrument_iri(reading.document))
    parts = list(graph_parts(reading.document, reading.units_of(tree.top_level()), tree=tree)[1])
    links = [i for i, part in enumerate(parts) if any(s[1] == dg("enforcesObligation") for s in part)]
    units = [i for i, part in enumerate(parts) if (part[0][0], TYPE, dg("Obligation")) in part]
    assert links[0] < units[len(units) // 2] < links[-1]  # the first law's links before most of the second's units
    settled: set[str] = set()
    for part in parts:
        assert not {value for _, _, value in part if isinstance(value, str)} & settled
        settled.update(part.settled)
    assert any(node in settled for part in parts[:links[0] + 1] for node, _, _ in part if "/ob/" in node)
    whole = package_checker().check(relevant_statements(s for part in parts for s in part))
    assert package_checker().check_parts(parts, 97) == whole == ()
