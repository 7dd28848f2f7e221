"""Files → extracted units → one named graph per instrument, replaced atomically, skipped when unchanged."""
from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import IO, Protocol

from dutygraph.children import die_with_parent
from dutygraph.errors import DutygraphError
from dutygraph.graph import ids, terms
from dutygraph.graph.incremental import part_violations, write_records
from dutygraph.graph.matrix import refresh_summary
from dutygraph.graph.rdf import graph_parts, instrument_iri
from dutygraph.graph.rows import store_rows
from dutygraph.graph.store import Store
from dutygraph.graph.tree import ReachedTree
from dutygraph.graph.versions import link_versions
from dutygraph.graph.vocabulary import ontology_checksum, ontology_quads
from dutygraph.model import Document, Problem, Provision, SourceText, Unit

# Past this a document is refused: a 20 MB law takes minutes and hundreds of MB (docs/cli.md).
DEFAULT_MAX_BYTES = 20 << 20
SUFFIXES = {".txt", ".md", ".docx", ".html", ".htm"}
IN_FLIGHT_PER_WORKER = 4
SPOOL_LINES = 2_000  # statements written to the spool file at a time (their text is built whole first)
PARALLEL_FROM = 40  # below this many files, starting worker processes (and jieba in each) costs more


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)  # source files, in processing order
    replaced: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    units_by_modality: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)  # errors of failed files and warnings of the rest
    triples: int = 0  # triples written in this run
    validated: dict = field(default_factory=dict)  # graph → (source checksum, violations), see graph/incremental.py

    @property
    def ok(self) -> bool:
        return not self.failed


class Progress(Protocol):
    """What ingest tells a progress display (the CLI's bar): bytes of input built, and its step."""

    def advance(self, size: int) -> None: ...

    def step(self, name: str) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class InputFile:
    path: Path
    checksum: str
    stem: str


def ingest_paths(paths: Sequence[str | Path], store: Store, *,
                 progress: Callable[[int], Progress] | None = None,
                 workers: int | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                 scheduler: str | None = None) -> IngestReport:
    """Ingest files and folders (recursively); a bad file is reported and the rest go on.

    Extraction runs in `workers` processes (default: one per CPU for large batches), or on the
    workers of the Dask scheduler at `scheduler` (tcp://HOST:PORT). A changed document replaces its
    graph and a new one is added, documents gathered into batches as the store asks
    (Store.batch_bytes, Store.load_graphs), so that readers see a document whole or not at all; the
    store is then settled (Store.settle). Each document's triples wait in an N-Triples file that the
    store parses itself, so no step holds them as RDF objects, nor the graph in memory between
    extraction and the store.
    A file that is not a regular file, of no kind the reader takes, or over `max_bytes` fails
    without a byte of it read. `progress(total bytes to build)` makes the display told of the work.
    """
    report = IngestReport()
    files = []
    for path in collect_files(paths):
        problem = refusal(path, max_bytes)
        if problem is None:
            files.append(path)
        else:
            report.failed.append(path.name)
            report.problems.append(problem)
    files = plan_inputs(files)
    load_ontology(store)
    previous = {item: store.graph_checksum(ids.instrument_iri(item.stem)) for item in files}
    todo = []
    for item in files:
        if item.checksum and previous[item] == item.checksum:
            report.skipped.append(item.path.name)
        else:
            todo.append(item)
    meter = Meter(todo, progress)
    try:
        results = zip(todo, build_all(todo, workers, scheduler, meter.within), strict=True)
        batch: list[tuple[InputFile, Built, bool]] = []
        waiting, batch_bytes = 0, store.batch_bytes()  # bytes of N-Triples in the batch, and wanted in one
        for item, built in results:
            meter.built(item)
            batch.append((item, built, previous[item] is None))
            waiting += built.size
            if waiting >= batch_bytes:
                meter.writing(lambda batch=batch: store_batch(batch, store, report))
                batch, waiting, batch_bytes = [], 0, store.batch_bytes()
        meter.writing(lambda: store_batch(batch, store, report))
        meter.step("closing")
        rows = store_rows(store)
        link_versions(store, rows)
        write_records(store, report.validated)
        refresh_summary(store, rows)
        # after the closing steps' writes: compacted before them, the bulk-loaded store they left
        # answered the analysts' queries 1.24x slower than one written in transactions (1,000
        # corpus laws), against 1.05x compacted after them, the ingest no slower for it
        store.settle()
    finally:
        meter.close()
    return report


class Meter:
    """Bytes of input built, told to a progress display (none: nothing is told). A document built in
    this process tells its share as its units pass, so one large file does not sit at 0 % for
    minutes; one built in a worker tells it whole when it arrives."""

    def __init__(self, items: list[InputFile], progress: Callable[[int], Progress] | None):
        self.sizes = {item: input_size(item.path) for item in items}
        self.shown = progress(sum(self.sizes.values())) if progress is not None else None
        self.told: dict[InputFile, int] = {}
        self.step("extracting")

    def within(self, item: InputFile) -> Callable[[float], None] | None:
        """What the build of `item` calls with the share of its text read so far."""
        if self.shown is None:
            return None
        return lambda share: self._reach(item, int(self.sizes[item] * min(share, 1.0)))

    def built(self, item: InputFile) -> None:
        self._reach(item, self.sizes[item])
        self.told.pop(item, None)

    def writing(self, write: Callable[[], None]) -> None:
        self.step("writing")
        write()
        self.step("extracting")

    def step(self, name: str) -> None:
        if self.shown is not None:
            self.shown.step(name)

    def close(self) -> None:
        if self.shown is not None:
            self.shown.close()

    def _reach(self, item: InputFile, size: int) -> None:
        told = self.told.get(item, 0)
        if self.shown is not None and size > told:
            self.shown.advance(size - told)
            self.told[item] = size


def input_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # read_file reports the unreadable file with its own code


def collect_files(paths: Sequence[str | Path]) -> list[Path]:
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES))
        else:
            found.append(path)
    if not found:
        raise DutygraphError("DG-C001", "-", ", ".join(map(str, paths)))
    return found


def refusal(path: Path, max_bytes: int) -> Problem | None:
    """Why `path` must not be read at all, or None (a missing file is read_file's to report)."""
    from dutygraph.extract.read import format_of

    try:
        info = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return Problem("DG-R005", path.name, "not a regular file")
    try:
        format_of(path.name)
    except DutygraphError as error:
        return error.problem
    if info.st_size > max_bytes:
        return Problem("DG-R008", path.name, f"{info.st_size} bytes; the limit is {max_bytes}")
    return None


def plan_inputs(files: list[Path]) -> list[InputFile]:
    """Checksums and stems; one base name with different contents gets folder-based stems."""
    checksums = {path: file_checksum(path) for path in files}
    by_name: dict[str, set[str]] = defaultdict(set)
    for path, checksum in checksums.items():
        by_name[path.name].add(checksum)
    planned, seen = [], set()
    for path, checksum in checksums.items():
        if (path.name, checksum) in seen:
            continue  # the same file reached twice (two folders, or listed twice): one instrument
        seen.add((path.name, checksum))
        clash = len(by_name[path.name]) > 1
        stem = ids.disambiguated_stem(path.name, str(path.parent)) if clash else ids.stem_of(path.name)
        planned.append(InputFile(path, checksum, stem))
    return planned


def file_checksum(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""  # read_file reports the unreadable file with its own code


def load_ontology(store: Store) -> None:
    checksum = ontology_checksum()
    if store.graph_checksum(ids.ONTOLOGY_GRAPH) != checksum:
        store.replace_graph(ids.ONTOLOGY_GRAPH, ontology_quads(), checksum)


@dataclass(frozen=True)
class Built:
    """One file after extraction (in a worker): its triples and what the report needs, or its error.

    The triples wait as N-Triples in a file (`spool`) that the ingest removes once it has stored
    them: a worker hands over a path, and the store parses them itself (Store.load_graph).
    """
    spool: str = ""
    triples: int = 0
    checksum: str = ""
    modalities: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    error: Problem | None = None
    violations: tuple = ()  # SHACL findings of this document's graph (graph/incremental.py)

    @property
    def size(self) -> int:
        """Bytes of N-Triples waiting in the spool."""
        return Path(self.spool).stat().st_size if self.spool else 0

    def discard(self) -> None:
        if self.spool:
            Path(self.spool).unlink(missing_ok=True)


def build_all(items: list[InputFile], workers: int | None, scheduler: str | None = None,
              within: Callable[[InputFile], Callable[[float], None] | None] | None = None) -> Iterator[Built]:
    """Built files in input order, extracted in parallel processes when it pays off. `within(item)`:
    what a build in this process tells of its progress (Meter.within)."""
    if scheduler:
        from dutygraph.graph.cluster import build_on_cluster  # imports distributed only when asked

        yield from build_on_cluster(items, scheduler)
        return
    if workers is None:
        workers = (os.cpu_count() or 1) if len(items) >= PARALLEL_FROM else 1
    if workers <= 1:
        for item in items:
            yield build_file(item, reached=within(item) if within is not None else None)
        return
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        # A bounded window of files in flight: workers stay busy while this process writes,
        # and finished graphs never pile up in memory when the store is the slower side.
        pending: deque[Future[Built]] = deque()
        for item in items:
            pending.append(pool.submit(build_file, item))
            if len(pending) >= IN_FLIGHT_PER_WORKER * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def build_file(item: InputFile, data: bytes | None = None, reached: Callable[[float], None] | None = None) -> Built:
    """`data`: the file's bytes when they were shipped to a machine that cannot read `item.path`;
    `reached(share)`: told the share of the text read as its units pass."""
    spool = ""
    try:
        reading = extract_lazily(item.path) if data is None else extract_lazily(item.path, data)
        document = reading.document
        # Provisions, units, statements and the SHACL checker's index pass through a part at a time:
        # past the text itself, what stays grows with the document's longest top-level provision, plus
        # a few small records per unit for sanction links and the classes of nodes.
        tree = ReachedTree(reading.provisions, instrument_iri(document, item.stem))
        observed = UnitTally(document, tree, reached)
        units = observed.passing(reading.units_of(tree.top_level()))
        parts = graph_parts(document, units, stem=item.stem, tree=tree)[1]
        with tempfile.NamedTemporaryFile(prefix="dutygraph-", suffix=".nt", delete=False) as out:
            spool = out.name
            spool_writer = SpoolWriter(out)
            violations = part_violations(spool_writer.passing(parts))
    except Exception as error:  # noqa: BLE001 — one broken file must not stop the others
        if spool:
            Path(spool).unlink(missing_ok=True)
        if isinstance(error, DutygraphError):
            return Built(error=error.problem)
        return Built(error=Problem("DG-G005", item.path.name, f"{type(error).__name__}: {error}"))
    problems = document.source.problems + document.problems + reading.problems() + tuple(observed.misplaced)
    return Built(spool, spool_writer.written, document.source.checksum, tuple(observed.modalities),
                 problems, violations=violations)


class UnitTally:
    """What the report needs of a document's units, taken as they pass: modalities, and units whose
    authority is no provision of the document (DG-G101)."""

    def __init__(self, document: Document, tree: ReachedTree, reached: Callable[[float], None] | None = None):
        self.document = document
        self.tree = tree
        self.modalities: list[str] = []
        self.misplaced: list[Problem] = []
        self.reached = reached

    def passing(self, units: Iterable[Unit]) -> Iterator[Unit]:
        length = max(len(self.document.text), 1)
        for unit in units:
            if self.reached is not None:
                self.reached(unit.sentence_span.end / length)
            self.modalities.append(unit.modality)
            if unit.authority and not self.tree.knows(unit.authority):
                self.misplaced.append(Problem("DG-G101", self.document.source.source_file, unit.sentence[:40],
                                              unit.authority))
            yield unit


class SpoolWriter:
    """Parts of statements written to an N-Triples file, SPOOL_LINES at a time, as they pass on to a consumer."""

    def __init__(self, out: IO[bytes]):
        self.out = out
        self.written = 0

    def passing(self, parts: Iterable[terms.Part]) -> Iterator[terms.Part]:
        batch: list[tuple] = []
        for part in parts:
            batch.extend(part)
            if len(batch) >= SPOOL_LINES:
                self._write(batch)
                batch = []
            yield part
        self._write(batch)

    def _write(self, batch: list[tuple]) -> None:
        self.out.write(terms.ntriples(batch))
        self.written += len(batch)


def store_batch(batch: list[tuple[InputFile, Built, bool]], store: Store, report: IngestReport) -> None:
    """(file, built, new) written in one Store.load_graphs, then reported in input order: a new
    document is added, a changed one replaces its graph, and readers see either whole."""
    try:
        refused = store.load_graphs([(ids.instrument_iri(item.stem), Path(built.spool), built.checksum, new)
                                     for item, built, new in batch if built.error is None])
    finally:
        for _, built, _ in batch:
            built.discard()
    for item, built, new in batch:
        error = refused.get(ids.instrument_iri(item.stem))
        outcome = report.added if new else report.replaced
        record(item, built if error is None else Built(error=error.problem), outcome, report)


def record(item: InputFile, built: Built, outcome: list[str], report: IngestReport) -> None:
    if built.error is not None:
        report.failed.append(item.path.name)
        report.problems.append(built.error)
        return
    outcome.append(item.path.name)
    report.validated[ids.instrument_iri(item.stem)] = (built.checksum, built.violations)
    report.units_by_modality.update(built.modalities)
    report.problems.extend(built.problems)
    report.triples += built.triples


def read_source(path: Path, data: bytes | None = None) -> SourceText:
    """The file read (imported late, like the extract stage); `data`: its bytes, shipped from elsewhere."""
    from dutygraph.extract.read import read_bytes, read_file

    return read_file(str(path)) if data is None else read_bytes(data, path.name, path=str(path))


@dataclass(frozen=True)
class Reading:
    """A file as ingest reads it: the document, its top-level provisions as they come, and its units
    extracted from those as they are read (`units_of`)."""

    document: Document
    provisions: Iterable[Provision]
    units_of: Callable[[Iterable[Provision]], Iterable[Unit]]
    problems: Callable[[], tuple[Problem, ...]] = tuple  # what reading the provisions found, once read


def extract_lazily(path: Path, data: bytes | None = None) -> Reading:
    """Ingest's one seam for what a file holds (imported late: the extract stage loads jieba)."""
    from dutygraph.extract.structure import parse_lazily
    from dutygraph.extract.units import iter_units

    document, stream = parse_lazily(read_source(path, data))
    return Reading(document, stream, lambda provisions: iter_units(document, provisions), stream.problems)


def extract(path: Path, data: bytes | None = None) -> tuple[Document, tuple[Unit, ...]]:
    """The pipeline up to units, whole (for tests and tools; ingest streams them)."""
    from dutygraph.extract.structure import parse
    from dutygraph.extract.units import extract_units

    document = parse(read_source(path, data))
    return document, extract_units(document)
