"""`kill -9` of an ingest or a server takes its worker processes with it."""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from dutygraph.graph.ingest import PARALLEL_FROM
from tests.api.conftest import ServeProcess, fixture_folder
from tests.api.test_security import CROSS_PRODUCT

SEEDS = Path(__file__).resolve().parents[2] / "samples" / "seeds"


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        # a thread may end between the listing and the read: its children are nobody's to count
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")  # a zombie has ended: only its parent's bookkeeping is left


def wait_for(condition, what: str, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def kill_and_check(process: subprocess.Popen, minimum: int) -> None:
    wait_for(lambda: len(children(process.pid)) >= minimum, "the workers never started")
    workers = children(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    wait_for(lambda: not any(alive(pid) for pid in workers), f"workers {sorted(filter(alive, workers))} lived on")


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc")
def test_killing_an_ingest_ends_its_extraction_workers(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    # enough files for extraction in worker processes, and for the ingest to outlast the first look
    for number in range(4 * PARALLEL_FROM):
        shutil.copy(sorted(SEEDS.glob("*.txt"))[number % 5], folder / f"{number:03d}_copy.txt")
    ingest = subprocess.Popen([sys.executable, "-m", "dutygraph", "ingest", str(folder), "--store", str(tmp_path / "s")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kill_and_check(ingest, minimum=2)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc")
def test_killing_a_server_ends_its_busy_query_workers(tmp_path):
    # An idle worker ends anyway when its connection closes; a busy one must be ended.
    server = ServeProcess(fixture_folder(tmp_path / "store"), "--workers", "2", "--query-timeout", "600")

    def ask_forever():
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(server.url + "/sparql", params={"query": CROSS_PRODUCT}, timeout=600)

    with server:
        threading.Thread(target=ask_forever, daemon=True).start()
        time.sleep(1)  # for the query to reach a worker
        kill_and_check(server.process, minimum=2)
