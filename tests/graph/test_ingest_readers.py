"""A reader polling a store while ingest adds several new documents to it (as the server's
read-only views do) sees each document whole or not at all: never part of its quads."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox

from dutygraph.graph.store import DOC_PREFIX
from tests.graph.fixtures import TEXT

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = 12
COPIES = 25  # units per document, times the fixture's: documents large enough to take a while to write
# ingest_paths as the CLI runs it, over documents made of the fixture document with many units.
WRITER = textwrap.dedent(f"""
    import sys
    from dutygraph.graph import ingest
    from dutygraph.graph.store import open_store
    from tests.graph.fixtures import make_document, make_units

    units = make_units() * {COPIES}
    ingest.extract = lambda path: (make_document(path.name, path.read_text(encoding="utf-8")), units)
    store = open_store(sys.argv[1])
    report = ingest.ingest_paths([sys.argv[2]], store, workers=1)
    store.close()
    assert report.ok and len(report.added) == {DOCUMENTS}, report
""")
COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def document_counts(folder: Path) -> dict[str, int] | None:
    """Quads per document graph in a read-only view opened now, or None when the folder is not
    readable at this instant (a store still being created, a writer rotating its manifest: the
    server's workers retry too)."""
    try:
        view = ox.Store.read_only(str(folder))
        rows = view.query(COUNTS)
        return {row["g"].value: int(row["n"].value) for row in rows if row["g"].value.startswith(DOC_PREFIX)}
    except (OSError, RuntimeError):
        return None


def test_new_documents_appear_whole_to_a_concurrent_reader(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    for n in range(DOCUMENTS):
        (source / f"{910 + n}_doc.txt").write_text(TEXT + "\n" * n, encoding="utf-8")
    folder = tmp_path / "store"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(folder), str(source)], cwd=ROOT)
    seen: list[dict[str, int]] = []
    deadline = time.monotonic() + 600
    while writer.poll() is None and time.monotonic() < deadline:
        if (folder / "CURRENT").is_file() and (counts := document_counts(folder)) is not None:
            seen.append(counts)
    assert writer.wait(60) == 0
    final = document_counts(folder)
    assert final is not None and len(final) == DOCUMENTS
    partial = [(graph, count, final[graph]) for counts in seen for graph, count in counts.items()
               if count != final[graph]]
    assert not partial, partial[:5]
    # the reader did look while documents were still arriving
    assert any(0 < len(counts) < DOCUMENTS for counts in seen), [len(counts) for counts in seen]
