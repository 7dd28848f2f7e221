"""Child processes (query workers, exports, extraction) end with the process that started them.

Without this, `kill -9` of a server or an ingest leaves its children running, holding the store
open and the CPU busy.
"""
from __future__ import annotations

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1
PARENT_VARIABLE = "DUTYGRAPH_PARENT_PID"


def die_with_parent(parent: int | None = None) -> None:
    """Ask the kernel for SIGKILL when the parent ends; end now if it already has.

    `parent` defaults to $DUTYGRAPH_PARENT_PID (set by `child_environment`), else the current parent.
    The signal follows the parent's thread that started this process, so start children from
    threads that live as long as they should (the main thread, or a pool's long-lived threads).
    """
    expected = parent or int(os.environ.get(PARENT_VARIABLE) or os.getppid())
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: nothing to ask for
        return
    if os.getppid() != expected:  # the parent ended before the request was in place
        os._exit(1)


def child_environment() -> dict[str, str]:
    """This process's environment plus what a child needs to call `die_with_parent()`."""
    return {**os.environ, PARENT_VARIABLE: str(os.getpid())}
