"""Two instruments compared unit by unit (issue 10).

Units are aligned by actor and by the similarity of their act (action + object, character-bigram
Dice), never by article number, since drafts renumber: identical units first, then the most similar
pair of one actor, best first, then pairs whose actor alone changed. Each row has one status.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass

STATUSES = ("same", "modality_changed", "actor_changed", "text_changed", "only_in_a", "only_in_b")
# A pair of one actor is one unit changed only when its act still mostly reads the same.
MIN_SAME_ACTOR = 0.5
# Across actors both the act and the rest of the sentence must read the same: only the name moved.
MIN_OTHER_ACTOR = 0.8


@dataclass(frozen=True)
class ComparedUnit:
    actor: str | None
    modality: str
    action: str
    object: str
    article: int | None
    section: str  # the provision as written (第五条第二款（三）) or the heading path
    sentence: str
    provision: str = ""  # the provision's id (instrument stem/path), for links
    enforced_by: tuple[str, ...] = ()  # Duty/Prohibition: "第五十条 罚款、没收" per sanction
    position: int = 0  # document order

    def as_dict(self) -> dict:
        data = asdict(self)
        data["enforced_by"] = list(self.enforced_by)
        data.pop("position")
        return data


@dataclass(frozen=True)
class Row:
    status: str
    a: ComparedUnit | None
    b: ComparedUnit | None
    similarity: float

    def as_dict(self) -> dict:
        return {"status": self.status, "a": self.a.as_dict() if self.a else None,
                "b": self.b.as_dict() if self.b else None, "similarity": round(self.similarity, 3)}


def bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def dice(one: str, other: str) -> float:
    first, second = bigrams(one), bigrams(other)
    if not first and not second:
        return 1.0
    return 2 * len(first & second) / (len(first) + len(second))


def act(unit: ComparedUnit) -> str:
    return unit.action + unit.object


def status_of(a: ComparedUnit, b: ComparedUnit) -> str:
    if a.actor != b.actor:
        return "actor_changed"
    if a.modality != b.modality:
        return "modality_changed"
    if act(a) != act(b):
        return "text_changed"
    return "same"


def align(a: Sequence[ComparedUnit], b: Sequence[ComparedUnit]) -> list[Row]:
    """Every unit of `a` and `b` in exactly one row, in the order of `b` (the newer text) with the
    units only in `a` where they stood."""
    pairs: dict[int, tuple[int, float]] = {}  # index in a → (index in b, similarity)
    free_a, free_b = set(range(len(a))), set(range(len(b)))
    _pair_identical(a, b, free_a, free_b, pairs)
    _pair_best_first(a, b, free_a, free_b, pairs, same_actor=True)
    _pair_best_first(a, b, free_a, free_b, pairs, same_actor=False)
    rows = [(_order(i, pairs, a, b), Row(status_of(a[i], b[j]), a[i], b[j], similarity))
            for i, (j, similarity) in pairs.items()]
    rows += [(_order(i, pairs, a, b), Row("only_in_a", a[i], None, 0.0)) for i in free_a]
    rows += [((j, 1, 0), Row("only_in_b", None, b[j], 0.0)) for j in free_b]
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def _order(i: int, pairs: dict[int, tuple[int, float]], a, b) -> tuple[int, int, int]:
    """A paired unit sorts at its place in b; a unit only in a right after the b unit paired with
    the nearest a unit before it."""
    if i in pairs:
        return pairs[i][0], 0, 0
    before = [pairs[k][0] for k in range(i - 1, -1, -1) if k in pairs][:1]
    return (before[0] if before else -1), 2, i


def _pair_identical(a, b, free_a: set[int], free_b: set[int], pairs) -> None:
    waiting: dict[tuple, list[int]] = defaultdict(list)
    for j in sorted(free_b):
        waiting[(b[j].actor, b[j].modality, act(b[j]))].append(j)
    for i in sorted(free_a):
        candidates = waiting.get((a[i].actor, a[i].modality, act(a[i])))
        if candidates:
            # of identical units, the one whose sentence reads closest; the earliest among equals
            j = max(candidates, key=lambda k: dice(a[i].sentence, b[k].sentence))
            candidates.remove(j)
            pairs[i] = (j, 1.0)
            free_a.discard(i)
            free_b.discard(j)


def _pair_best_first(a, b, free_a: set[int], free_b: set[int], pairs, *, same_actor: bool) -> None:
    candidates = []
    for i in free_a:
        for j in free_b:
            if (a[i].actor == b[j].actor) != same_actor:
                continue
            similarity = dice(act(a[i]), act(b[j]))
            context = dice(a[i].sentence, b[j].sentence)
            if same_actor and similarity >= MIN_SAME_ACTOR or \
                    not same_actor and min(similarity, _without_actors(a[i], b[j])) >= MIN_OTHER_ACTOR:
                candidates.append((similarity, context, -abs(i - j), i, j))
    for similarity, _, _, i, j in sorted(candidates, reverse=True):
        if i in free_a and j in free_b:
            pairs[i] = (j, similarity)
            free_a.discard(i)
            free_b.discard(j)


def _without_actors(one: ComparedUnit, other: ComparedUnit) -> float:
    """The sentences' similarity once both actors' names are taken out."""
    names = [name for name in (one.actor, other.actor) if name]
    first, second = one.sentence, other.sentence
    for name in names:
        first, second = first.replace(name, ""), second.replace(name, "")
    return dice(first, second)


def summary(rows: Sequence[Row]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for row in rows:
        counts[row.status] += 1
    return counts
