"""Load test: every analysts' query of docs/queries with 1, 8 and 32 concurrent clients, against the
Oxigraph server binary over the same store in the same run.

    .venv/bin/python bench/load_endpoint.py [CORPUS] [--store DIR | --data FILE.nq] [--requests N]
                                            [--budget SECONDS] [--queries NAME…] [--clients N…]
                                            [--no-uncached]

Three targets over one store folder, all up for the whole run, on loopback:
  endpoint  `dutygraph serve` as it ships (uvicorn + killable read-only query workers, every guard
            on, answers to repeated deterministic queries kept until the store changes),
  uncached  the same with `--answer-cache-mb 0`: every request runs its query in a worker,
  oxigraph  the Oxigraph server binary (`oxigraph serve-read-only --union-default-graph`), the peer.
For each query and concurrency they are measured back to back (the order alternates), so a
machine shared with other work loads them alike. Each client is its own client address
(127.0.0.2, 127.0.0.3, …): the endpoint's per-client cap (`--client-queries`, per address) stays at
its default and holds each client, as documented, to its own share. The endpoint's time limit is
set above the slowest query's queueing time at 32 clients, so a slow analysts' query is measured,
not cut off.

Prints, per query and concurrency: throughput, p50, p99 and errors of each target and the ratios
endpoint / oxigraph and uncached / oxigraph of throughput; exits 1 on any error or any answer that differs in size.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

from dutygraph.graph.query import with_prefixes

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = PROJECT.parent / "shared" / "corpus" / "lawrefbook"
QUERIES = PROJECT / "docs" / "queries"
QUERY_DOC = PROJECT / "docs" / "queries.md"
OXIGRAPH = Path(sys.executable).with_name("oxigraph")
CONCURRENCY = (1, 8, 32)
ENDPOINTS = ("endpoint", "uncached")
JSON_RESULTS = "application/sparql-results+json"
SPARQL_BLOCK = re.compile(r"```sparql\n(.*?)```", re.DOTALL)


def analysts_queries() -> dict[str, str]:
    """Every query file of docs/queries and every SPARQL block of docs/queries.md, prefixes added
    (the same text goes to both targets)."""
    found = {path.stem: path.read_text(encoding="utf-8") for path in sorted(QUERIES.glob("*.rq"))}
    for number, block in enumerate(SPARQL_BLOCK.findall(QUERY_DOC.read_text(encoding="utf-8")), 1):
        found[f"queries.md#{number}"] = block
    return {name: with_prefixes(text) for name, text in found.items()}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ingest_store(corpus: Path) -> str:
    from dutygraph.graph.ingest import ingest_paths
    from dutygraph.graph.store import open_store

    folder = tempfile.mkdtemp(prefix="dutygraph-bench-")
    store = open_store(folder)
    ingest_paths([corpus], store)
    store.close()
    return folder


def load_store(data: Path) -> str:
    folder = tempfile.mkdtemp(prefix="dutygraph-bench-")
    store = ox.Store(folder)
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    return folder


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            httpx.get(url, params={"query": "ASK {}"}, headers={"accept": JSON_RESULTS}, timeout=5)
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


def answer_size(body: bytes) -> int | None:
    """Solutions in a SPARQL JSON answer (None when it is not one)."""
    try:
        answer = json.loads(body)
        return len(answer["results"]["bindings"]) if "results" in answer else int(answer["boolean"])
    except (ValueError, KeyError, TypeError):
        return None


class Target:
    """A running server and how to load it: closed-loop clients as asyncio tasks, each on its own
    kept-alive connection from its own loopback address, sending prebuilt request bytes (almost
    no client work, so the server is what gets measured)."""

    def __init__(self, name: str, command: list[str], url: str):
        self.name, self.url = name, httpx.URL(url)
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until_up(url, self.process)

    def request(self, query: str) -> bytes:
        body = str(httpx.QueryParams({"query": query})).encode()
        return (f"POST {self.url.raw_path.decode()} HTTP/1.1\r\nHost: {self.url.host}:{self.url.port}\r\n"
                f"Accept: {JSON_RESULTS}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode() + body

    async def client(self, number: int, request: bytes, remaining, outcomes: list) -> None:
        reader, writer = await asyncio.open_connection(
            self.url.host, self.url.port, local_addr=(f"127.0.0.{2 + number}", 0), limit=1 << 26)
        try:
            for _ in remaining:
                started = time.perf_counter()
                try:
                    writer.write(request)
                    status, answer = await read_response(reader)
                    size = answer_size(answer) if status == 200 else None
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    size = None
                outcomes.append((time.perf_counter() - started, size))
        finally:
            writer.close()

    def load(self, query: str, clients: int, requests: int) -> tuple[float, list[tuple[float, int | None]]]:
        request, outcomes = self.request(query), []

        async def run() -> None:
            remaining = iter(range(requests))
            await asyncio.gather(*(self.client(number, request, remaining, outcomes) for number in range(clients)))

        started = time.perf_counter()
        asyncio.run(run())
        return time.perf_counter() - started, outcomes

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def summary(wall: float, outcomes: list[tuple[float, int | None]], expected: int | None) -> dict:
    latencies = sorted(latency for latency, _ in outcomes)
    return {
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, math.ceil(len(latencies) * 0.99) - 1)] * 1000,
        "throughput": len(outcomes) / wall,
        "errors": sum(size is None or size != expected for _, size in outcomes),
        "requests": len(outcomes),
    }


def measure_query(name: str, query: str, targets: list[Target], args, table: dict) -> None:
    # Warm-up: one request each (the answer's size and the cost of one run known), then, within
    # the budget, one per endpoint worker at once, so each worker's caches are as warm as the
    # peer's shared one.
    expected, cost = None, 0.0
    for target in targets:
        wall, ((_, size),) = target.load(query, 1, 1)
        expected, cost = size if expected is None else expected, max(cost, wall)
    for target in targets if cost * args.warm <= args.budget else ():
        target.load(query, args.warm, args.warm)
    for step, clients in enumerate(args.clients):
        # Enough requests for a steady state within the time budget, never fewer than the clients.
        requests = max(clients, min(args.requests, math.ceil(args.budget * (os.cpu_count() or 1) / max(cost, 1e-3))))
        ordered = targets if step % 2 == 0 else targets[::-1]
        for target in ordered:
            table[name, target.name, clients] = row = summary(*target.load(query, clients, requests), expected)
            print(f"{name:28} {target.name:8} {clients:3} clients {row['requests']:5} req  "
                  f"{row['throughput']:8.2f} req/s  p50 {row['p50']:9.1f} ms  p99 {row['p99']:9.1f} ms  "
                  f"errors {row['errors']}", flush=True)
        theirs = table.get((name, "oxigraph", clients))
        for ours in (table.get((name, target, clients)) for target in ENDPOINTS):
            if ours and theirs:
                print(f"{name:28} ratio    {clients:3} clients  throughput ×{ours['throughput'] / theirs['throughput']:.2f}  "
                      f"p99 ×{ours['p99'] / theirs['p99']:.2f}", flush=True)


def print_table(table: dict, names: list[str], clients: tuple[int, ...]) -> None:
    for target in ENDPOINTS:
        if not any(key[1] == target for key in table):
            continue
        print(f"\nthroughput {target} / oxigraph (≥ 1.00 is the bar), p99 ms {target} | oxigraph, errors")
        for name in names:
            cells = []
            for count in clients:
                ours, theirs = table.get((name, target, count)), table.get((name, "oxigraph", count))
                if ours and theirs:
                    cells.append(f"{count:2}: ×{ours['throughput'] / theirs['throughput']:.2f} "
                                 f"{ours['p99']:8.1f} | {theirs['p99']:8.1f}  {ours['errors']}/{theirs['errors']}")
            print(f"  {name:28} " + "   ".join(cells))
    print(f"(cpus: {os.cpu_count()})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS, help="ingested when no store is given")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--store", help="an existing whole-corpus store folder (opened read-only)")
    source.add_argument("--data", type=Path, help="N-Quads to load into a temporary store instead")
    parser.add_argument("--requests", type=int, default=400, help="most requests per target, query and concurrency")
    parser.add_argument("--budget", type=float, default=20.0,
                        help="seconds of one core's work a measurement aims at (fewer requests for slow queries)")
    parser.add_argument("--queries", nargs="*", help="names of the queries to run (default: all)")
    parser.add_argument("--clients", nargs="*", type=int, default=list(CONCURRENCY))
    parser.add_argument("--query-timeout", type=float, default=14400.0, help="the endpoint's time limit (seconds)")
    parser.add_argument("--workers", type=int, default=None, help="endpoint query workers (default: its own)")
    parser.add_argument("--uncached", action=argparse.BooleanOptionalAction, default=True,
                        help="also measure the endpoint with no kept answers (default: yes)")
    args = parser.parse_args()
    args.warm = args.workers or min(16, 2 * (os.cpu_count() or 1))
    if not OXIGRAPH.exists():
        print(f"no Oxigraph server binary at {OXIGRAPH} (pip install oxigraph)", file=sys.stderr)
        return 1
    folder = args.store or (load_store(args.data) if args.data else ingest_store(args.corpus))
    queries = {name: text for name, text in analysts_queries().items() if not args.queries or name in args.queries}
    table: dict = {}
    targets: list[Target] = []
    try:
        port = free_port()
        command = [sys.executable, "-m", "dutygraph", "serve", "--store", folder, "--port", str(port),
                   "--query-timeout", str(args.query_timeout)]
        command += ["--workers", str(args.workers)] if args.workers else []
        targets.append(Target("endpoint", command, f"http://127.0.0.1:{port}/sparql"))
        if args.uncached:
            port = free_port()
            command[command.index("--port") + 1] = str(port)
            targets.append(Target("uncached", command + ["--answer-cache-mb", "0"], f"http://127.0.0.1:{port}/sparql"))
        port = free_port()
        targets.append(Target("oxigraph", [str(OXIGRAPH), "serve-read-only", "--location", folder,
                                           "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                              f"http://127.0.0.1:{port}/query"))
        for name, query in queries.items():
            measure_query(name, query, targets, args, table)
    finally:
        for target in targets:
            target.stop()
        if not args.store:
            shutil.rmtree(folder, ignore_errors=True)
    print_table(table, list(queries), tuple(args.clients))
    return 1 if any(row["errors"] for row in table.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
