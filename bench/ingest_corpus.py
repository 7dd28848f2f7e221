"""Whole-corpus ingest and validation, against plain jieba over the same text in the same run.

    .venv/bin/python bench/ingest_corpus.py [CORPUS] [--store DIR] [--limit N] [--stage-sample N]
                                            [--reference-sample N]

Prints: ingest time (wall, and CPU of this process and its workers) and its ratios to one
single-core `jieba.lcut` pass over every document's text (wall and CPU), documents, units, triples,
store size on disk (jieba timed before and after the ingest, the mean taken); the CPU of each
stage (read, parse, extract, RDF, N-Triples, per-document validation, store write) on a sample, one
document after the other in this process, each as a ratio to jieba's CPU on the same documents, each
document's jieba pass right after its stages; fast validation time (and its ratio to ingest), pyshacl time on a
sample of instrument graphs (extrapolated to the corpus), and peak memory.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import jieba

from dutygraph.errors import DutygraphError
from dutygraph.graph.ingest import collect_files, ingest_paths
from dutygraph.graph.store import named_graphs, open_store
from dutygraph.graph.validate import fast_violations, rdflib_graph, reference_violations

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "lawrefbook"


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def folder_size_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def time_jieba(files: list[Path]) -> tuple[float, float, int]:
    """Wall and CPU seconds of one jieba.lcut pass over the files' text, and the characters."""
    jieba.initialize()  # dictionary loading is start-up, not per-text work, on both sides
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in files]
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        jieba.lcut(text)
    return time.perf_counter() - wall, time.process_time() - cpu, sum(map(len, texts))


def cpu_with_workers() -> float:
    """CPU seconds (user + system) of this process and of its finished children (the workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def stage_seconds(files: list[Path]) -> dict[str, float]:
    """CPU seconds of each stage of ingest's per-document work (graph/ingest.py build_file and
    store_batch), one document after the other, and of jieba.lcut over each document's text right
    after it (so both see the same load). The store write is timed as ingest does it: documents
    gathered into batches as the store asks (Store.batch_bytes), then the store settled."""
    from dutygraph.extract.read import read_file
    from dutygraph.extract.structure import parse
    from dutygraph.extract.units import extract_units
    from dutygraph.graph import terms
    from dutygraph.graph.incremental import statement_violations
    from dutygraph.graph.rdf import graph_statements

    extract_units(parse(read_file(files[0])))  # jieba's dictionary and the markers: start-up, as for jieba
    statement_violations([])
    jieba.initialize()
    folder = tempfile.mkdtemp(prefix="dutygraph-bench-stages-")
    store = open_store(folder)
    seen: set[str] = set()  # one base name twice in the sample: the first one only
    batch: list[tuple[str, bytes, str, bool]] = []
    waiting, batch_bytes = 0, store.batch_bytes()  # as ingest_paths gathers them
    seconds = dict.fromkeys(("read", "parse", "extract", "RDF", "N-Triples", "validate", "store", "jieba"), 0.0)

    def write(entries) -> None:
        start = time.process_time()
        assert not store.load_graphs(entries)
        seconds["store"] += time.process_time() - start

    for path in files:
        try:
            marks = [time.process_time()]
            source = read_file(path)
            marks.append(time.process_time())
            document = parse(source)
            marks.append(time.process_time())
        except DutygraphError:
            continue
        units = extract_units(document)
        marks.append(time.process_time())
        graph, statements = graph_statements(document, units)
        statements = list(statements)
        marks.append(time.process_time())
        ntriples = terms.ntriples(statements)
        marks.append(time.process_time())
        statement_violations(statements)
        marks.append(time.process_time())
        if graph not in seen:
            seen.add(graph)
            batch.append((graph, ntriples, source.checksum, True))
            waiting += len(ntriples)
            if waiting >= batch_bytes:
                write(batch)
                batch, waiting = [], 0
        marks.append(time.process_time())
        jieba.lcut(path.read_text(encoding="utf-8", errors="replace"))
        marks.append(time.process_time())
        for stage, before, after in zip(("read", "parse", "extract", "RDF", "N-Triples", "validate"), marks,
                                        marks[1:], strict=False):
            seconds[stage] += after - before
        seconds["jieba"] += marks[-1] - marks[-2]
    write(batch)
    start = time.process_time()
    store.settle()
    seconds["store"] += time.process_time() - start
    store.close()
    shutil.rmtree(folder)  # only the write was wanted
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--store", help="store folder (default: a fresh temporary folder)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N files")
    parser.add_argument("--stage-sample", type=int, default=300,
                        help="files timed stage by stage (every k-th file of the corpus; 0: none)")
    parser.add_argument("--reference-sample", type=int, default=20,
                        help="instrument graphs validated with pyshacl to estimate its corpus time")
    args = parser.parse_args()
    if not Path(args.corpus).exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    folder = Path(args.store or tempfile.mkdtemp(prefix="dutygraph-bench-"))
    files = collect_files([args.corpus])[: args.limit or None]
    jieba_seconds, jieba_cpu, characters = time_jieba(files)

    print(f"corpus: {args.corpus} ({len(files)} files, {characters / 1e6:.1f} M characters)", flush=True)
    if args.stage_sample:
        sample = files[:: max(len(files) // args.stage_sample, 1)][: args.stage_sample]
        seconds = stage_seconds(sample)
        sample_jieba = seconds.pop("jieba")
        print(f"per stage, CPU on {len(sample)} files in one process (jieba.lcut on each right after it: "
              f"{sample_jieba:.1f} s = 1.00x):")
        for stage, spent in seconds.items():
            print(f"  {stage:10} {spent:7.1f} s  {spent / sample_jieba:5.2f}x")
        print(f"  {'all':10} {sum(seconds.values()):7.1f} s  {sum(seconds.values()) / sample_jieba:5.2f}x", flush=True)
        # One process owns the store and writes every quad; the other stages spread over the cores.
        # So no scheduling of this pipeline takes less wall than either bound below (issue 11's bar
        # is 1.0x): what is left to win past them is in the stages' own cost.
        cores = os.cpu_count() or 1
        alone, spread = seconds["store"] / sample_jieba, sum(seconds.values()) / sample_jieba / cores
        print(f"  lower bound of the ingest's wall on {cores} core(s): the store write alone {alone:.2f}x, "
              f"every stage spread over the cores {spread:.2f}x: {max(alone, spread):.2f}x", flush=True)
    store = open_store(str(folder))
    start, cpu = time.perf_counter(), cpu_with_workers()
    report = ingest_paths(files, store)
    ingest_seconds, ingest_cpu = time.perf_counter() - start, cpu_with_workers() - cpu
    again_seconds, again_cpu, _ = time_jieba(files)  # before and after the ingest: a shared machine's load drifts
    print(f"jieba.lcut before the ingest {jieba_seconds:.1f} s wall, {jieba_cpu:.1f} CPU-s; "
          f"after it {again_seconds:.1f} s, {again_cpu:.1f} CPU-s: the mean is the baseline")
    jieba_seconds, jieba_cpu = (jieba_seconds + again_seconds) / 2, (jieba_cpu + again_cpu) / 2
    triples = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))["n"].value)
    documents = len(report.added) + len(report.replaced) + len(report.skipped)
    print(f"documents: {documents} ingested ({len(report.added)} added, {len(report.replaced)} replaced, "
          f"{len(report.skipped)} skipped), {len(report.failed)} failed")
    print(f"units: {sum(report.units_by_modality.values())} ({dict(report.units_by_modality)})")
    print(f"ingest: {ingest_seconds:.1f} s wall, {ingest_cpu:.1f} CPU-s (all processes) · jieba.lcut over the "
          f"same text, one core: {jieba_seconds:.1f} s wall, {jieba_cpu:.1f} CPU-s · "
          f"ratio {ingest_seconds / jieba_seconds:.2f}x wall, {ingest_cpu / jieba_cpu:.2f}x CPU")
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
