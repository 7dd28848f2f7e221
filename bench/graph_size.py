"""What the store holds per unit: bytes on disk and quads, broken down by what the quads are.

    .venv/bin/python bench/graph_size.py [CORPUS] [--sample N]

Ingests the seeds and N documents spread over the corpus (every k-th file in name order) into a
temporary store, compacts it and prints bytes per unit on disk, quads per unit, and quads per unit
for each kind of quad: a statement about an obligation, a provision (its text apart), the
instrument, its extraction, an actor concept, another concept (type, jurisdiction, issuer, based-on
work), and the graphs ingest derives. "Repeated" counts the copies of a triple that another graph
already holds (shared concepts stated once per document). The IRI line prints what the distinct IRI
strings take percent-encoded and with their characters as written (the engine keeps each string once).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

from dutygraph.extract.actors import ACTOR_BASE
from dutygraph.graph.ids import ID, NS, ONTOLOGY_GRAPH
from dutygraph.graph.ingest import ingest_paths
from dutygraph.graph.store import DOC_PREFIX, open_store

BENCH = Path(__file__).resolve().parent
DEFAULT_CORPUS = BENCH.parent.parent / "shared" / "corpus" / "lawrefbook"
SEEDS = BENCH.parent / "samples" / "seeds"
TEXT_PREDICATES = {NS + "text": "provision text", NS + "sentence": "unit sentence"}


def sample_files(corpus: Path, count: int) -> list[Path]:
    files = sorted(corpus.rglob("*.md"))
    return files[:: max(1, len(files) // count)][:count]


def kind_of(graph: str, subject: str, predicate: str, provisions: set[str]) -> str:
    if graph == ONTOLOGY_GRAPH:
        return "ontology graph (once per store)"
    if not graph.startswith(DOC_PREFIX):
        return "derived graphs (versions, summary, validation records)"
    if predicate in TEXT_PREDICATES:
        return TEXT_PREDICATES[predicate]
    if "/ob/" in subject:
        return "unit, other statements"
    if subject in provisions:
        return "provision, other statements"
    if subject == graph:
        return "instrument"
    if subject.endswith("/extraction"):
        return "extraction"
    if subject.startswith(ACTOR_BASE):
        return "actor concept"
    return "other concept (type, jurisdiction, issuer, work)"


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--sample", type=int, default=200, help="corpus documents besides the seeds")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.exists():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="dutygraph-size-") as folder:
        store = open_store(folder)
        report = ingest_paths([SEEDS, *sample_files(corpus, args.sample)], store)
        engine = store._store  # noqa: SLF001 — compaction and a raw quad scan are the engine's own
        engine.optimize()
        engine.flush()
        disk = folder_bytes(Path(folder))
        provisions = {q.subject.value for q in engine.quads_for_pattern(None, None, None)
                      if q.predicate.value == NS + "provisionKind"}
        kinds: Counter[str] = Counter()
        seen: Counter[tuple] = Counter()
        iris: set[str] = set()
        for quad in engine.quads_for_pattern(None, None, None):
            terms = (quad.subject, quad.predicate, quad.object, quad.graph_name)
            iris.update(term.value for term in terms if type(term).__name__ == "NamedNode")
            kinds[kind_of(quad.graph_name.value, quad.subject.value, quad.predicate.value, provisions)] += 1
            if quad.graph_name.value.startswith(DOC_PREFIX) and not quad.subject.value.startswith(quad.graph_name.value):
                seen[quad.triple] += 1
        store.close()
    units = sum(report.units_by_modality.values())
    quads = sum(kinds.values())
    repeated = sum(count - 1 for count in seen.values())
    print(f"{len(report.added)} documents ({len(report.failed)} failed), {units} units, {quads} quads")
    print(f"on disk (compacted): {disk / units:.0f} bytes/unit · {disk / quads:.0f} bytes/quad · "
          f"{quads / units:.2f} quads/unit")
    for kind, count in kinds.most_common():
        print(f"  {count / units:6.2f} quads/unit  {kind}")
    print(f"  repeated across document graphs: {repeated / units:.2f} quads/unit ({repeated} quads)")
    encoded = sum(len(iri.encode()) for iri in iris)
    written = sum(len(unquote(iri).encode()) for iri in iris)
    ours = [iri for iri in iris if iri.startswith(ID)]
    print(f"distinct IRIs: {len(iris)} ({len(ours)} of dutygraph), {encoded / units:.0f} bytes/unit as stored, "
          f"{written / units:.0f} bytes/unit with characters as written ({written / encoded:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
