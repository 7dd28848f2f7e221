"""A reader polling a store while ingest adds or replaces several documents in it (as the server's
read-only views do) sees each document whole or not at all: never part of its quads. Graphs
larger than one transaction (store.CHUNK_QUADS) are written in several under the write lock, and
so are batches of documents through the bulk loader (Store.load_graphs)."""
from __future__ import annotations

import json
import queue
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from dutygraph.graph.store import DOC_PREFIX, open_read_only
from tests.graph.fixtures import TEXT

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = 12
# ingest_paths as the CLI runs it, over documents made of the fixture document with many units
# (argv: store, folder, copies of the fixture's units, then how the documents are written: "default",
# one transaction each; a number, transactions of that many quads; "bulk", batches of about three
# documents through the bulk loader).
WRITER = textwrap.dedent(f"""
    import resource
    import sys
    from dutygraph.graph import ingest, store as stores

    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))  # a runaway writer fails, not the machine
    from dutygraph.graph.store import open_store
    from tests.graph.fixtures import make_document, make_units, reading

    folder, source, copies, chunk = sys.argv[1:]
    if chunk == "bulk":
        stores.BULK_FROM_BYTES, stores.COMPACTION_SHARE, stores.BATCH_BYTES = 0, 0, 1 << 20
    else:  # one document at a time, as a batch too small for the bulk loader goes
        stores.BULK_FROM_BYTES = 1 << 40
    if chunk not in ("default", "bulk"):
        stores.CHUNK_QUADS = int(chunk)
    units = make_units() * int(copies)
    ingest.extract_lazily = lambda path: reading(make_document(path.name, path.read_text(encoding="utf-8")), units)
    # after each document is reported the writer waits for a line on stdin, which the test sends once
    # it has looked again: the reader looks between two writes however fast the writer is (a writer
    # that only paused 50 ms was once done before the reader's first look)
    record = ingest.record

    def record_then_wait(*args):
        record(*args)
        print("recorded", flush=True)
        sys.stdin.readline()

    ingest.record = record_then_wait
    store = open_store(folder)
    report = ingest.ingest_paths([source], store, workers=1)
    store.close()
    assert report.ok and len(report.added) + len(report.replaced) == {DOCUMENTS}, report
""")
COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def document_counts(folder: Path) -> dict[str, int] | None:
    """Quads per document graph in a read-only view opened now, or None when the folder is not
    readable at this instant (a store still being created, a writer rotating its manifest: the
    server's workers retry too)."""
    try:
        view = open_read_only(str(folder))
        rows = view.query(COUNTS)
        return {row["g"].value: int(row["n"].value) for row in rows if row["g"].value.startswith(DOC_PREFIX)}
    except (OSError, RuntimeError):
        return None


def write_documents(source: Path, edition: int) -> None:
    source.mkdir(exist_ok=True)
    for n in range(DOCUMENTS):
        (source / f"{910 + n}_doc.txt").write_text(TEXT + "\n" * n + "。" * edition, encoding="utf-8")


def ingest(folder: Path, source: Path, copies: int, chunk: str, watched: bool = True) -> subprocess.Popen:
    """The writer in its own process; unwatched, its stdin is empty and it never waits."""
    pipe = subprocess.PIPE if watched else subprocess.DEVNULL
    return subprocess.Popen([sys.executable, "-c", WRITER, str(folder), str(source), str(copies), chunk], cwd=ROOT,
                            stdin=pipe, stdout=pipe, text=True)


# The reader in a process of its own with an address-space limit, as the server's workers are: a
# query on a read-only view opened while RocksDB compacts (or a bulk load ends) was seen to run away
# and take 24 GB (twice in 6 runs of this file, always inside the view's GROUP BY); in a process of
# its own such a look ends in an allocation failure and counts as no answer, as the workers' does.
READER = textwrap.dedent("""
    import json
    import resource
    import sys
    from pathlib import Path
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
    from tests.graph.test_ingest_readers import document_counts
    for _ in sys.stdin:
        print(json.dumps(document_counts(Path(sys.argv[1]))), flush=True)
""")


class Reader:
    """Looks at the store from a child process; a look the child does not survive answers None."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.lost = 0
        self.process: subprocess.Popen | None = None

    def look(self) -> dict[str, int] | None:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen([sys.executable, "-c", READER, str(self.folder)], cwd=ROOT, text=True,
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            self.process.stdin.write("\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
        except BrokenPipeError:
            answer = ""
        if not answer:
            self.lost += 1
            self.process.wait()
            return None
        return json.loads(answer)

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()


def watch(writer: subprocess.Popen, folder: Path) -> list[dict[str, int]]:
    """Counts seen by a reader looking again and again while the writer runs; the writer goes on
    after each recorded document only once the reader has looked since."""
    recorded: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [recorded.put(line) for line in writer.stdout if line.strip() == "recorded"],
                     daemon=True).start()
    seen: list[dict[str, int]] = []
    deadline = time.monotonic() + 240
    reader = Reader(folder)
    try:
        while writer.poll() is None:
            assert time.monotonic() < deadline, "the writer did not finish"
            waiting = not recorded.empty() and bool(recorded.get())
            while (counts := reader.look() if (folder / "CURRENT").is_file() else None) is None:
                assert time.monotonic() < deadline, "the store never became readable"
                time.sleep(0.002)
            seen.append(counts)
            if waiting:
                writer.stdin.write("\n")
                writer.stdin.flush()
            time.sleep(0.002)
    finally:
        reader.close()
    assert writer.wait(60) == 0
    assert reader.lost < len(seen), (reader.lost, len(seen))  # a failure to read now and then, not a rule
    return seen


@pytest.mark.parametrize("chunk", ["default", "300", "bulk"], ids=["one-transaction", "chunked", "bulk"])
def test_new_documents_appear_whole_to_a_concurrent_reader(tmp_path, chunk):
    source, folder = tmp_path / "in", tmp_path / "store"
    write_documents(source, edition=0)
    seen = watch(ingest(folder, source, 25, chunk), folder)
    final = document_counts(folder)
    assert final is not None and len(final) == DOCUMENTS
    partial = [(graph, count, final[graph]) for counts in seen for graph, count in counts.items()
               if count != final[graph]]
    assert not partial, partial[:5]
    # the reader did look while documents were still arriving
    assert any(0 < len(counts) < DOCUMENTS for counts in seen), [len(counts) for counts in seen]


@pytest.mark.parametrize("chunk", ["default", "300", "bulk"], ids=["one-transaction", "chunked", "bulk"])
def test_replaced_documents_appear_whole_to_a_concurrent_reader(tmp_path, chunk):
    source, folder = tmp_path / "in", tmp_path / "store"
    write_documents(source, edition=0)
    assert ingest(folder, source, 20, chunk, watched=False).wait(600) == 0
    before = document_counts(folder)
    write_documents(source, edition=1)
    seen = watch(ingest(folder, source, 30, chunk), folder)
    after = document_counts(folder)
    assert before and after and all(before[graph] < after[graph] for graph in after)
    partial = [(graph, count) for counts in seen for graph, count in counts.items()
               if count not in (before[graph], after[graph])]
    assert not partial, partial[:5]
    # the reader did look while some documents were replaced and others not yet
    assert any(any(counts[g] == before[g] for g in counts) and any(counts[g] == after[g] for g in counts)
               for counts in seen)
