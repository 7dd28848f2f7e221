"""Expand the paths given to `ingest` into the supported files they name, recursively."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from dutygraph.extract.read import FORMATS


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given (whatever their suffix: read_file reports unsupported ones) plus the
    supported files under each folder, sorted, each once."""
    found: dict[Path, None] = {}
    for path in map(Path, paths):
        if path.is_dir():
            found.update(dict.fromkeys(sorted(p for p in path.rglob("*")
                                              if p.is_file() and p.suffix.lower() in FORMATS
                                              and not p.name.startswith((".", "~$")))))
        else:
            found[path] = None
    return list(found)
