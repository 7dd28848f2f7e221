"""Load test: the who-must-do-what query with 1, 8 and 32 concurrent clients.

    .venv/bin/python bench/load_endpoint.py [--store DIR | --data FILE.nq] [--requests N] [--actor IRI]

Three targets over the same data, all on loopback, measured in the same run:
  direct    the store queried in-process with pyoxigraph (the floor: no HTTP, no isolation),
  endpoint  `dutygraph serve` (uvicorn + killable read-only query workers),
  oxigraph  the Oxigraph server binary (`oxigraph serve-read-only --union-default-graph`), the peer.
Prints p50/p99 latency, throughput and errors per target and concurrency, and ratios to the peer.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pyoxigraph as ox

PROJECT = Path(__file__).resolve().parent.parent
FIXTURE = PROJECT / "tests" / "data" / "api" / "fixture.nq"
OXIGRAPH = Path(sys.executable).with_name("oxigraph")
MARKET = "https://w3id.org/dutygraph/id/actor/market-regulation-department"
QUERY = """PREFIX dg: <https://w3id.org/dutygraph/ns#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?actor ?modality ?action ?object ?article WHERE {{
  ?ob dg:actor <{actor}> ; dg:modality ?modality ; dg:authority ?p .
  <{actor}> skos:prefLabel ?actor .
  OPTIONAL {{ ?ob dg:action ?action }} OPTIONAL {{ ?ob dg:object ?object }}
  OPTIONAL {{ ?p eli:is_part_of* ?art . ?art dg:articleNumber ?article }}
}}"""
CONCURRENCY = (1, 8, 32)
JSON_RESULTS = "application/sparql-results+json"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build_store(data: Path) -> str:
    folder = tempfile.mkdtemp(prefix="dutygraph-bench-")
    store = ox.Store(folder)
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    return folder


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            httpx.get(url, params={"query": "ASK {}"}, headers={"accept": JSON_RESULTS}, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """One HTTP/1.1 response off a kept-alive connection (Content-Length or chunked body)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:] if line)}
    if "content-length" in headers:
        return status, await reader.readexactly(int(headers["content-length"]))
    body = b""
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        body += await reader.readexactly(size + 2)
        if size == 0:
            return status, body


def http_caller(url: str, query: str):
    """Closed-loop clients as asyncio tasks, each on its own kept-alive connection, sending
    prebuilt request bytes: almost no client work, so the server is what gets measured."""
    target = httpx.URL(url)
    body = str(httpx.QueryParams({"query": query})).encode()
    request = (f"POST {target.raw_path.decode()} HTTP/1.1\r\nHost: {target.host}:{target.port}\r\n"
               f"Accept: {JSON_RESULTS}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
               f"Content-Length: {len(body)}\r\n\r\n").encode() + body

    async def client_loop(remaining, outcomes: list) -> None:
        reader, writer = await asyncio.open_connection(target.host, target.port)
        try:
            for _ in remaining:
                started = time.perf_counter()
                try:
                    writer.write(request)
                    status, answer = await read_response(reader)
                    ok = status == 200 and b'"bindings"' in answer
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    ok = False
                outcomes.append((time.perf_counter() - started, ok))
        finally:
            writer.close()

    async def run(clients: int, requests: int) -> list[tuple[float, bool]]:
        await client_loop(range(min(clients, 4)), [])  # warm caches
        outcomes: list[tuple[float, bool]] = []
        remaining = iter(range(requests))
        await asyncio.gather(*(client_loop(remaining, outcomes) for _ in range(clients)))
        return outcomes

    return lambda clients, requests: asyncio.run(run(clients, requests))


def direct_caller(folder: str, query: str):
    """Threads calling pyoxigraph in-process: query plus JSON serialisation, like an HTTP answer."""
    store = ox.Store.read_only(folder)

    def call() -> bool:
        results = store.query(query, use_default_graph_as_union=True)
        return bool(results.serialize(format=ox.QueryResultsFormat.JSON))

    def timed(_):
        started = time.perf_counter()
        try:
            ok = call()
        except (OSError, SyntaxError):
            ok = False
        return time.perf_counter() - started, ok

    def run(clients: int, requests: int) -> list[tuple[float, bool]]:
        call()
        with ThreadPoolExecutor(clients) as pool:
            return list(pool.map(timed, range(requests)))

    return run


def measure(run, clients: int, requests: int) -> dict:
    started = time.perf_counter()
    outcomes = run(clients, requests)
    wall = time.perf_counter() - started
    latencies = sorted(latency for latency, _ in outcomes)
    return {
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "throughput": requests / wall,
        "errors": sum(not ok for _, ok in outcomes),
    }


def run_target(name: str, call, requests: int, table: dict) -> None:
    for clients in CONCURRENCY:
        table[name, clients] = row = measure(call, clients, requests)
        print(f"{name:9} {clients:3} clients  p50 {row['p50']:8.2f} ms  p99 {row['p99']:8.2f} ms  "
              f"{row['throughput']:8.1f} req/s  errors {row['errors']}", flush=True)


def serve(command: list[str], port: int) -> subprocess.Popen:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_up(f"http://127.0.0.1:{port}/query" if command[0] == str(OXIGRAPH) else
                  f"http://127.0.0.1:{port}/sparql", process)
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--store", help="an existing store folder (default: a temporary copy of --data)")
    source.add_argument("--data", type=Path, default=FIXTURE, help="N-Quads to load (default: the API test fixture)")
    parser.add_argument("--requests", type=int, default=400, help="requests per target and concurrency (default 400)")
    parser.add_argument("--actor", default=MARKET, help="actor IRI of the who-must-do-what query")
    parser.add_argument("--workers", type=int, default=None, help="endpoint query workers (default: its own)")
    args = parser.parse_args()
    folder = args.store or build_store(args.data)
    query = QUERY.format(actor=args.actor)
    table: dict = {}
    try:
        run_target("direct", direct_caller(folder, query), args.requests, table)

        port = free_port()
        command = [sys.executable, "-m", "dutygraph", "serve", "--store", folder, "--port", str(port)]
        endpoint = serve(command + (["--workers", str(args.workers)] if args.workers else []), port)
        try:
            run_target("endpoint", http_caller(f"http://127.0.0.1:{port}/sparql", query), args.requests, table)
        finally:
            stop(endpoint)

        if OXIGRAPH.exists():
            port = free_port()
            peer = serve([str(OXIGRAPH), "serve-read-only", "--location", folder, "--bind", f"127.0.0.1:{port}",
                          "--union-default-graph"], port)
            try:
                run_target("oxigraph", http_caller(f"http://127.0.0.1:{port}/query", query), args.requests, table)
            finally:
                stop(peer)
    finally:
        if not args.store:
            shutil.rmtree(folder, ignore_errors=True)
    print_ratios(table)
    return 1 if any(row["errors"] for row in table.values()) else 0


def print_ratios(table: dict) -> None:
    print("\nendpoint / peer (latency: lower is better; throughput: higher is better)")
    for peer in ("oxigraph", "direct"):
        for clients in CONCURRENCY:
            if ("endpoint", clients) in table and (peer, clients) in table:
                ours, theirs = table["endpoint", clients], table[peer, clients]
                print(f"  vs {peer:8} {clients:3} clients: p50 ×{ours['p50'] / theirs['p50']:.2f}  "
                      f"p99 ×{ours['p99'] / theirs['p99']:.2f}  throughput ×{ours['throughput'] / theirs['throughput']:.2f}")
    print(f"(cpus: {os.cpu_count()})")


if __name__ == "__main__":
    sys.exit(main())
