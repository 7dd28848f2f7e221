"""Loading one N-Quads file into the remote stores: triples/s of Virtuoso beside the Oxigraph server's.

    .venv/bin/python bench/bulk_load.py [CORPUS] [--files N]

The file is the graph of the first N corpus documents (ingested in memory first). Each server is
started on loopback in a temporary folder and fed the same quads:
- dutygraph's bulk path, `RemoteStore.add_graphs` (one Graph Store Protocol PUT of N-Triples per
  document graph, the checksum inside, so every graph lands whole), on the Oxigraph server and on
  Virtuoso;
- Virtuoso's own bulk loader (`ld_dir` + `rdf_loader_run` + `checkpoint` through isql) on the
  N-Quads file, the path for loads of millions of documents.
Figures are triples per second and the ratio to the Oxigraph server's rate measured in this run.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.graph.virtuoso starts Virtuoso

from dutygraph.graph.ids import NS  # noqa: E402
from dutygraph.graph.ingest import collect_files, ingest_paths  # noqa: E402
from dutygraph.graph.remote import RemoteStore  # noqa: E402
from dutygraph.graph.store import MEMORY, open_store  # noqa: E402
from tests.graph import virtuoso  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "lawrefbook"
OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def graphs_of(nquads: bytes) -> list[tuple[str, list[ox.Quad], str]]:
    """The document and ontology graphs (those recording a checksum), not ingest's validation records."""
    by_graph: dict[str, list[ox.Quad]] = defaultdict(list)
    checksums = {}
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        by_graph[quad.graph_name.value].append(quad)
        if quad.predicate.value == NS + "checksum":
            checksums[quad.graph_name.value] = quad.object.value
    return [(graph, by_graph[graph], checksum) for graph, checksum in checksums.items()]


def count(url: str) -> int:
    """Quads in dutygraph's graphs (Virtuoso's own graph left out), to check the whole file landed."""
    rows = RemoteStore(url).query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g <" + NS + "checksum> ?c } "
                                  "GRAPH ?g { ?s ?p ?o } }")
    return int(next(iter(rows))["n"].value)


def oxigraph_rate(graphs, folder: Path) -> tuple[float, int]:
    port = virtuoso.free_port()
    process = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}",
                                "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        return timed_add_graphs(url, graphs)
    finally:
        process.terminate()
        process.wait()


def megabytes(folder: Path, pattern: str = "*") -> float:
    return sum(path.stat().st_size for path in folder.rglob(pattern) if path.is_file()) / 1e6


def checked(triples: int, expected: int) -> str:
    return "" if triples >= expected else f" · SHORT: {triples} of {expected} quads loaded"


def timed_add_graphs(url: str, graphs) -> tuple[float, int]:
    start = time.perf_counter()
    RemoteStore(url).add_graphs(graphs)
    seconds = time.perf_counter() - start
    return seconds, count(url)


def virtuoso_loader(server: virtuoso.Virtuoso, nquads: Path) -> tuple[float, int]:
    start = time.perf_counter()
    server.isql(f"ld_dir('{nquads.parent}', '{nquads.name}', 'urn:dutygraph:unused-default');\n"
                "rdf_loader_run();\ncheckpoint;\n")
    seconds = time.perf_counter() - start
    return seconds, count(server.url)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--files", type=int, default=300, help="corpus documents in the file")
    args = parser.parse_args()
    if not Path(args.corpus).exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    reason = virtuoso.missing()
    if reason or not OXIGRAPH.exists():
        print(f"cannot run: {reason or 'the oxigraph server binary is not installed'}", file=sys.stderr)
        return 2
    store = open_store(MEMORY)
    ingest_paths(collect_files([args.corpus])[: args.files], store)
    graphs = graphs_of(store.dump(ox.RdfFormat.N_QUADS))
    data = ox.serialize([quad for _, quads, _ in graphs for quad in quads], format=ox.RdfFormat.N_QUADS)
    work = Path(tempfile.mkdtemp(prefix="dutygraph-bulk-"))
    quads = data.count(b"\n")
    print(f"file: {len(graphs)} graphs, {quads} quads, {len(data) / 1e6:.0f} MB of N-Quads")

    seconds, triples = oxigraph_rate(graphs, work / "oxigraph")
    base = triples / seconds
    print(f"oxigraph server, add_graphs (GSP PUT per graph): {seconds:.1f} s · {base:,.0f} triples/s · 1.00x"
          f"{checked(triples, quads)}")
    print(f"  on disk: {megabytes(work / 'oxigraph'):.0f} MB ({megabytes(work / 'oxigraph') * 1e6 / quads:.0f} bytes/quad)")
    with virtuoso.running_virtuoso(work / "virtuoso-gsp", memory_mb=1024) as server:
        seconds, triples = timed_add_graphs(server.url, graphs)
    print(f"virtuoso, add_graphs (GSP PUT per graph): {seconds:.1f} s · {triples / seconds:,.0f} triples/s · "
          f"{triples / seconds / base:.2f}x{checked(triples, quads)}")
    with virtuoso.running_virtuoso(work / "virtuoso-loader", memory_mb=1024) as server:
        nquads = server.folder / "corpus.nq"  # the loader reads only from DirsAllowed: the server's folder
        nquads.write_bytes(data)
        empty = megabytes(server.folder, "virtuoso.db")
        seconds, triples = virtuoso_loader(server, nquads)
        size = megabytes(server.folder, "virtuoso.db") - empty
    print(f"virtuoso, bulk loader (ld_dir + rdf_loader_run on the N-Quads file): {seconds:.1f} s · "
          f"{triples / seconds:,.0f} triples/s · {triples / seconds / base:.2f}x{checked(triples, quads)}")
    print(f"  database growth after checkpoint: {size:.0f} MB ({size * 1e6 / quads:.0f} bytes/quad)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
