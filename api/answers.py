"""Answers kept for identical queries over an unchanged store.

Analysts and their dashboards send the same queries again and again. While the store is unchanged,
a deterministic query over the same dataset has the same answer, so the bytes a worker serialised
are sent again without a worker, a pipe or an engine. Entries are keyed by the worker pool's store
version, which every write bumps (an update through the endpoint, or another process's write noticed
on the folder): a kept answer is never older than what a worker would read at that moment.
"""
from __future__ import annotations

import threading
from collections import OrderedDict


class AnswerCache:
    """Least recently used answers, at most `max_bytes` of them; one answer at most an eighth, so a
    few big answers cannot push out every small one."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple, bytes] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: tuple) -> bytes | None:
        with self.lock:
            answer = self.entries.get(key)
            if answer is not None:
                self.entries.move_to_end(key)
            return answer

    def put(self, key: tuple, answer: bytes) -> None:
        if not self.max_bytes or len(answer) > self.max_bytes // 8:
            return
        with self.lock:
            previous = self.entries.pop(key, None)
            self.size += len(answer) - (len(previous) if previous is not None else 0)
            self.entries[key] = answer
            while self.size > self.max_bytes:
                self.size -= len(self.entries.popitem(last=False)[1])

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0
