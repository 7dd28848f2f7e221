"""Child processes (query workers, exports, extraction) end with the process that started them.

Without this, `kill -9` of a server or an ingest leaves its children running, holding the store
open and the CPU busy. A watching thread rather than the kernel's parent-death signal: that signal
follows the parent's *thread* that started the child, and the server starts workers from pool
threads that may end long before the server does.
"""
from __future__ import annotations

import os
import threading

PARENT_VARIABLE = "DUTYGRAPH_PARENT_PID"
WATCH_SECONDS = 0.5


def die_with_parent(parent: int | None = None) -> None:
    """End this process (at once, whatever it is doing) when `parent` is gone.

    `parent` defaults to $DUTYGRAPH_PARENT_PID (set by `child_environment`), else the current parent.
    """
    expected = parent or int(os.environ.get(PARENT_VARIABLE) or os.getppid())

    def watch() -> None:
        while os.getppid() == expected:
            threading.Event().wait(WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def child_environment() -> dict[str, str]:
    """This process's environment plus what a child needs to call `die_with_parent()`."""
    return {**os.environ, PARENT_VARIABLE: str(os.getpid())}
