"""One contract, three backends: every test runs on the embedded store, a real Oxigraph server and a real Virtuoso."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from dutygraph.errors import DutygraphError
from dutygraph.graph import ids
from dutygraph.graph.ingest import ingest_paths
from dutygraph.graph.rdf import build_graph
from dutygraph.graph.store import named_graphs
from tests.graph.fixtures import TEXT, edited_document, make_document, make_units
from tests.graph.rdfcompare import graphs_of, isomorphic_datasets, quads_of_graph

DOC = make_document()
GRAPH = ids.instrument_iri("900_example")
EX = "https://example.org/"


def quad(s: str, o: str, graph: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal(o), ox.NamedNode(graph))


def test_replace_graph_records_checksum_and_absent_graph_has_none(store):
    assert store.graph_checksum(GRAPH) is None
    store.replace_graph(GRAPH, build_graph(DOC, make_units()), DOC.source.checksum)
    assert store.graph_checksum(GRAPH) == DOC.source.checksum


def test_default_graph_is_union_of_named_graphs(store):
    store.replace_graph(EX + "g1", [quad("a", "1", EX + "g1")], "c1")
    store.replace_graph(EX + "g2", [quad("b", "2", EX + "g2")], "c2")
    rows = store.query(f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?o")
    assert isinstance(rows, ox.QuerySolutions)
    assert [(row["s"].value, row["o"].value) for row in rows] == [(EX + "a", "1"), (EX + "b", "2")]


def test_ask_and_construct_return_pyoxigraph_objects(store):
    store.replace_graph(EX + "g1", [quad("a", "1", EX + "g1")], "c1")
    answer = store.query(f"ASK {{ <{EX}a> <{EX}p> \"1\" }}")
    assert isinstance(answer, ox.QueryBoolean) and bool(answer)
    triples = store.query(f"CONSTRUCT {{ ?s <{EX}q> ?o }} WHERE {{ ?s <{EX}p> ?o }}")
    assert isinstance(triples, ox.QueryTriples)
    assert [t.predicate.value for t in triples] == [EX + "q"]


def test_replace_graph_replaces_only_that_graph(store):
    store.replace_graph(EX + "g1", [quad("a", "1", EX + "g1")], "c1")
    store.replace_graph(EX + "g2", [quad("b", "2", EX + "g2")], "c2")
    store.replace_graph(EX + "g1", [quad("a", "new", EX + "g1")], "c3")
    values = {row["o"].value for row in store.query(f"SELECT ?o WHERE {{ ?s <{EX}p> ?o }}")}
    assert values == {"new", "2"}
    assert store.graph_checksum(EX + "g1") == "c3"
    assert named_graphs(store) == [EX + "g1", EX + "g2"]


def test_failed_replace_leaves_previous_graph_untouched(store):
    store.replace_graph(EX + "g1", [quad("a", "1", EX + "g1")], "c1")

    def broken_quads():
        yield quad("a", "half", EX + "g1")
        raise RuntimeError("extraction crashed half-way")

    with pytest.raises(RuntimeError):
        store.replace_graph(EX + "g1", broken_quads(), "c2")
    assert {row["o"].value for row in store.query(f"SELECT ?o WHERE {{ ?s <{EX}p> ?o }}")} == {"1"}
    assert store.graph_checksum(EX + "g1") == "c1"


def test_invalid_query_is_a_coded_error(store):
    with pytest.raises(DutygraphError) as caught:
        store.query("SELECT WHERE nonsense")
    assert caught.value.code == "DG-G002"


def test_nquads_dump_round_trips(store):
    quads = build_graph(DOC, make_units())
    store.replace_graph(GRAPH, quads, DOC.source.checksum)
    expected = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert isomorphic_datasets(store.dump(ox.RdfFormat.N_QUADS), expected)


def test_triple_formats_dump_the_union(store):
    store.replace_graph(EX + "g1", [quad("a", "1", EX + "g1")], "c1")
    store.replace_graph(EX + "g2", [quad("b", "2", EX + "g2")], "c2")
    triples = set(ox.parse(store.dump(ox.RdfFormat.TURTLE), format=ox.RdfFormat.TURTLE))
    subjects = {t.subject.value for t in triples if t.predicate.value == EX + "p"}
    assert subjects == {EX + "a", EX + "b"}


def write(folder, name: str, text: str):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reingest_unchanged_file_is_skipped_and_changes_nothing(store, tmp_path, fake_extract):
    write(tmp_path / "in", "900_example.txt", TEXT)
    write(tmp_path / "in", "901_other.txt", TEXT + "\n")
    first = ingest_paths([tmp_path / "in"], store)
    assert sorted(first.added) == ["900_example.txt", "901_other.txt"] and first.ok
    before = store.dump(ox.RdfFormat.N_QUADS)
    second = ingest_paths([tmp_path / "in"], store)
    assert sorted(second.skipped) == ["900_example.txt", "901_other.txt"] and not second.added
    assert isomorphic_datasets(store.dump(ox.RdfFormat.N_QUADS), before)


def test_edited_copy_replaces_exactly_its_instrument(store, tmp_path, fake_extract):
    write(tmp_path / "in", "900_example.txt", TEXT)
    write(tmp_path / "in", "901_other.txt", TEXT + "\n")
    ingest_paths([tmp_path / "in"], store)
    other = ids.instrument_iri("901_other")
    other_before = quads_of_graph(store, other)
    edited = edited_document()
    write(tmp_path / "edited", "900_example.txt", edited.text)
    report = ingest_paths([tmp_path / "edited"], store)
    assert report.replaced == ["900_example.txt"]
    assert store.graph_checksum(GRAPH) == edited.source.checksum
    assert quads_of_graph(store, other) == other_before
    assert quads_of_graph(store, GRAPH) == {q for q in build_graph(edited, make_units())}


def test_same_name_in_two_folders(store, tmp_path, fake_extract):
    write(tmp_path / "a", "900_example.txt", TEXT)
    write(tmp_path / "b", "900_example.txt", TEXT)
    write(tmp_path / "c", "902_clash.txt", TEXT)
    write(tmp_path / "d", "902_clash.txt", TEXT + "\n")
    report = ingest_paths([tmp_path / "a", tmp_path / "b", tmp_path / "c", tmp_path / "d"], store)
    assert sorted(report.added) == ["900_example.txt", "902_clash.txt", "902_clash.txt"]
    graphs = set(graphs_of(store.dump(ox.RdfFormat.N_QUADS)))
    clash = {g for g in graphs if "/doc/902_clash" in g}
    assert len(clash) == 2 and GRAPH in graphs
    again = ingest_paths([tmp_path / "d", tmp_path / "c"], store)
    assert len(again.skipped) == 2  # the folder decides the identifier, not the order


def test_bad_file_is_reported_and_the_rest_go_on(store, tmp_path, fake_extract, monkeypatch):
    write(tmp_path / "in", "900_example.txt", TEXT)
    write(tmp_path / "in", "903_broken.txt", TEXT)

    def extract(path):
        if "broken" in path.name:
            raise DutygraphError("DG-R002", path.name)
        return fake_extract(path)

    monkeypatch.setattr("dutygraph.graph.ingest.extract_lazily", extract)
    report = ingest_paths([tmp_path / "in"], store)
    assert report.added == ["900_example.txt"] and report.failed == ["903_broken.txt"]
    assert [p.code for p in report.problems] == ["DG-R002"]
    assert ids.instrument_iri("903_broken") not in named_graphs(store)


def test_add_graphs_loads_new_graphs_with_their_checksums(store):
    store.add_graphs([(EX + "g1", [quad("a", "1", EX + "g1")], "c1"),
                      (GRAPH, build_graph(DOC, make_units()), DOC.source.checksum)])
    assert store.graph_checksum(EX + "g1") == "c1"
    assert store.graph_checksum(GRAPH) == DOC.source.checksum
    expected = ox.serialize([*build_graph(DOC, make_units()), quad("a", "1", EX + "g1")], format=ox.RdfFormat.N_QUADS)
    with_checksum = ox.serialize([ox.Quad(ox.NamedNode(EX + "g1"), ox.NamedNode(ids.NS + "checksum"),
                                          ox.Literal("c1"), ox.NamedNode(EX + "g1"))], format=ox.RdfFormat.N_QUADS)
    assert isomorphic_datasets(store.dump(ox.RdfFormat.N_QUADS), expected + with_checksum)


def checksum_quad(graph: str, checksum: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(graph), ox.NamedNode(ids.NS + "checksum"), ox.Literal(checksum), ox.NamedNode(graph))


def test_load_graph_adds_then_replaces_a_graph_from_its_n_triples(store):
    quads = build_graph(DOC, make_units())
    store.load_graph(GRAPH, ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES),
                     DOC.source.checksum, new=True)
    assert store.graph_checksum(GRAPH) == DOC.source.checksum
    expected = ox.serialize([*quads, checksum_quad(GRAPH, DOC.source.checksum)], format=ox.RdfFormat.N_QUADS)
    assert isomorphic_datasets(store.dump(ox.RdfFormat.N_QUADS), expected)
    store.load_graph(GRAPH, ox.serialize([quad("a", "1", GRAPH).triple], format=ox.RdfFormat.N_TRIPLES), "c2",
                     new=False)
    expected = ox.serialize([quad("a", "1", GRAPH), checksum_quad(GRAPH, "c2")], format=ox.RdfFormat.N_QUADS)
    assert isomorphic_datasets(store.dump(ox.RdfFormat.N_QUADS), expected)


def test_load_graph_refused_leaves_the_graph_as_it_was(store):
    store.replace_graph(EX + "g1", [quad("a", "1", EX + "g1")], "c1")
    with pytest.raises(DutygraphError) as caught:
        store.load_graph(EX + "g1", f'<{EX}a> <{EX}p> "2" .\n<{EX}a> <{EX}p> "3"'.encode(), "c2", new=False)
    # the embedded store names the document it could not take; a server's refusal of the PUT is
    # its request's error (400: DG-G002, Virtuoso answers another status: DG-G003)
    assert caught.value.code in {"DG-G005", "DG-G002", "DG-G003"}
    assert {row["o"].value for row in store.query(f"SELECT ?o WHERE {{ ?s <{EX}p> ?o }}")} == {"1"}
    assert store.graph_checksum(EX + "g1") == "c1"


def test_interrupted_bulk_load_is_dropped_when_the_store_opens(tmp_path):
    """A graph whose checksum was never written (crash mid-load) is gone on the next open."""
    from dutygraph.graph.store import open_store

    store = open_store(str(tmp_path / "store"))
    store.add_graphs([(GRAPH, build_graph(DOC, make_units()), DOC.source.checksum)])
    half = ids.instrument_iri("905_half")
    store.update(f"INSERT DATA {{ GRAPH <{half}> {{ <{half}> a <{ids.NS}Instrument> }} }}")
    store.close()
    reopened = open_store(str(tmp_path / "store"))
    assert named_graphs(reopened) == [GRAPH]


def test_query_can_be_scoped_to_some_graphs(store):
    store.replace_graph(EX + "g1", [quad("a", "1", EX + "g1")], "c1")
    store.replace_graph(EX + "g2", [quad("b", "2", EX + "g2")], "c2")
    rows = store.query(f"SELECT ?o WHERE {{ ?s <{EX}p> ?o }}", default_graphs=[EX + "g2"])
    assert [row["o"].value for row in rows] == ["2"]


def test_load_graphs_adds_replaces_and_names_the_refused(store, monkeypatch):
    from dutygraph.graph import store as stores

    monkeypatch.setattr(stores, "BULK_FROM_BYTES", 0)  # the embedded store's bulk path, whatever the size
    monkeypatch.setattr(stores, "COMPACTION_SHARE", 0)
    store.load_graphs([(EX + "g1", ox.serialize([quad("a", "1", EX + "g1").triple], format=ox.RdfFormat.N_TRIPLES),
                        "c1", True)])
    refused = store.load_graphs([
        (EX + "g1", ox.serialize([quad("a", "2", EX + "g1").triple], format=ox.RdfFormat.N_TRIPLES), "c2", False),
        (EX + "g2", f'<{EX}b> <{EX}p> "3"'.encode(), "c3", True)])
    assert list(refused) == [EX + "g2"] and refused[EX + "g2"].code in {"DG-G005", "DG-G002", "DG-G003"}
    assert {row["o"].value for row in store.query(f"SELECT ?o WHERE {{ ?s <{EX}p> ?o }}")} == {"2"}
    assert named_graphs(store) == [EX + "g1"] and store.graph_checksum(EX + "g1") == "c2"
