"""Documents' N-Triples read as one N-Quads stream, each line given its document's graph, so the
embedded store's bulk loader parses a whole batch in Rust (graph/store.py EmbeddedStore._bulk_load).

The rewrite puts the graph before each line's closing " .": N-Triples allow no raw newline inside
a term, so every statement ends a line. A line it cannot rewrite (no " ." before its newline, a
comment after the dot, "\r\n") stays a triple, which the loader puts in the default graph, where
the store looks for it afterwards: the stream is then withdrawn, never half-trusted. Blank nodes
are each document's own, which one stream of several documents cannot keep apart: a document
holding "_:" ends the stream with `refused` set (a literal holding "_:" only costs that speed).
"""
from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO

BLOCK_BYTES = 1 << 20
STATEMENT_END = b" .\n"


class NQuadsStream:
    """A binary reader for pyoxigraph in parts of `part_lines` lines (what one loader call holds in
    memory): `read(size)` gives the next N-Quads bytes, b"" at the end of a part; `next_part()`
    whether another follows."""

    def __init__(self, graphs: list[tuple[str, bytes | Path]], part_lines: int):
        self._graphs = iter(graphs)
        self._blocks: Iterator[bytes] = iter(())
        self._pending = memoryview(b"")
        self._held_back = b""  # the lines of a block beyond its part
        self._part_lines = part_lines
        self._lines = 0
        self._ended = False
        self.refused = False

    def next_part(self) -> bool:
        self._lines = 0
        return not self._ended

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            return b"".join(iter(lambda: self.read(BLOCK_BYTES), b""))
        if not self._pending:
            block = self._next_block()
            if not block:
                return b""
            self._pending = memoryview(block)
        taken = self._pending[:size]
        self._pending = self._pending[len(taken):]
        return bytes(taken)

    def _next_block(self) -> bytes:
        """The next lines of this part, b"" at its end."""
        room = self._part_lines - self._lines
        if room <= 0:
            return b""
        block, self._held_back = self._held_back, b""
        while not block:
            block = next(self._blocks, None)
            if block is None:
                entry = next(self._graphs, None)
                if entry is None or self.refused:
                    self._ended = True
                    return b""
                self._blocks = self._document(*entry)
        lines = block.count(b"\n")
        if lines > room:
            cut = _after_lines(block, room)
            block, self._held_back, lines = block[:cut], block[cut:], room
        self._lines += lines
        return block

    def _document(self, graph: str, ntriples: bytes | Path) -> Iterator[bytes]:
        tail = b" <" + graph.encode() + b">" + STATEMENT_END
        for block in _blocks_of_lines(ntriples):
            if b"_:" in block:
                self.refused = True
                return
            yield block.replace(STATEMENT_END, tail)


def _after_lines(block: bytes, count: int) -> int:
    at = -1
    for _ in range(count):
        at = block.index(b"\n", at + 1)
    return at + 1


@contextlib.contextmanager
def opened(ntriples: bytes | Path) -> Iterator[IO[bytes]]:
    """N-Triples given as bytes or as the file holding them, to read once."""
    if isinstance(ntriples, bytes):
        yield io.BytesIO(ntriples)
    else:
        with open(ntriples, "rb") as source:
            yield source


def _blocks_of_lines(ntriples: bytes | Path) -> Iterator[bytes]:
    """The N-Triples in blocks of about BLOCK_BYTES, each cut after a newline (the last as it ends)."""
    with opened(ntriples) as source:
        rest = b""
        while block := source.read(BLOCK_BYTES):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            if cut:
                yield block[:cut]
        if rest:
            yield rest
