"""`dutygraph validate` on a whole-corpus store, against one COUNT over all quads in the same run.

    .venv/bin/python bench/validate_corpus.py --store DIR [--sample N]     # a store ingested before
    .venv/bin/python bench/validate_corpus.py [CORPUS]                     # ingests the corpus first

Prints the baseline (COUNT of every quad), `validate` with ingest's records (the findings recorded
per graph, re-checking only graphs whose record is not current), `validate --full` (every graph
re-checked in memory with the ontology), each in seconds (wall, and this process's CPU: the machine
may be shared) and as a ratio to the baseline, and whether both found the same; on N sampled graphs,
whether pyshacl finds the same; on the sample's source files, what the check at ingest costs beside
extraction and RDF building. A store ingested before records existed gets them from the full
re-check (written, not timed), so the records line then times reading them.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from dutygraph.graph.ids import ONTOLOGY_GRAPH
from dutygraph.graph.incremental import (
    RECORDS,
    document_violations,
    recheck,
    store_violations,
    write_records,
    written_graphs,
)
from dutygraph.graph.ingest import extract, ingest_paths, load_ontology
from dutygraph.graph.rdf import build_graph
from dutygraph.graph.store import open_store
from dutygraph.graph.validate import rdflib_graph, reference_violations

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "lawrefbook"


def timed(function, *args, **options):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **options)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--store", help="a whole-corpus store folder (default: ingest CORPUS into a temporary one)")
    parser.add_argument("--sample", type=int, default=10, help="graphs compared with pyshacl")
    parser.add_argument("--ingest-sample", type=int, default=30, help="corpus files timed through the ingest check")
    args = parser.parse_args()
    if args.store:
        store = open_store(args.store)
    else:
        if not Path(args.corpus).exists():
            print(f"corpus not found: {args.corpus}", file=sys.stderr)
            return 2
        store = open_store(tempfile.mkdtemp(prefix="dutygraph-validate-"))
        ingest_paths([args.corpus], store)
    rows, baseline, baseline_cpu = timed(store.query, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    quads = int(next(iter(rows))["n"].value)
    graphs = written_graphs(store)
    print(f"store: {len(graphs)} instrument graphs, {quads} quads · baseline, one COUNT over all quads: "
          f"{baseline:.1f} s ({baseline_cpu:.1f} CPU-s)", flush=True)

    load_ontology(store)  # as an ingest with this code would: records are keyed by the current ontology
    unrecorded = set(graphs) - {row["g"].value for row in store.query(RECORDS)}
    if not unrecorded:
        (found, rechecked), recorded, recorded_cpu = timed(store_violations, store)
        print_recorded(rechecked, recorded, recorded_cpu, baseline)
    checked, full, full_cpu = timed(recheck, store, graphs)
    full_found = sorted({v for _, found in checked.values() for v in found})
    if unrecorded:
        write_records(store, checked)
        print(f"records written from the full re-check for {len(unrecorded)} graph(s) ingested before records existed")
        (found, rechecked), recorded, recorded_cpu = timed(store_violations, store)
        print_recorded(rechecked, recorded, recorded_cpu, baseline)
    print(f"validate --full (every graph re-checked in memory): {full:.1f} s ({full_cpu:.1f} CPU-s) · "
          f"{full / baseline:.1f}x the COUNT · {len(full_found)} violation(s) · same findings as with records: "
          f"{found == full_found}")

    ontology = rdflib_graph(store, [ONTOLOGY_GRAPH])
    agree = 0
    sample = sorted(graphs)[:: max(1, len(graphs) // max(args.sample, 1))][: args.sample]
    for graph in sample:
        data = rdflib_graph(store, [graph])
        data += ontology
        reference = {(v.focus, v.shape) for v in reference_violations(data)}
        agree += reference == {(v.focus, v.shape) for v in checked[graph][1]}
    print(f"pyshacl on {len(sample)} sampled graphs: same findings on {agree} of {len(sample)}")
    store.close()
    print_ingest_check(Path(args.corpus), args.ingest_sample)
    return 0 if found == full_found and agree == len(sample) else 1


def print_recorded(rechecked: int, seconds: float, cpu: float, baseline: float) -> None:
    print(f"validate (ingest's records, {rechecked} graph(s) re-checked): {seconds:.2f} s ({cpu:.2f} CPU-s) · "
          f"{seconds / baseline:.2f}x the COUNT", flush=True)


def print_ingest_check(corpus: Path, count: int) -> None:
    """The per-document check ingest runs, beside the extraction and RDF building it follows."""
    every = sorted(corpus.rglob("*.md"))
    files = every[:: max(1, len(every) // max(count, 1))][:count]
    if not files:
        return
    document_violations([])  # the shapes and the ontology, loaded once per worker
    build = check = 0.0
    for path in files:
        built, _, cpu = timed(lambda p: build_graph(*extract(p)), path)
        build += cpu
        check += timed(document_violations, built)[2]
    print(f"check at ingest on {len(files)} corpus files: {check:.2f} CPU-s against {build:.2f} CPU-s of extraction "
          f"and RDF building ({check / build:.3f}x)")


if __name__ == "__main__":
    sys.exit(main())
