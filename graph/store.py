"""The store contract every backend honours (embedded pyoxigraph folder, remote SPARQL endpoint).

`open_store(location)` picks the backend: an http(s):// URL is a SPARQL 1.1 endpoint (Protocol +
Graph Store Protocol), anything else is a folder holding an embedded pyoxigraph store.

Queries always see the union of all named graphs as their default graph, and results come back as
pyoxigraph objects (QuerySolutions, QueryBoolean, QueryTriples) whatever the backend, so callers
never care where the data lives.
"""
from __future__ import annotations

import contextlib
import fcntl
import io
import math
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from pathlib import Path
from typing import IO, Protocol

import pyoxigraph as ox

from dutygraph.errors import DutygraphError
from dutygraph.graph.ids import ID, NS, PREFIXES
from dutygraph.graph.nquads import NQuadsStream, opened

CHECKSUM_QUERY = "SELECT ?checksum WHERE {{ GRAPH <{graph}> {{ <{graph}> <" + NS + "checksum> ?checksum }} }}"


class Store(Protocol):
    location: str

    def query(self, sparql: str, *, default_graphs: list[str] | None = None,
              ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a SPARQL 1.1 query; default graph = union of all named graphs, or of `default_graphs`."""

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 update."""

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad], checksum: str) -> None:
        """Replace named graph `graph` with `quads`; readers never see half of it, and a stream
        that fails half-way leaves the previous graph as it was."""

    def add_graphs(self, graphs: list[tuple[str, Iterable[ox.Quad], str]]) -> None:
        """Load (graph, quads, checksum) for graphs not in the store yet: readers see each graph
        whole or not at all. `quads` is read once, as a stream."""

    def load_graph(self, graph: str, ntriples: bytes | IO[bytes], checksum: str, *, new: bool) -> None:
        """`graph` made of the N-Triples `ntriples` (bytes, or a file read once) and its checksum:
        added when `new` (not in the store yet), else replacing the graph; readers see it whole or
        not at all, and N-Triples the store refuses leave the graph as it was. Ingest's workers
        hand each document over serialised: none of its triples becomes an object on the way."""

    def load_graphs(self, graphs: list[tuple[str, bytes | Path, str, bool]]) -> dict[str, DutygraphError]:
        """Several documents at once, each (graph, its N-Triples or the file holding them, checksum,
        new), each as `load_graph` would write it: the graphs refused, with why; the others are in.
        A backend may write them together where that is cheaper (the embedded store's bulk loader)."""

    def graph_checksum(self, graph: str) -> str | None:
        """The source checksum recorded when `graph` was last loaded, or None if absent."""

    def batch_bytes(self) -> int:
        """Bytes of N-Triples worth gathering for one load_graphs; 0: hand each document over as it comes."""

    def settle(self) -> None:
        """After a large write: make what it wrote as fast to read as the rest (a server sees to
        that itself)."""

    def dump(self, format: ox.RdfFormat) -> bytes:
        """Serialise the whole store (quads for dataset formats, union triples otherwise)."""

    def close(self) -> None: ...


MEMORY = ":memory:"
DOC_PREFIX = ID + "doc/"
# A graph of more quads than this is written in transactions of this many, under the write lock:
# one transaction holds its writes in memory (≈ 1.4 KB a quad in RocksDB), so a whole large
# document in one would make ingest memory grow with the document.
CHUNK_QUADS = 50_000
# Held exclusively while a graph is written in several transactions, shared while a read-only view
# opens: a view is a snapshot of the moment it opened, so it never holds half of such a graph.
WRITE_LOCK = "dutygraph-write.lock"
READERS_TURN_SECONDS = 0.05
# Oxigraph's bulk loader writes sorted files that RocksDB takes in whole (≈ 16–24 CPU-µs a quad
# against 35–45 for a transaction), but each call costs ≈ 50 ms of its own (it sets up tables for a
# million quads): one document at a time it is no cheaper than transactions (150 corpus documents,
# ≈ 2,100 quads each), in batches of ≈ 50 of them it is about half (bench/store_write.py). Its files
# then need compacting (EmbeddedStore.settle), which rewrites the whole store: so a store takes the
# bulk loader only once it has been given at least COMPACTION_SHARE of what its folder held when
# opened, and only for batches of BULK_FROM_BYTES of N-Triples or more (a caller gathers documents
# up to BATCH_BYTES per load_graphs); other writes are one transaction per document. A document
# of LARGE_DOCUMENT_BYTES of N-Triples or more takes the bulk loader whatever the store holds: in
# transactions, RocksDB's memtables would hold all of it until the store is closed (≈ 0.9 KB a quad,
# ≈ 850 MB for an 8 MB law), and flushing them as they fill made concurrent read-only views abort
# (3 of 9 runs of tests/graph/test_ingest_readers.py), while the loader holds BULK_QUADS at a time.
#
# The share is a quarter, so a new store, or one given a large part of what it holds, takes the
# loader for batches of documents. Measured on the whole corpus (3,468 laws, 6.66 M quads) against
# transactions, one session: the ingest 210 s against 263 s plus the memtables' flush at close,
# the writer's peak memory 419 MB against 2.2 GB (transactions keep quads in RocksDB's memtables),
# 2.3 GB on disk against 3.5 GB, and the analysts' queries answered in 0.78x the time. That holds
# once the store is compacted after every write of the ingest (graph/ingest.py): compacted before
# its closing steps' writes, a store of 1,000 laws answered 1.24x slower than one written in
# transactions (1.05x compacted after them). Small ingests into a large store stay in transactions:
# the compaction rewrites the whole store.
BATCH_BYTES = 32 << 20
LARGE_DOCUMENT_BYTES = 32 << 20
BULK_FROM_BYTES = 2 << 20
COMPACTION_SHARE = 0.25
# Quads per bulk-loader call: what the loader holds in memory at once (≈ 0.75 KB a quad), whatever the
# documents. Measured on an 8 MB law's 913,000 quads: 200,000 a call took the ingest's peak from the
# extraction's 348 MB to 424 MB, 50,000 stayed under it, and the load took as long (16–17 s). On
# 300 corpus laws through the N-Quads stream, 200,000 a call (batches of 64 MB) took 0.84x the CPU of
# 50,000 but 1.10x the wall, at 2.3x the writer's memory (farm-bench, four pairs).
BULK_QUADS = 50_000


def open_store(location: str, *, read_only: bool = False) -> Store:
    """A folder (embedded), `:memory:` (embedded, nothing on disk) or an http(s):// SPARQL endpoint."""
    if location.startswith(("http://", "https://")):
        from dutygraph.graph.remote import RemoteStore

        return RemoteStore(location)
    return EmbeddedStore(location, read_only=read_only)


@contextlib.contextmanager
def write_lock(folder: str, *, shared: bool, wait: bool = True) -> Iterator[bool]:
    """The store folder's write lock (see WRITE_LOCK): yields whether it is held. A folder without
    the lock file was never written by a version that writes in several transactions: nothing to
    wait for. With `wait=False`, a lock held by the other side yields False at once."""
    path = Path(folder) / WRITE_LOCK
    try:
        handle = open(path, "rb" if shared else "ab")  # noqa: SIM115 — held for the with-block
    except FileNotFoundError:
        yield True
        return
    with handle:
        try:
            fcntl.flock(handle, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def open_read_only(folder: str, *, wait: bool = True) -> ox.Store | None:
    """A read-only view of a store folder, never opened while a graph is half-written; None when
    `wait` is False and a graph is being written."""
    with write_lock(folder, shared=True, wait=wait) as held:
        return ox.Store.read_only(folder) if held else None


def checksum_triple(graph: str, checksum: str) -> ox.Quad:
    """Where the source checksum lives: on the instrument, inside its own graph."""
    return ox.Quad(ox.NamedNode(graph), ox.NamedNode(NS + "checksum"), ox.Literal(checksum), ox.NamedNode(graph))


def graph_body(graph: str, quads: Iterable[ox.Quad], checksum: str) -> Iterator[ox.Triple]:
    """The graph's triples and its checksum triple, streamed (a triple given twice is one in the graph)."""
    target = ox.NamedNode(graph)
    yield from (quad.triple for quad in quads if quad.graph_name == target)
    yield checksum_triple(graph, checksum).triple


@contextlib.contextmanager
def spool_triples(graph: str, quads: Iterable[ox.Quad]) -> Iterator[IO[bytes]]:
    """The graph's triples as N-Triples in a temporary file, rewound: a stream that fails half-way
    fails here, before the store is touched, and no step holds the graph in memory."""
    target = ox.NamedNode(graph)
    with tempfile.TemporaryFile() as spool:
        ox.serialize((quad.triple for quad in quads if quad.graph_name == target), spool,
                     format=ox.RdfFormat.N_TRIPLES)
        spool.seek(0)
        yield spool


def checksum_line(graph: str, checksum: str) -> bytes:
    return ox.serialize([checksum_triple(graph, checksum).triple], format=ox.RdfFormat.N_TRIPLES)


def with_checksum(graph: str, ntriples: bytes, checksum: str) -> bytes:
    """The graph's N-Triples and its checksum triple."""
    return ntriples + checksum_line(graph, checksum)


def source_size(ntriples: bytes | Path) -> int:
    return len(ntriples) if isinstance(ntriples, bytes) else ntriples.stat().st_size


def parse_through(ntriples: bytes | IO[bytes]) -> None:
    """Raises SyntaxError (or ValueError) where the N-Triples are refused; reads them to the end."""
    for _ in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
        pass


def load_each(store: Store, graphs: list[tuple[str, bytes | Path, str, bool]]) -> dict[str, DutygraphError]:
    """Store.load_graphs one document after the other."""
    refused = {}
    for graph, ntriples, checksum, new in graphs:
        try:
            with opened(ntriples) as source:
                store.load_graph(graph, source, checksum, new=new)
        except DutygraphError as error:
            refused[graph] = error
    return refused


def named_graphs(store: Store) -> list[str]:
    """IRIs of the named graphs dutygraph wrote (each records its checksum), sorted; any backend.

    Graphs a server keeps for itself (Virtuoso's virtrdf:) are no part of the dataset."""
    return sorted(row["g"].value for row in store.query(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g <" + NS + "checksum> ?checksum } }"))


def first_value(results: ox.QuerySolutions) -> str | None:
    for solution in results:
        return solution[0].value
    return None


def union_triples(store: Store) -> ox.QueryTriples:
    return store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def serialize_store(store: Store, quads: Iterable[ox.Quad], format: ox.RdfFormat) -> bytes:
    """Dataset formats get every quad; triple formats get the union of all graphs."""
    if format.supports_datasets:
        return ox.serialize(quads, format=format, prefixes=PREFIXES)
    return ox.serialize(union_triples(store), format=format, prefixes=PREFIXES)


class EmbeddedStore:
    """A pyoxigraph store in a folder: a document is one transaction, a large one or a batch of them
    (load_graphs) goes in under the folder's write lock, its checksum last."""

    def __init__(self, location: str, *, read_only: bool = False):
        self.location = location
        self._read_only = read_only
        self._bulk_loaded = False
        self._given = 0  # bytes of N-Triples handed to load_graphs
        self._held = 0  # bytes in the folder when opened
        if read_only and location != MEMORY and not (Path(location) / "CURRENT").is_file():
            # Reading never creates a store; say what makes one instead of the engine's IO error.
            raise DutygraphError("DG-G007", location, f"e.g. dutygraph ingest samples/seeds --store {location}")
        try:
            if location == MEMORY:
                self._store = ox.Store()
            elif read_only:
                self._store = open_read_only(location)
            else:
                Path(location).mkdir(parents=True, exist_ok=True)
                self._held = sum(entry.stat().st_size for entry in os.scandir(location) if entry.is_file())
                self._store = ox.Store(location)
                # Created before any write, so a reader opening later always finds a lock to honour.
                (Path(location) / WRITE_LOCK).touch()
                self._drop_incomplete_graphs()
        except OSError as error:
            raise DutygraphError("DG-G001", location, str(error)) from error

    def query(self, sparql: str, *, default_graphs: list[str] | None = None):
        scope = ({"default_graph": [ox.NamedNode(graph) for graph in default_graphs]} if default_graphs
                 else {"use_default_graph_as_union": True})
        try:
            return self._store.query(sparql, **scope)
        except SyntaxError as error:
            raise DutygraphError("DG-G002", self.location, str(error)) from error

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
        except SyntaxError as error:
            raise DutygraphError("DG-G002", self.location, str(error)) from error

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad], checksum: str) -> None:
        with spool_triples(graph, quads) as spool:
            self._write_graph(graph, spool, checksum, replace=True)

    def add_graphs(self, graphs: list[tuple[str, Iterable[ox.Quad], str]]) -> None:
        for graph, quads, checksum in graphs:
            with spool_triples(graph, quads) as spool:
                self._write_graph(graph, spool, checksum, replace=False)

    def load_graph(self, graph: str, ntriples: bytes | IO[bytes], checksum: str, *, new: bool) -> None:
        source = io.BytesIO(ntriples) if isinstance(ntriples, bytes) else ntriples
        try:
            self._write_graph(graph, source, checksum, replace=not new)
        except (SyntaxError, ValueError) as error:
            raise DutygraphError("DG-G005", graph, str(error)) from error

    def load_graphs(self, graphs: list[tuple[str, bytes | Path, str, bool]]) -> dict[str, DutygraphError]:
        sizes = [source_size(ntriples) for _, ntriples, _, _ in graphs]
        self._given += sum(sizes)
        if not self._takes_bulk_loader(sizes):
            return load_each(self, graphs)
        # The bulk loader is no transaction: the write lock keeps read-only views from opening
        # during it (a view is a snapshot of the moment it opened), and each checksum is written
        # last, so a graph cut off by a crash is dropped when the store is next opened.
        with write_lock(self.location, shared=False):
            refused = self._bulk_write(graphs)
        self._bulk_loaded = True
        time.sleep(READERS_TURN_SECONDS)
        return refused

    def _takes_bulk_loader(self, sizes: list[int]) -> bool:
        if self.location == MEMORY or not sizes or sum(sizes) < BULK_FROM_BYTES:
            return False
        if max(sizes) >= LARGE_DOCUMENT_BYTES:
            return True
        return self._reaches_share(0)

    def batch_bytes(self) -> int:
        # only batches the bulk loader may take are worth waiting for: gathering documents for
        # transactions would only keep the writer idle while the workers fill the batch. So a store
        # asks for batches only when a full one is large enough for the loader, and, holding much,
        # once one more would bring its share (asked again after each write)
        takes_loader = self.location != MEMORY and BATCH_BYTES >= BULK_FROM_BYTES
        return BATCH_BYTES if takes_loader and self._reaches_share(BATCH_BYTES) else 0

    def _reaches_share(self, more: int) -> bool:
        """Whether what load_graphs was given, and `more` bytes, reach COMPACTION_SHARE of what the
        folder held when opened. Compared only when finite: an infinite share times an empty folder's
        0 bytes is NaN, and a comparison with NaN sent every new store's documents of 2 MB or more to
        the loader."""
        return COMPACTION_SHARE < math.inf and self._given + more >= COMPACTION_SHARE * self._held

    def settle(self) -> None:
        """Until the bulk loader's files are compacted, reading the store takes twice as long (the
        SPARQL validation of 150 corpus documents: 9.4 s after transactions, 20–25 s after bulk
        loads, 9.6 s after compaction, which cost 2.2 CPU-s; the files compaction writes carry the
        column families' bloom filters and prefix extractors). Called after an ingest's last write:
        files written after it slow every lookup again (graph/ingest.py). Compaction is what RocksDB does in the
        background all the time (a served view whose files it removes reopens, api/workers.py), so
        readers are not kept out for it."""
        if self._bulk_loaded:
            self._store.optimize()
            self._bulk_loaded = False

    def _bulk_write(self, graphs: list[tuple[str, bytes | Path, str, bool]]) -> dict[str, DutygraphError]:
        refused = {}
        for graph, ntriples, _, new in graphs:
            if not new:  # checked whole before its old graph goes
                with opened(ntriples) as source:
                    try:
                        parse_through(source)
                    except (SyntaxError, ValueError) as error:
                        refused[graph] = DutygraphError("DG-G005", graph, str(error))
        kept = [entry for entry in graphs if entry[0] not in refused]
        for graph, _, _, new in kept:
            if not new:
                self._drop_in_chunks(graph)
        parsing: list[str] = []
        try:
            self._bulk_load(kept, parsing)
        except (SyntaxError, ValueError) as error:
            # A new document's N-Triples refused (ingest's own never are): what got in of the batch
            # has no checksum yet; drop it and load the others again without that one.
            for graph, *_ in kept:
                self._drop_in_chunks(graph)
            refused[parsing[-1]] = DutygraphError("DG-G005", parsing[-1], str(error))
            return refused | self._bulk_write([(graph, ntriples, checksum, True)
                                               for graph, ntriples, checksum, _ in kept if graph != parsing[-1]])
        self._store.extend(checksum_triple(graph, checksum) for graph, _, checksum, _ in kept)
        return refused

    def _bulk_load(self, graphs: list[tuple[str, bytes | Path, str, bool]], parsing: list[str]) -> None:
        """The graphs' triples through the bulk loader: as one N-Quads stream the loader parses
        itself, or, where that stream is withdrawn, quad by quad; `parsing` ends with the graph
        being read when the N-Triples are refused."""
        if not self._bulk_load_as_nquads(graphs):
            self._bulk_load_quad_by_quad(graphs, parsing)

    def _bulk_load_as_nquads(self, graphs: list[tuple[str, bytes | Path, str, bool]]) -> bool:
        """Whether the graphs went in as one N-Quads stream (graph/nquads.py); if not, none of them
        is left in the store. Quad by quad, Python makes a pyoxigraph object of every quad: against
        that, the stream took the whole corpus's ingest to 0.95x the wall, 0.97x the CPU (two
        pairs; docs/scaling.md)."""
        default = ox.DefaultGraph()
        if any(self._store.quads_for_pattern(None, None, None, default)):
            return False  # a line the stream could not rewrite would be lost among these
        stream = NQuadsStream([(graph, ntriples) for graph, ntriples, _, _ in graphs], BULK_QUADS)
        with contextlib.suppress(SyntaxError, ValueError):
            while stream.next_part():
                self._store.bulk_load(stream, format=ox.RdfFormat.N_QUADS)
            if not stream.refused and not any(self._store.quads_for_pattern(None, None, None, default)):
                return True
        for graph, *_ in graphs:
            self._drop_in_chunks(graph)
        self._store.update("DROP SILENT DEFAULT")
        return False

    def _bulk_load_quad_by_quad(self, graphs: list[tuple[str, bytes | Path, str, bool]], parsing: list[str]) -> None:
        """BULK_QUADS at a time, each document's blank nodes its own."""
        def quads() -> Iterator[ox.Quad]:
            for graph, ntriples, _, _ in graphs:
                parsing.append(graph)
                target = ox.NamedNode(graph)
                with opened(ntriples) as source:
                    # each document's blank nodes its own, as Store.load makes them
                    for triple in ox.parse(source, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=True):
                        yield ox.Quad(triple.subject, triple.predicate, triple.object, target)

        stream = quads()
        while (first := next(stream, None)) is not None:
            self._store.bulk_extend(chain([first], islice(stream, BULK_QUADS - 1)))

    def _write_graph(self, graph: str, source: IO[bytes], checksum: str, *, replace: bool) -> None:
        """N-Triples lines from `source`, then the checksum triple: in one transaction when they
        fit in one chunk, else chunk by chunk under the write lock, the checksum last, so a graph
        cut off by a crash has none and is dropped when the store is next opened."""
        first = list(islice(source, CHUNK_QUADS))
        more = source.readline()
        tail = checksum_line(graph, checksum)
        target = ox.NamedNode(graph)
        if not more:
            body = b"".join(first) + tail
            if replace:  # DROP and INSERT DATA in one update string: Oxigraph applies it as one transaction
                self._store.update(f"DROP SILENT GRAPH <{graph}> ; INSERT DATA {{ GRAPH <{graph}> {{ {body.decode()} }} }}")
            else:
                self._store.load(body, format=ox.RdfFormat.N_TRIPLES, to_graph=target)
            return
        # Checked whole before the first write: N-Triples refused half-way would leave half a graph.
        position = source.tell()
        parse_through(b"".join(first) + more)
        parse_through(source)
        source.seek(position)
        with contextlib.nullcontext() if self.location == MEMORY else write_lock(self.location, shared=False):
            if replace:
                self._drop_in_chunks(graph)
            chunk, ahead = first, [more]
            while chunk:
                self._store.load(b"".join(chunk), format=ox.RdfFormat.N_TRIPLES, to_graph=target)
                chunk, ahead = ahead + list(islice(source, CHUNK_QUADS - len(ahead))), []
            self._store.load(tail, format=ox.RdfFormat.N_TRIPLES, to_graph=target)
        # flock is no queue: a writer taking the lock again at once for its next large graph kept
        # waiting readers out until the whole ingest ended (measured). A pause lets them open.
        time.sleep(READERS_TURN_SECONDS)

    def _drop_in_chunks(self, graph: str) -> None:
        """DROP GRAPH is one transaction holding every deletion in memory: delete a chunk at a time."""
        chunk = (f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ "
                 f"{{ SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} LIMIT {CHUNK_QUADS} }} }}")
        target = ox.NamedNode(graph)
        while any(self._store.quads_for_pattern(None, None, None, target)):
            self._store.update(chunk)
        self._store.update(f"DROP SILENT GRAPH <{graph}>")

    def graph_checksum(self, graph: str) -> str | None:
        return first_value(self.query(CHECKSUM_QUERY.format(graph=graph)))

    def dump(self, format: ox.RdfFormat) -> bytes:
        return serialize_store(self, self._store, format)

    def _drop_incomplete_graphs(self) -> None:
        """Instrument graphs whose checksum never got written: leftovers of a large graph written in
        chunks, or of a bulk-loaded batch, when the writer was killed."""
        checksum = ox.NamedNode(NS + "checksum")
        for graph in list(self._store.named_graphs()):
            if graph.value.startswith(DOC_PREFIX) and not any(
                    self._store.quads_for_pattern(graph, checksum, None, graph)):
                self._store.remove_graph(graph)

    def load(self, path: str | None = None, *, data: bytes | None = None,
             format: ox.RdfFormat | None = None) -> None:
        """Add an RDF file (format from its extension) or bytes as they are; triples go to the default graph."""
        if data is not None:
            self._store.load(data, format=format)
        else:
            self._store.load(path=path, format=format)

    def close(self) -> None:
        """Flush and let go of the folder (RocksDB's lock goes with the last reference)."""
        if not self._read_only and self.location != MEMORY:
            self._store.flush()
        del self._store
