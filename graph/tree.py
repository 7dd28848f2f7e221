"""A document's provision tree as its graph is built: each node's IRI, parent and position, and the
units' authorities resolved against it, a top-level provision at a time."""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from dutygraph.graph import ids
from dutygraph.model import Provision


@dataclass(frozen=True, slots=True)
class _Window:
    """The nodes of one top-level provision: path → IRI, and IRI → its parent's IRI."""

    paths: dict[str, str]
    parents: dict[str, str]


class ReachedTree:
    """A document's provisions as a walk over its top-level ones reaches them.

    The sentence walk (split_sentences) pulls the top-level provisions through `top_level()`; ingest
    gives them one at a time (structure.parse_lazily). The graph states each reached node once
    (`take`) and resolves units' authorities (`resolve`). Units come in document order, so an
    authority is looked for from the top-level provision of the previous unit's onwards, and the
    paths before it are let go: a large document's tree and paths never stand in memory whole, only
    the IRIs of its articles, which sanctions cite by number. A path not reached yet is looked for
    further on, the provisions read on the way kept for the walk (units made without it, in tests).
    The IRIs let go, but for those articles' and those pinned with their ancestors (authorities of
    sanctions, stated after their numbering run's last unit), are handed on once (`settled`): nothing
    names them again.
    """

    def __init__(self, provisions: Iterable[Provision], instrument: str):
        self.instrument = instrument
        self.articles: dict[int, str] = {}  # 第X条 → IRI (plain articles, not 之一 insertions)
        self._source = iter(provisions)
        self._ahead: deque[Provision] = deque()  # reached by a lookup, not yet given to the walk
        self._count = 0  # top-level provisions reached
        self._untaken: list[tuple[str, int, Provision, str]] = []
        self._open: deque[_Window] = deque()  # one per top-level provision units may still name
        self._settled: list[str] = []
        self._pinned: set[str] = set()

    def top_level(self) -> Iterator[Provision]:
        while self._ahead or self._reach_next():
            yield self._ahead.popleft()

    def reach_all(self) -> None:
        while self._reach_next():
            pass

    def take(self) -> list[tuple[str, int, Provision, str]]:
        """(parent IRI, position, provision, its IRI) of each node reached since the last call, parents first."""
        taken, self._untaken = self._untaken, []
        return taken

    def settled(self) -> list[str]:
        """The IRIs let go since the last call that no statement can name any more: every provision
        behind the last unit's top-level one but the plain articles, once all reached are taken (a
        lookup that read on lets go of provisions not stated yet, whose parts name their parents)."""
        if self._untaken:
            return []
        settled, self._settled = self._settled, []
        return settled

    def pin(self, iri: str) -> None:
        """Keep `iri` (a provision of a top-level one still open) and its ancestors out of `settled`."""
        self._pinned.add(iri)

    def knows(self, path: str) -> bool:
        """Whether `path` is a provision a unit can name now (not before the previous unit's)."""
        return self._find(path, forget_before=False) is not None

    def resolve(self, path: str) -> str:
        """The IRI of the provision at `path`; a path missing from the tree falls back to its nearest
        ancestor, and to the instrument."""
        parts = path.split("/") if path else []
        while parts:
            found = self._find("/".join(parts), forget_before=True)
            if found is not None:
                return found
            parts.pop()
        return self.instrument

    def _find(self, path: str, *, forget_before: bool) -> str | None:
        at = 0
        while at < len(self._open) or self._reach_next():
            window = self._open[at]
            if path in window.paths:
                if forget_before:
                    for _ in range(at):
                        self._let_go(self._open.popleft())
                return window.paths[path]
            at += 1
        return None

    def _let_go(self, window: _Window) -> None:
        kept = set()
        for pinned in self._pinned & window.parents.keys():
            self._pinned.discard(pinned)
            while pinned in window.parents:
                kept.add(pinned)
                pinned = window.parents[pinned]
        self._settled.extend(iri for path, iri in window.paths.items()
                             if article_number(path) is None and iri not in kept)

    def _reach_next(self) -> bool:
        provision = next(self._source, None)
        if provision is None:
            return False
        self._count += 1
        window = _Window({}, {})
        for parent, position, node, iri in self._nodes(provision, self.instrument, self._count):
            window.paths[node.path] = iri
            window.parents[iri] = parent
            self._untaken.append((parent, position, node, iri))
            number = article_number(node.path)
            if number is not None:
                self.articles[number] = iri
        self._open.append(window)
        self._ahead.append(provision)
        return True

    def _nodes(self, provision: Provision, parent: str, position: int) -> Iterator[tuple[str, int, Provision, str]]:
        """The subtree in document order, parents first; a node's IRI is its children's parent as one
        string object (the SHACL checker keeps every node's parent)."""
        iri = ox.NamedNode(ids.provision_iri(self.instrument, provision.path)).value
        yield parent, position, provision, iri
        for child_position, child in enumerate(provision.children, 1):
            yield from self._nodes(child, iri, child_position)


def article_number(path: str) -> int | None:
    """第X条's X for the path of a plain article (not a 之一 insertion, nor a part of an article)."""
    return int(path[4:]) if path.startswith("art/") and path[4:].isdigit() else None
