"""Whole-corpus ingest and validation, against plain jieba over the same text in the same run.

    .venv/bin/python bench/ingest_corpus.py [CORPUS] [--store DIR] [--reference-sample N]

Prints: ingest wall time and its ratio to `jieba.lcut` over every document's text, documents,
units, triples, store size on disk, fast validation time (and its ratio to ingest), pyshacl time on
a sample of instrument graphs (extrapolated to the corpus), and peak memory.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import jieba

from dutygraph.graph.ingest import collect_files, ingest_paths
from dutygraph.graph.store import named_graphs, open_store
from dutygraph.graph.validate import fast_violations, rdflib_graph, reference_violations

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "lawrefbook"


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def folder_size_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def time_jieba(files: list[Path]) -> tuple[float, int]:
    jieba.initialize()  # dictionary loading is start-up, not per-text work, on both sides
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in files]
    start = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    return time.perf_counter() - start, sum(map(len, texts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--store", help="store folder (default: a fresh temporary folder)")
    parser.add_argument("--reference-sample", type=int, default=20,
                        help="instrument graphs validated with pyshacl to estimate its corpus time")
    args = parser.parse_args()
    if not Path(args.corpus).exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    folder = Path(args.store or tempfile.mkdtemp(prefix="dutygraph-bench-"))
    files = collect_files([args.corpus])
    jieba_seconds, characters = time_jieba(files)

    print(f"corpus: {args.corpus} ({len(files)} files, {characters / 1e6:.1f} M characters)", flush=True)
    store = open_store(str(folder))
    start = time.perf_counter()
    report = ingest_paths([args.corpus], store)
    ingest_seconds = time.perf_counter() - start
    triples = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))["n"].value)
    documents = len(report.added) + len(report.replaced) + len(report.skipped)
    print(f"documents: {documents} ingested ({len(report.added)} added, {len(report.replaced)} replaced, "
          f"{len(report.skipped)} skipped), {len(report.failed)} failed")
    print(f"units: {sum(report.units_by_modality.values())} ({dict(report.units_by_modality)})")
    print(f"ingest: {ingest_seconds:.1f} s · jieba.lcut over the same text: {jieba_seconds:.1f} s · "
          f"ratio {ingest_seconds / jieba_seconds:.2f}x")
    print(f"triples: {triples} · store on disk: {folder_size_mb(folder):.0f} MB ({folder})")
    print(f"peak memory after ingest: {peak_memory_mb():.0f} MB", flush=True)

    start = time.perf_counter()
    violations = fast_violations(store)
    validate_seconds = time.perf_counter() - start

    graphs = [g for g in named_graphs(store) if "/doc/" in g][: args.reference_sample]
    start = time.perf_counter()
    sample_triples = 0
    ontology = rdflib_graph(store, ["https://w3id.org/dutygraph/id/graph/ontology"])
    for graph in graphs:
        data = rdflib_graph(store, [graph])
        sample_triples += len(data)
        data += ontology
        reference_violations(data)
    reference_seconds = time.perf_counter() - start
    store.close()

    print(f"validate (SPARQL form of the shapes): {validate_seconds:.1f} s, {len(violations)} violation(s) · "
          f"ratio to ingest {validate_seconds / ingest_seconds:.2f}x")
    if graphs:
        per_triple = reference_seconds / max(sample_triples, 1)
        print(f"pyshacl on {len(graphs)} instrument graphs ({sample_triples} triples): {reference_seconds:.1f} s · "
              f"extrapolated to the corpus: {per_triple * triples:.0f} s · "
              f"ratio to the SPARQL form {per_triple * triples / max(validate_seconds, 1e-9):.0f}x")
    print(f"peak memory overall: {peak_memory_mb():.0f} MB")
    return 0 if report.ok and not violations else 1


if __name__ == "__main__":
    sys.exit(main())
