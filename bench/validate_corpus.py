"""`dutygraph validate` on a whole-corpus store, against one COUNT over all quads in the same run.

    .venv/bin/python bench/validate_corpus.py --store DIR [--sample N]     # a store ingested before
    .venv/bin/python bench/validate_corpus.py [CORPUS]                     # ingests the corpus first

Prints the baseline (COUNT of every quad), the full re-check (every graph in memory with the
ontology, what `validate --full` does), the record-based validate (what `validate` does after
ingest: the findings recorded per graph, re-checking none), each as seconds and as a ratio to the
baseline, and whether both found the same; on N sampled graphs, whether pyshacl finds the same.
A store ingested before records existed gets them from the full re-check (written, not timed).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from dutygraph.graph.ids import ONTOLOGY_GRAPH
from dutygraph.graph.incremental import recheck, store_violations, write_records, written_graphs
from dutygraph.graph.ingest import ingest_paths
from dutygraph.graph.store import open_store
from dutygraph.graph.validate import rdflib_graph, reference_violations

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "lawrefbook"


def timed(function, *args, **options):
    start = time.perf_counter()
    result = function(*args, **options)
    return result, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--store", help="a whole-corpus store folder (default: ingest CORPUS into a temporary one)")
    parser.add_argument("--sample", type=int, default=10, help="graphs compared with pyshacl")
    args = parser.parse_args()
    if args.store:
        store = open_store(args.store)
    else:
        if not Path(args.corpus).exists():
            print(f"corpus not found: {args.corpus}", file=sys.stderr)
            return 2
        store = open_store(tempfile.mkdtemp(prefix="dutygraph-validate-"))
        ingest_paths([args.corpus], store)
    rows, baseline = timed(store.query, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    quads = int(next(iter(rows))["n"].value)
    graphs = written_graphs(store)
    print(f"store: {len(graphs)} instrument graphs, {quads} quads · baseline, one COUNT over all quads: {baseline:.1f} s")

    checked, full = timed(recheck, store, graphs)
    write_records(store, checked)
    full_found = sorted({v for _, found in checked.values() for v in found})
    print(f"validate --full (every graph re-checked in memory): {full:.1f} s · {full / baseline:.1f}x the COUNT · "
          f"{len(full_found)} violation(s)")
    (found, rechecked), recorded = timed(store_violations, store)
    print(f"validate (records of ingest, {rechecked} graph(s) re-checked): {recorded:.2f} s · "
          f"{recorded / baseline:.2f}x the COUNT · same findings as --full: {found == full_found}")

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
    return 0 if found == full_found and agree == len(sample) else 1


if __name__ == "__main__":
    sys.exit(main())
