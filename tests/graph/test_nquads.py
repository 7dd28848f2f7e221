"""Documents' N-Triples read as one N-Quads stream for the bulk loader (graph/nquads.py), and what
the embedded store does when the stream cannot carry a document: the quads are the ones the
documents hold, each in its own graph, whatever the parts, and nothing lands in the default graph."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dutygraph.graph import nquads
from dutygraph.graph import store as stores
from dutygraph.graph.nquads import NQuadsStream
from dutygraph.graph.store import DOC_PREFIX, EmbeddedStore, named_graphs, open_store

EX = "https://example.org/"
# literals that look like the stream's own delimiters, escaped as N-Triples escape them
VALUES = st.text(alphabet=st.sampled_from(list('ab .\n\r"\\_:<>#质量')), max_size=12)


def document(graph: str, values: list[str]) -> bytes:
    triples = (ox.Triple(ox.NamedNode(f"{graph}/s{n}"), ox.NamedNode(EX + "p"), ox.Literal(value))
               for n, value in enumerate(values))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def parts_of(stream: NQuadsStream, read_size: int) -> list[bytes]:
    parts = []
    while stream.next_part():
        parts.append(b"".join(iter(lambda: stream.read(read_size), b"")))
    return parts


@settings(max_examples=60, deadline=None)
@given(documents=st.lists(st.lists(VALUES, max_size=30), min_size=1, max_size=4),
       part_lines=st.integers(1, 40), read_size=st.sampled_from([1, 7, 4096, -1]), on_disk=st.booleans())
def test_the_stream_carries_every_triple_into_its_document_graph_in_parts_of_bounded_lines(
        tmp_path_factory, documents, part_lines, read_size, on_disk, monkeypatch_module):
    monkeypatch_module.setattr(nquads, "BLOCK_BYTES", 64)  # several blocks a document, cut inside lines
    graphs = []
    for number, values in enumerate(documents):
        graph = f"{DOC_PREFIX}d{number}"
        source: bytes | object = document(graph, values)
        if on_disk:
            path = tmp_path_factory.mktemp("nt") / "doc.nt"
            path.write_bytes(source)
            source = path
        graphs.append((graph, source, values))
    stream = NQuadsStream([(graph, source) for graph, source, _ in graphs], part_lines)
    parts = parts_of(stream, read_size)
    assert all(part.count(b"\n") <= part_lines for part in parts)
    # "_:" in a literal refuses the stream as a blank node would: a cost in speed, never in quads
    assert stream.refused == any("_:" in value for values in documents for value in values)
    if stream.refused:
        return
    quads = {quad for part in parts for quad in ox.parse(part, format=ox.RdfFormat.N_QUADS)}
    assert quads == {ox.Quad(ox.NamedNode(f"{graph}/s{n}"), ox.NamedNode(EX + "p"), ox.Literal(value), ox.NamedNode(graph))
                     for graph, _, values in graphs for n, value in enumerate(values)}


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_a_document_holding_a_blank_node_ends_the_stream_refused():
    graphs = [(DOC_PREFIX + "a", f'<{EX}s> <{EX}p> "1" .\n'.encode()),
              (DOC_PREFIX + "b", f'_:x <{EX}p> "2" .\n'.encode()),
              (DOC_PREFIX + "c", f'<{EX}s> <{EX}p> "3" .\n'.encode())]
    stream = NQuadsStream(graphs, 100)
    parts = parts_of(stream, 4096)
    assert stream.refused
    assert b"_:x" not in b"".join(parts) and b'"3"' not in b"".join(parts)


@pytest.fixture
def bulk_store(tmp_path, monkeypatch):
    """A store whose every batch takes the bulk loader; records whether the N-Quads stream carried it."""
    monkeypatch.setattr(stores, "BULK_FROM_BYTES", 0)
    monkeypatch.setattr(stores, "COMPACTION_SHARE", 0)
    carried: list[bool] = []
    as_nquads = EmbeddedStore._bulk_load_as_nquads

    def recorded(self, graphs):
        carried.append(as_nquads(self, graphs))
        return carried[-1]

    monkeypatch.setattr(EmbeddedStore, "_bulk_load_as_nquads", recorded)
    store = open_store(str(tmp_path / "store"))
    yield store, carried
    store.close()


def graph_quads(store, graph: str) -> set[tuple[str, str, str]]:
    return {(row["s"].value, row["p"].value, row["o"].value)
            for row in store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")}


def test_documents_written_as_ingest_writes_them_go_in_as_one_stream(bulk_store):
    store, carried = bulk_store
    a, b = DOC_PREFIX + "a", DOC_PREFIX + "b"
    assert not store.load_graphs([(a, document(a, ["x", "y"]), "c1", True), (b, document(b, ["z"]), "c1", True)])
    assert carried == [True]
    assert graph_quads(store, b) == {(f"{b}/s0", EX + "p", "z"), (b, stores.NS + "checksum", "c1")}
    assert named_graphs(store) == [a, b]


@pytest.mark.parametrize("lines", [
    f'<{EX}s> <{EX}p> "1" . # a comment after the dot .\n',  # the rewrite lands inside the comment
    f'<{EX}s> <{EX}p> "1" .\r\n',
    f'<{EX}s> <{EX}p> "1".\n',
    f'<{EX}s> <{EX}p> "1" .',  # no newline at the end
], ids=["comment-after-dot", "crlf", "no-space-before-dot", "no-final-newline"])
def test_n_triples_the_stream_cannot_rewrite_go_in_quad_by_quad_and_nothing_stays_in_the_default_graph(bulk_store, lines):
    store, carried = bulk_store
    a, b = DOC_PREFIX + "a", DOC_PREFIX + "b"
    assert not store.load_graphs([(a, document(a, ["x"]), "c1", True), (b, lines.encode(), "c1", True)])
    assert carried == [False]
    assert graph_quads(store, b) == {(EX + "s", EX + "p", "1"), (b, stores.NS + "checksum", "c1")}
    assert graph_quads(store, a) == {(f"{a}/s0", EX + "p", "x"), (a, stores.NS + "checksum", "c1")}
    assert not list(store._store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def test_each_document_keeps_its_own_blank_nodes(bulk_store):
    store, carried = bulk_store
    a, b = DOC_PREFIX + "a", DOC_PREFIX + "b"
    same_label = f'_:x <{EX}p> "1" .\n'.encode()
    assert not store.load_graphs([(a, same_label, "c1", True), (b, same_label, "c1", True)])
    assert carried == [False]
    subjects = {quad.subject for quad in store._store.quads_for_pattern(None, ox.NamedNode(EX + "p"), None, None)}
    assert len(subjects) == 2 and all(isinstance(subject, ox.BlankNode) for subject in subjects)


def test_a_store_with_triples_in_its_default_graph_loads_quad_by_quad(bulk_store):
    store, carried = bulk_store
    store.update(f'INSERT DATA {{ <{EX}s> <{EX}p> "kept" }}')
    a = DOC_PREFIX + "a"
    assert not store.load_graphs([(a, document(a, ["x"]), "c1", True)])
    assert carried == [False]
    assert graph_quads(store, a) == {(f"{a}/s0", EX + "p", "x"), (a, stores.NS + "checksum", "c1")}
    assert [quad.object.value for quad in store._store.quads_for_pattern(None, None, None, ox.DefaultGraph())] == ["kept"]
