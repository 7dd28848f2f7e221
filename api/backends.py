"""Where the endpoint's queries and updates go, whatever the store is.

- a store folder (the embedded pyoxigraph store): queries go to killable worker processes that
  open the folder read-only; updates run on the store object itself, then the workers reopen;
- a store without a folder (e.g. an in-memory pyoxigraph.Store in tests): a snapshot is written
  to a temporary folder for the workers, and written again after each update;
- a remote http(s) SPARQL endpoint: queries are forwarded with a timeout.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import tempfile
import threading
import time
import weakref
from pathlib import Path
from typing import Protocol
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from dutygraph.api.workers import QueryJob, WorkerLimits, WorkerPool
from dutygraph.errors import DutygraphError

SPARQL_JSON = "application/sparql-results+json"


class Backend(Protocol):
    def run(self, job: QueryJob, timeout: float, reuse: bool = False) -> bytes:
        """The answer; with `reuse` (a deterministic query) it may be one kept from an identical job
        over the same state of the store."""

    async def run_async(self, job: QueryJob, timeout: float, reuse: bool = False) -> bytes:
        """`run` from the event loop."""

    def update(self, text: str, base_iri: str | None) -> None: ...

    def start(self) -> None:
        """Ready to run (again, after `close`): an app can be started and stopped more than once."""

    def close(self) -> None: ...

    def export_location(self) -> str:
        """Where an export process opens the store as it is now (a folder or an http(s) URL)."""


def store_location(store) -> str:
    location = getattr(store, "location", None)
    return location if isinstance(location, str) else ""


def is_store_folder(location: str) -> bool:
    return bool(location) and (Path(location) / "CURRENT").is_file()


def open_backend(store, *, workers: int, limits: WorkerLimits) -> Backend:
    location = store_location(store)
    if location.startswith(("http://", "https://")):
        # dutygraph's RemoteStore knows its query service URL (e.g. Oxigraph's …/query).
        query_url = getattr(store, "query_url", None) or getattr(store, "_query_url", None) or location
        return RemoteBackend(store, query_url, limits)
    if is_store_folder(location):
        return FolderBackend(store, location, workers=workers, limits=limits)
    return SnapshotBackend(store, workers=workers, limits=limits)


def apply_update(store, text: str, base_iri: str | None) -> None:
    # The Store protocol's update() takes no base IRI; a BASE prologue does the same job.
    prologue = f"BASE <{base_iri}>\n" if base_iri else ""
    try:
        store.update(prologue + text)
    except SyntaxError as error:
        raise DutygraphError("DG-A001", "sparql", str(error)) from error
    except OSError as error:
        raise DutygraphError("DG-A015", "sparql", f"{type(error).__name__}: {error}") from error
    except (RuntimeError, ValueError, TypeError) as error:  # e.g. DROP of a graph that does not exist
        raise DutygraphError("DG-A019", "sparql", str(error)) from error


def folder_signature(folder: str) -> tuple:
    """Names, sizes and times of the store's files: any write (ours or `dutygraph ingest`) changes it."""
    entries = []
    for entry in os.scandir(folder):
        with contextlib.suppress(FileNotFoundError):
            info = entry.stat()
            entries.append((entry.name, info.st_size, info.st_mtime_ns))
    return tuple(sorted(entries))


class FolderBackend:
    # Read-only workers see the store as it was when they opened it; look for writes this often.
    FRESHNESS_SECONDS = 1.0

    def __init__(self, store, folder: str, *, workers: int, limits: WorkerLimits):
        self.store = store
        self.folder = folder
        self.pool = WorkerPool(folder, size=workers, limits=limits)
        self.write_lock = threading.Lock()
        self.signature = folder_signature(folder)
        self.next_check = time.monotonic() + self.FRESHNESS_SECONDS

    def run(self, job: QueryJob, timeout: float, reuse: bool = False) -> bytes:
        self.notice_writes()
        return self.pool.run(job, timeout, reuse)

    async def run_async(self, job: QueryJob, timeout: float, reuse: bool = False) -> bytes:
        self.notice_writes()
        return await self.pool.run_async(job, timeout, reuse)

    def notice_writes(self) -> None:
        now = time.monotonic()
        if now < self.next_check:
            return
        with self.write_lock:
            self.next_check = now + self.FRESHNESS_SECONDS
            signature = folder_signature(self.folder)
            if signature != self.signature:
                self.signature = signature
                self.pool.reopen()

    def start(self) -> None:
        self.pool.start()

    def export_location(self) -> str:
        return self.folder

    def update(self, text: str, base_iri: str | None) -> None:
        with self.write_lock:
            apply_update(self.store, text, base_iri)
            flush = getattr(self.store, "flush", None)
            if flush:
                flush()
            self.pool.reopen()

    def close(self) -> None:
        self.pool.close()


def write_snapshot(store) -> str:
    """Copy any store into a fresh temporary pyoxigraph folder the workers can open read-only."""
    folder = tempfile.mkdtemp(prefix="dutygraph-snapshot-")
    copy = ox.Store(folder)
    copy.load(store.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    copy.flush()
    del copy  # closes the writer before any reader opens the folder
    return folder


def remove_folders(folders: list[str]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


class SnapshotBackend:
    def __init__(self, store, *, workers: int, limits: WorkerLimits):
        self.store = store
        self.folders = [write_snapshot(store)]
        weakref.finalize(self, remove_folders, self.folders)
        self.pool = WorkerPool(self.folders[0], size=workers, limits=limits)
        self.write_lock = threading.Lock()

    def run(self, job: QueryJob, timeout: float, reuse: bool = False) -> bytes:
        return self.pool.run(job, timeout, reuse)

    async def run_async(self, job: QueryJob, timeout: float, reuse: bool = False) -> bytes:
        return await self.pool.run_async(job, timeout, reuse)

    def update(self, text: str, base_iri: str | None) -> None:
        with self.write_lock:
            apply_update(self.store, text, base_iri)
            self.folders.append(write_snapshot(self.store))
            self.pool.reopen(self.folders[-1])

    def export_location(self) -> str:
        return self.folders[-1]

    def start(self) -> None:
        self.pool.start()

    def close(self) -> None:
        self.pool.close()


class RemoteBackend:
    def __init__(self, store, endpoint: str, limits: WorkerLimits):
        self.store = store
        self.endpoint = endpoint
        self.limits = limits
        self.client = httpx.Client()

    def start(self) -> None:
        if self.client.is_closed:
            self.client = httpx.Client()

    # The remote store changes without this process knowing: every answer is asked for anew.
    async def run_async(self, job: QueryJob, timeout: float, reuse: bool = False) -> bytes:
        return await asyncio.to_thread(self.run, job, timeout)

    def run(self, job: QueryJob, timeout: float, reuse: bool = False) -> bytes:
        prologue = f"BASE <{job.base_iri}>\n" if job.base_iri else ""
        form = [("query", prologue + job.query)]
        form += [("default-graph-uri", iri) for iri in job.default_graphs or ()]
        form += [("named-graph-uri", iri) for iri in job.named_graphs or ()]
        try:
            with self.client.stream(
                "POST", self.endpoint, content=urlencode(form).encode(), timeout=timeout,
                headers={"Accept": job.media_type, "Content-Type": "application/x-www-form-urlencoded"},
            ) as response:
                body = read_bounded(response, self.limits.result_bytes)
        except httpx.TimeoutException:
            raise DutygraphError("DG-A007", self.endpoint, f"limit {timeout:g} s") from None
        except httpx.HTTPError as error:
            raise DutygraphError("DG-A014", self.endpoint, str(error)) from None
        if response.status_code == 400:
            raise DutygraphError("DG-A001", self.endpoint, body.decode("utf-8", "replace")[:2000])
        if response.status_code >= 300:
            raise DutygraphError("DG-A014", self.endpoint, f"HTTP {response.status_code}")
        return body

    def update(self, text: str, base_iri: str | None) -> None:
        apply_update(self.store, text, base_iri)

    def export_location(self) -> str:
        return store_location(self.store)

    def close(self) -> None:
        self.client.close()


def read_bounded(response: httpx.Response, limit: int) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise DutygraphError("DG-A009", "sparql", f"more than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def select_rows(backend: Backend, query: str, timeout: float) -> list[dict[str, str]]:
    """A SELECT answer as plain dicts of strings (unbound variables absent)."""
    answer = json.loads(backend.run(QueryJob(query, SPARQL_JSON), timeout))
    return [{name: cell["value"] for name, cell in row.items()} for row in answer["results"]["bindings"]]
