"""Run SPARQL queries in worker processes that can be killed.

pyoxigraph's Python API has no query timeout, and a thread cannot be stopped, so every query runs
in a warm worker process holding the store open read-only; at the time limit the worker is killed
and replaced. Each worker also has an address-space limit and serialises its answer into a
bounded buffer, so memory and result size end in an error instead of a truncated answer.

This module is imported by the workers themselves: keep it free of web-framework imports.
"""
from __future__ import annotations

import asyncio
import ctypes
import functools
import os
import pickle
import queue
import re
import resource
import socket
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

from dutygraph.api.answers import AnswerCache
from dutygraph.children import child_environment, die_with_parent
from dutygraph.errors import DutygraphError, describe
from dutygraph.model import Problem

# A writer rotating its manifest, or compacting away files an older view still reads, fails a
# read; opening anew mends it. Measured under a load average of 10: three tries (0.15 s) were not
# always enough, so the tries back off for up to 1.4 s.
TRANSIENT_ATTEMPTS = 8
TRANSIENT_STORAGE = re.compile("IO error|Corruption")

CLONE_NEWNET = 0x40000000
# A reply up to this size is read on the event loop (it is already in the socket, or about to be);
# a bigger one in a thread, so a 64 MB answer does not stall every other request.
INLINE_REPLY_BYTES = 1 << 20


@dataclass(frozen=True)
class QueryJob:
    query: str
    media_type: str  # of the answer
    base_iri: str | None = None
    union_default_graph: bool = True
    # The protocol's dataset (default-graph-uri / named-graph-uri); None = the query's own or the store's.
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None


@dataclass(frozen=True)
class WorkerLimits:
    memory_bytes: int = 2 << 30
    result_bytes: int = 64 << 20
    kept_answer_bytes: int = 0  # answers kept for repeated queries (0: none)


class ResultTooLarge(Exception):
    pass


class BoundedBuffer:
    """A write-only byte sink that refuses to grow past `limit`."""

    def __init__(self, limit: int):
        self.limit = limit
        self.chunks: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise ResultTooLarge(f"more than {self.limit} bytes")
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.chunks)


def isolate_from_network() -> bool:
    """Best effort: a private network namespace with no interfaces (needs CAP_SYS_ADMIN).

    The endpoint already refuses SERVICE and LOAD before execution; this makes an engine that
    still tried to connect fail with 'network unreachable'. True when the namespace was made.
    """
    try:
        return ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWNET) == 0
    except (OSError, AttributeError):
        return False


@functools.cache
def network_isolation_available() -> bool:
    """Whether a worker started now could cut itself off (asked of a throwaway process: unsharing
    here would cut the server off)."""
    probe = [sys.executable, "-c", "import sys; from dutygraph.api.workers import isolate_from_network as i; "
                                   "sys.exit(0 if i() else 1)"]
    return subprocess.run(probe, stdin=subprocess.DEVNULL, capture_output=True, timeout=60).returncode == 0


@functools.cache
def warn_once_if_not_isolated() -> None:
    if not network_isolation_available():
        print(f"dutygraph: {describe(Problem('DG-A101', 'serve'))}", file=sys.stderr, flush=True)


def execute(store, job: QueryJob, limits: WorkerLimits) -> bytes:
    import pyoxigraph as ox

    options: dict = {"base_iri": job.base_iri}
    if job.default_graphs is not None or job.named_graphs is not None:
        options["default_graph"] = [ox.NamedNode(iri) for iri in job.default_graphs or ()]
        options["named_graphs"] = [ox.NamedNode(iri) for iri in job.named_graphs or ()]
    elif job.union_default_graph:
        options["use_default_graph_as_union"] = True
    result = store.query(job.query, **options)
    if isinstance(result, ox.QueryTriples):
        output_format = ox.RdfFormat.from_media_type(job.media_type)
    else:
        output_format = ox.QueryResultsFormat.from_media_type(job.media_type)
    sink = BoundedBuffer(limits.result_bytes)
    result.serialize(sink, output_format)
    return sink.getvalue()


def serve_jobs(connection: Connection, limits: WorkerLimits) -> None:
    """Worker main loop: ((folder, version), job) in, ("ok", bytes, answered from that version) or ("error", code, detail) out."""
    die_with_parent()
    isolate_from_network()
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    from dutygraph.graph.store import open_read_only

    store, opened = None, None
    while True:
        try:
            version, job = connection.recv()
        except EOFError:
            return
        try:
            for attempt in range(TRANSIENT_ATTEMPTS):
                try:
                    if version != opened:
                        # While ingest writes a large graph the worker answers from the view it
                        # holds (consistent, a little old) rather than wait for the write.
                        view = open_read_only(version[0], wait=store is None)
                        if view is not None:
                            store, opened = view, version
                    answer = execute(store, job, limits)
                    break
                except (OSError, RuntimeError) as error:
                    # another process writing the folder may rotate its manifest while a read-only
                    # view opens it ("IO error … MANIFEST may be corrupted"): open it anew and retry
                    if attempt + 1 == TRANSIENT_ATTEMPTS or not TRANSIENT_STORAGE.search(str(error)):
                        raise
                    store, opened = None, None
                    time.sleep(0.05 * (attempt + 1))
            # whether the answer comes from the version asked for, not a view kept through a write
            connection.send(("ok", answer, opened == version))
        except SyntaxError as error:
            connection.send(("error", "DG-A001", str(error)))
        except ResultTooLarge as error:
            connection.send(("error", "DG-A009", str(error)))
        except MemoryError:
            connection.send(("error", "DG-A008", "worker address space exhausted"))
            return
        except (ValueError, TypeError) as error:
            connection.send(("error", "DG-A001", str(error)))
        except Exception as error:  # the worker must answer whatever the engine raised
            connection.send(("error", "DG-A015", f"{type(error).__name__}: {error}"))


class Worker:
    """One worker process, started as `python -m dutygraph.api.workers FD …` over a socket pair.

    A fresh interpreter (not fork, not multiprocessing's spawn) so the worker never inherits the
    server's threads or re-imports the caller's main module.
    """

    def __init__(self, limits: WorkerLimits):
        ours, theirs = socket.socketpair()
        command = [sys.executable, "-m", "dutygraph.api.workers", str(theirs.fileno()),
                   str(limits.memory_bytes), str(limits.result_bytes)]
        # An allocation failure aborts the engine; one line on stderr says so, no backtrace.
        # glibc reserves 64 MB of address space per thread arena: with the default arena count a
        # freshly opened store already peaked at 600 MB of address space for 30 MB resident, and a
        # replacement worker under a 700 MB limit died starting its threads. Two arenas keep the
        # address-space limit a limit on what queries allocate.
        environment = {**child_environment(), "RUST_BACKTRACE": "0", "MALLOC_ARENA_MAX": "2"}
        self.process = subprocess.Popen(command, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, env=environment)
        theirs.close()
        self.connection = Connection(ours.detach())

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self.connection.close()


class WorkerPool:
    """Warm workers over one store folder; `run` is safe from many threads.

    When every warm worker has been busy with one query for over SLOW_SECONDS, a waiting query
    gets an extra one-shot worker (at most `burst` at a time): slow queries never hold up short
    ones for long. A queue of short queries under load does not trigger this, nor does a query the
    same as a running one: it would be as slow, and a cold process more would only slow the running
    ones down.
    """

    SLOW_SECONDS = 1.0
    POLL_SECONDS = 0.05

    def __init__(self, folder: str, *, size: int = 2, limits: WorkerLimits | None = None, burst: int | None = None):
        self.store_version = (folder, 0)
        self.limits = limits or WorkerLimits()
        self.size = size
        self.burst = size if burst is None else burst
        self.extra = 0
        self.busy_since: dict[Worker, float] = {}
        self.running: dict[Worker, QueryJob] = {}
        self.idle: queue.SimpleQueue[Worker] = queue.SimpleQueue()
        self.lock = threading.Lock()
        self.closed = True
        self.workers: list[Worker] = []
        self.answers = AnswerCache(self.limits.kept_answer_bytes)
        self.start()

    def start(self) -> None:
        """Start the workers (again, after `close`); does nothing while they run."""
        with self.lock:
            if not self.closed:
                return
            self.closed = False
            self.workers = [Worker(self.limits) for _ in range(self.size)]
            for worker in self.workers:
                self.idle.put(worker)

    def acquire(self, job: QueryJob, timeout: float) -> tuple[Worker, bool]:
        """A free worker for `job`, and whether it is an extra one-shot worker."""
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                worker = self.idle.get(timeout=min(remaining, self.POLL_SECONDS))
            except queue.Empty:
                with self.lock:
                    if (self.all_stuck() and self.extra < self.burst and not self.closed
                            and job not in self.running.values()):
                        self.extra += 1
                        worker = Worker(self.limits)
                        self.running[worker] = job
                        return worker, True
                continue
            with self.lock:
                self.busy_since[worker] = time.monotonic()
                self.running[worker] = job
            return worker, False
        raise DutygraphError("DG-A011", "sparql", f"no worker free within {timeout:g} s")

    def all_stuck(self) -> bool:
        """Every warm worker busy, the most recent of them for over SLOW_SECONDS (lock held)."""
        started = self.busy_since.values()
        return len(self.busy_since) >= self.size and time.monotonic() - max(started) > self.SLOW_SECONDS

    def release(self, worker: Worker, extra: bool, healthy: bool) -> None:
        with self.lock:
            self.running.pop(worker, None)
        if extra:
            worker.stop()
            with self.lock:
                self.extra -= 1
            return
        with self.lock:
            self.busy_since.pop(worker, None)
        if healthy:
            self.idle.put(worker)
        else:
            self.replace(worker)

    def try_acquire(self, job: QueryJob) -> tuple[Worker, bool] | None:
        """An idle warm worker if one is at hand, without waiting."""
        try:
            worker = self.idle.get_nowait()
        except queue.Empty:
            return None
        with self.lock:
            self.busy_since[worker] = time.monotonic()
            self.running[worker] = job
        return worker, False

    def run(self, job: QueryJob, timeout: float, reuse: bool = False) -> bytes:
        """The answer to `job`; with `reuse` (a deterministic query), one kept from an identical job
        over the same store version if there is one."""
        version = self.store_version
        if reuse and (kept := self.answers.get((version, job))) is not None:
            return kept
        deadline = time.monotonic() + timeout
        worker, extra = self.acquire(job, timeout)
        try:
            worker.connection.send((version, job))
            if not worker.connection.poll(max(0.0, deadline - time.monotonic())):
                self.time_out(worker, extra, timeout)
            reply = worker.connection.recv()
        except (EOFError, OSError):
            self.worker_ended(worker, extra)
        return self.answer(worker, extra, reply, (version, job) if reuse else None)

    async def run_async(self, job: QueryJob, timeout: float, reuse: bool = False) -> bytes:
        """`run` for the event loop: the same limits, but no thread waits on the worker. Only when
        no worker is idle does a thread wait for one (and start an extra one for stuck workers).

        A future resolved by each release, handing the worker to the oldest waiting request, was
        measured slower (8 clients, a 3 ms query: 10–45 % fewer answers): the worker stayed idle until
        that request's coroutine ran, where here a request arriving meanwhile takes it at once."""
        version = self.store_version
        if reuse and (kept := self.answers.get((version, job))) is not None:
            return kept
        deadline = time.monotonic() + timeout
        worker, extra = self.try_acquire(job) or await self.wait_for_worker(job, timeout)
        try:
            worker.connection.send((version, job))
            if not await readable(worker.connection.fileno(), deadline - time.monotonic()):
                self.time_out(worker, extra, timeout)
            reply = await receive(worker.connection.fileno())
        except (EOFError, OSError):
            self.worker_ended(worker, extra)
        except asyncio.CancelledError:
            # the reply may still come: this worker cannot take another job before it is read
            self.release(worker, extra, healthy=False)
            raise
        return self.answer(worker, extra, reply, (version, job) if reuse else None)

    async def wait_for_worker(self, job: QueryJob, timeout: float) -> tuple[Worker, bool]:
        waiting = asyncio.get_running_loop().run_in_executor(None, self.acquire, job, timeout)
        try:
            return await asyncio.shield(waiting)
        except asyncio.CancelledError:
            # the thread still gets a worker: hand it back when it does
            waiting.add_done_callback(lambda done: done.cancelled() or done.exception() or
                                      self.release(*done.result(), healthy=True))
            raise

    def time_out(self, worker: Worker, extra: bool, timeout: float) -> None:
        self.release(worker, extra, healthy=False)
        raise DutygraphError("DG-A007", "sparql", f"limit {timeout:g} s")

    def worker_ended(self, worker: Worker, extra: bool) -> None:
        self.release(worker, extra, healthy=False)
        raise DutygraphError("DG-A008", "sparql", "the worker process ended (memory limit?)") from None

    def answer(self, worker: Worker, extra: bool, reply: tuple, keep_as: tuple | None) -> bytes:
        self.release(worker, extra, healthy=reply[0] == "ok" or reply[1] != "DG-A008")
        if reply[0] == "ok":
            if keep_as is not None and reply[2]:
                # keyed by the version the worker read: after a reopen no request looks it up; an
                # answer from a view kept while ingest wrote a large graph is not kept at all
                self.answers.put(keep_as, reply[1])
            return reply[1]
        raise DutygraphError(reply[1], "sparql", reply[2])

    def replace(self, worker: Worker) -> None:
        worker.stop()
        with self.lock:
            if self.closed:
                return
            fresh = Worker(self.limits)
            self.workers = [fresh if w is worker else w for w in self.workers]
        self.idle.put(fresh)

    def reopen(self, folder: str | None = None) -> None:
        """Make workers open the store again (after an update, or on a new snapshot folder):
        a read-only store sees the data as it was when it was opened."""
        with self.lock:
            self.store_version = (folder or self.store_version[0], self.store_version[1] + 1)
        self.answers.clear()

    def close(self) -> None:
        with self.lock:
            self.closed = True
            workers, self.workers = self.workers, []
            self.busy_since.clear()
            self.running.clear()
            while not self.idle.empty():
                self.idle.get_nowait()
        for worker in workers:
            worker.stop()


async def readable(fd: int, seconds: float) -> bool:
    """Whether the worker's socket has data within `seconds` (its reply has begun)."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    loop.add_reader(fd, lambda: ready.done() or ready.set_result(True))
    try:
        await asyncio.wait_for(ready, max(0.0, seconds))
        return True
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)
        # uvloop leaves a watched descriptor non-blocking; the reads after this, and the
        # Connection's own, expect a blocking one
        os.set_blocking(fd, True)


def read_exactly(fd: int, size: int) -> bytes:
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


async def receive(fd: int):
    """One message as multiprocessing's Connection frames it (a signed 4-byte length, or -1 and
    an 8-byte one, then the pickle), read off a socket that has data."""
    size = struct.unpack("!i", read_exactly(fd, 4))[0]
    if size == -1:
        size = struct.unpack("!Q", read_exactly(fd, 8))[0]
    data = read_exactly(fd, size) if size <= INLINE_REPLY_BYTES else await asyncio.to_thread(read_exactly, fd, size)
    return pickle.loads(data)


if __name__ == "__main__":
    serve_jobs(Connection(int(sys.argv[1])), WorkerLimits(int(sys.argv[2]), int(sys.argv[3])))
