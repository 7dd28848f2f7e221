"""Units' authorities resolved against a tree reached a top-level provision at a time (graph/tree.py)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from dutygraph.graph import ids, ingest
from dutygraph.graph.rdf import dg
from dutygraph.graph.tree import ReachedTree
from tests.graph.fixtures import TEXT, make_document, make_units, reading

INSTRUMENT = ids.instrument_iri("900_example")


def test_a_lookup_reads_on_and_keeps_what_it_read_for_the_walk():
    """Units made without the sentence walk (here, by hand) still find provisions not reached yet."""
    document = make_document()
    tree = ReachedTree(document.provisions, INSTRUMENT)
    assert tree.resolve("art/3") == ids.provision_iri(INSTRUMENT, "art/3")
    assert [provision.path for _, _, provision, _ in tree.take()][:2] == ["chap/1", "art/1"]
    assert [provision.path for provision in tree.top_level()] == ["chap/1", "chap/2"]
    assert tree.articles == {n: ids.provision_iri(INSTRUMENT, f"art/{n}") for n in (1, 2, 3)}


def test_paths_behind_the_last_unit_are_let_go():
    tree = ReachedTree(make_document().provisions, INSTRUMENT)
    tree.resolve("art/3")
    assert tree.knows("art/3") and not tree.knows("art/1")
    assert tree.resolve("art/1") == INSTRUMENT  # units come in document order: none names chap/1 after chap/2


def test_a_unit_naming_no_provision_is_warned_and_attached_to_its_nearest_ancestor(tmp_path, monkeypatch):
    units = make_units()
    units = (replace(units[0], authority="art/1/para/9"), *units[1:])
    monkeypatch.setattr(ingest, "extract_lazily", lambda path: reading(make_document(path.name), units))
    path = tmp_path / "900_example.txt"
    path.write_text(TEXT, encoding="utf-8")
    built = ingest.build_file(ingest.InputFile(path, "checksum", "900_example"))
    statements = Path(built.spool).read_text(encoding="utf-8")
    built.discard()
    assert [(p.code, p.location) for p in built.problems] == [("DG-G101", "art/1/para/9")]
    assert f"<{ids.provision_iri(INSTRUMENT, 'art/1')}/ob/1> <{dg('authority')}> " \
           f"<{ids.provision_iri(INSTRUMENT, 'art/1')}> ." in statements


def iri(path: str) -> str:
    return ids.provision_iri(INSTRUMENT, path)


def test_provisions_let_go_are_settled_once_but_articles_and_pinned_ones_with_their_ancestors():
    tree = ReachedTree(make_document().provisions, INSTRUMENT)
    tree.resolve("art/1/para/1/item/2")
    tree.pin(iri("art/1/para/1/item/2"))  # a sanction's authority: its part comes after every unit's
    tree.resolve("art/3")
    tree.take()
    assert sorted(tree.settled()) == [iri("art/1/para/1/item/1"), iri("art/1/para/2")]
    assert tree.settled() == []


def test_nothing_is_settled_while_provisions_reached_by_a_lookup_are_not_stated():
    """A lookup that reads on reaches a top-level provision and may let go of it at once; its nodes
    are stated after (their parts name their parents), so they are settled only once taken."""
    tree = ReachedTree(make_document().provisions, INSTRUMENT)
    tree.resolve("art/3")
    assert tree.settled() == []
    tree.take()
    assert iri("art/1/para/1") in tree.settled()
