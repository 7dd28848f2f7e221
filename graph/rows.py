"""SELECT answers as plain rows (dicts of strings, unbound variables absent), from any Store or an
in-memory pyoxigraph.Store, so compare and matrix code runs the same over the CLI, the API and tests."""
from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox

Rows = Callable[[str], list[dict[str, str]]]


def store_rows(store) -> Rows:
    """A row source over a dutygraph Store, or a pyoxigraph.Store (queried with its union graph)."""
    def run(query: str) -> list[dict[str, str]]:
        if isinstance(store, ox.Store):
            results = store.query(query, use_default_graph_as_union=True)
        else:
            results = store.query(query)
        names = [variable.value for variable in results.variables]
        return [{name: row[name].value for name in names if row[name] is not None} for row in results]
    return run
