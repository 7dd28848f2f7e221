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
