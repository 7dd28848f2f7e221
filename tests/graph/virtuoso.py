"""A throw-away Virtuoso (Debian's virtuoso-opensource) on loopback: its own folder, ports and ini.

    with running_virtuoso(folder) as server:   # server.url is the SPARQL endpoint, …/sparql
        ...

The database starts empty apart from Virtuoso's own graphs; setup grants the anonymous SPARQL user
SPARQL_UPDATE (for updates and the Graph Store Protocol) and drops the two sample graphs the
package creates, which would otherwise sit in the union default graph.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SERVER = "virtuoso-t"
ISQL = "isql-vt"
VSP = Path("/var/lib/virtuoso-opensource-7/vsp")
INI = """[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = ., {folder}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {vsp}
ServerThreads = 8
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 100000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""
SETUP = """GRANT SPARQL_UPDATE TO "SPARQL";
SPARQL CLEAR GRAPH <http://www.w3.org/ns/ldp#>;
SPARQL CLEAR GRAPH <http://localuriqaserver/sparql>;
"""


def missing() -> str | None:
    """Why Virtuoso cannot run here, or None."""
    for program in (SERVER, ISQL):
        if shutil.which(program) is None:
            return f"{program} not found (apt-get install virtuoso-opensource; scripts/ensure-test-tools does it as root)"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Virtuoso:
    folder: Path
    sql_port: int
    http_port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def isql(self, script: str, timeout: float = 600) -> str:
        """Run SQL statements as dba; raises when any of them fails."""
        done = subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", "dba", "dba"], input=script, text=True,
                              capture_output=True, timeout=timeout, check=False)
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql failed: {done.stdout[-2000:]} {done.stderr[-2000:]}")
        return done.stdout


@contextmanager
def running_virtuoso(folder: Path, *, memory_mb: int = 256) -> Iterator[Virtuoso]:
    """Start, set up, yield, stop. `memory_mb` sizes the buffer pool (8 KB pages)."""
    folder.mkdir(parents=True, exist_ok=True)
    server = Virtuoso(folder, free_port(), free_port())
    buffers = memory_mb * 1024 // 8
    (folder / "virtuoso.ini").write_text(INI.format(
        folder=folder, sql_port=server.sql_port, http_port=server.http_port, vsp=VSP,
        buffers=buffers, dirty_buffers=buffers * 3 // 4), encoding="utf-8")
    log = (folder / "console.log").open("wb")
    process = subprocess.Popen([SERVER, "-f", "+configfile", str(folder / "virtuoso.ini")], cwd=folder,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_up(server, process)
        server.isql(SETUP)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def wait_until_up(server: Virtuoso, process: subprocess.Popen, timeout: float = 120) -> None:
    ask = f"{server.url}?{urllib.parse.urlencode({'query': 'ASK {}'})}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso exited with {process.returncode}; see {server.folder}/console.log")
        try:
            urllib.request.urlopen(ask, timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"virtuoso did not answer within {timeout:.0f} s")
