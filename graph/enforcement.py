"""Sanctions → the Duty/Prohibition units they enforce (issue 10), and the kinds of penalty.

A sanction unit enforces the duties of the articles it cites ("违反本条例第十二条规定",
"不符合本法第二十七条规定"; "前款" reaches the sanctions of its own article and what they enforce);
a sanction citing no article enforces the duties whose act its condition repeats
("在产品中掺杂、掺假…的，责令…" → "生产者…不得掺杂、掺假"), of the actor it names when it names one.
Patterns and thresholds: graph/data/enforcement.json.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dutygraph.extract.sanctions import chinese_number, is_sanction
from dutygraph.model import Document, Unit

ENFORCEABLE = ("Duty", "Prohibition")


@dataclass(frozen=True)
class Link:
    sanction: int  # index into the units
    target: int
    penalties: tuple[str, ...]  # penalty kinds of the sanction, in the data file's order


@dataclass(frozen=True)
class _Rules:
    penalties: tuple[tuple[str, re.Pattern[str]], ...]
    any_penalty: re.Pattern[str]  # the first penalty of any kind: where the leftmost of them starts
    citation: re.Pattern[str]
    same_article: re.Pattern[str]
    condition_end: re.Pattern[str]
    clause_separators: re.Pattern[str]
    act_noise: re.Pattern[str]
    breach: re.Pattern[str]
    min_clause: int
    min_similarity: float


@cache
def rules() -> _Rules:
    data = json.loads((Path(__file__).parent / "data" / "enforcement.json").read_text("utf-8"))
    return _Rules(tuple((kind, re.compile(pattern)) for kind, pattern in data["penalties"].items()),
                  re.compile("|".join(f"(?:{pattern})" for pattern in data["penalties"].values())),
                  re.compile(data["citation"]), re.compile(data["same_article"]),
                  re.compile(data["condition_end"]), re.compile(data["clause_separators"]),
                  re.compile(data["act_noise"]), re.compile(data["breach"]), data["min_clause"], data["min_similarity"])


def penalty_kinds(text: str) -> tuple[str, ...]:
    return tuple(kind for kind, pattern in rules().penalties if pattern.search(text))


def link_enforcement(document: Document, units: Iterable[Unit]) -> tuple[Link, ...]:
    """Every (sanction, enforced unit) pair of one document, sanctions in document order."""
    linker = Linker(document)
    for unit in units:
        linker.add(unit)
    return linker.links()


@dataclass(frozen=True, slots=True)
class _Target:
    """What linking reads of a unit a sanction may enforce."""

    article: int | None
    actor: str | None
    actor_surface: str
    start: int  # the sentence's span, where _simplified reads it again (a Span object per unit cost a third more)
    end: int
    sentence: str  # only when it has no span (units made by hand)
    enforces: tuple[int, ...]
    key: object = None  # what add() was given for the unit (graph/rdf.py: its IRI)


@dataclass(frozen=True)
class _Sanction:
    condition: str  # "…的" before the penalty; an item's own text after its lead-in's condition
    penalties: tuple[str, ...]
    article: int | None = None
    enforces: tuple[int, ...] = ()
    key: object = None


class Linker:
    """Fed a document's units in order (add), asked for its links once at the end (links).

    It keeps what linking reads of the units that can take part in a link (the sanctions' conditions
    and citations; the other Duty and Prohibition units' article, actor and sentence span), not the
    units: a large document's units pass through once and the sentences are read again from the
    document when compared.

    Where article numbers start again (第一条 after 第五十条: a compilation of laws, a law with the
    rules annexed to it), each numbering run is linked as an instrument of its own: "本法第十条" is the
    run's article 10, and a sanction citing none enforces the run's duties. Linked across runs, every
    sanction of a compilation enforced each law's article of the number it cites, and the links grew
    with the square of the document (5.6 million for 6 MB of 383 laws). A run's links are complete
    once the next run begins (links_of_run), and its records can then be let go (forget_run)."""

    def __init__(self, document: Document):
        self.document = document
        self.count = 0
        self.targets: dict[int, _Target] = {}
        self.sanctions: dict[int, _Sanction] = {}
        self.lead_ins: dict[str, _Sanction] = {}
        self._names: dict[str, str] = {}
        self._run_starts = [0]  # the index of each numbering run's first unit
        self._last_article = 0

    def add(self, unit: Unit, key: object = None) -> bool:
        """True when `unit` is a sanction. Links name units by their index in the order added; `key`
        is kept for those that can take part in one (see key())."""
        index, self.count = self.count, self.count + 1
        if unit.article is not None:
            if unit.article < self._last_article:
                self._run_starts.append(index)
                self.lead_ins.clear()  # a lead-in's items follow it within its article
            self._last_article = unit.article
        sanction = self._sanction(unit, key)
        if sanction is not None:
            self.sanctions[index] = sanction
        elif self.may_enforce(unit):
            span = unit.sentence_span
            # one string per name: a large document names a few actors in thousands of units
            surface = self._names.setdefault(unit.actor_surface, unit.actor_surface)
            self.targets[index] = _Target(unit.article, unit.actor, surface, span.start, span.end,
                                          "" if span.end > span.start else unit.sentence, unit.enforces, key)
        return sanction is not None

    @property
    def run(self) -> int:
        """The numbering run of the last unit added."""
        return len(self._run_starts) - 1

    @staticmethod
    def may_enforce(unit: Unit) -> bool:
        """Whether a sanction may enforce `unit` (add() keeps what linking reads of it), when it is none itself."""
        return unit.modality in ENFORCEABLE and not unit.in_sanctions

    def key(self, index: int) -> object:
        return (self.targets.get(index) or self.sanctions[index]).key

    def _sanction(self, unit: Unit, key: object) -> _Sanction | None:
        """A "sanction" naming no penalty of its own (依照本法第五章的有关规定处罚) only points elsewhere and
        enforces nothing itself."""
        span = unit.sentence_span
        text = _simplified(self.document, span.start, span.end, unit.sentence)
        parent = unit.authority.rsplit("/item/", 1)[0] if "/item/" in unit.authority else None
        if parent in self.lead_ins and unit.in_sanctions:
            # an item under "有下列行为之一的，…" is the condition itself, 的 or not
            own = _condition(text) or text.rstrip("；;。.")
            lead_in = self.lead_ins[parent]
            return _Sanction(lead_in.condition + "；" + own, lead_in.penalties, unit.article, unit.enforces, key)
        if unit.enforces or is_sanction(text, unit.in_sanctions):
            condition = _condition(text)
            penalties = penalty_kinds(text[len(condition):])
            if penalties:
                lead_in = self.lead_ins.setdefault(unit.authority, _Sanction(condition, penalties))
                return _Sanction(lead_in.condition, lead_in.penalties, unit.article, unit.enforces, key)
        return None

    def text(self, target: _Target) -> str:
        return _simplified(self.document, target.start, target.end, target.sentence)

    def _citing(self, targets: dict[int, _Target]) -> dict[int, set[int]]:
        """The targets that cite articles themselves, in order, with the articles (most cite none)."""
        found = {}
        for t, target in targets.items():
            cited = _cited_articles(target, self.text(target))
            if cited:
                found[t] = set(cited)
        return found

    def links(self) -> tuple[Link, ...]:
        """Every run's links, run after run, sanctions in document order."""
        return tuple(link for run in range(len(self._run_starts)) for link in self.links_of_run(run))

    def links_of_run(self, run: int) -> tuple[Link, ...]:
        targets, sanctions = self._records(run)
        by_article: dict[int | None, list[int]] = {}
        for i in sorted([*targets, *sanctions]):
            by_article.setdefault((targets.get(i) or sanctions[i]).article, []).append(i)
        citing: dict[int, set[int]] | None = None  # made for the first sanction that cites an article
        acts: _Acts | None = None  # built on the first sanction that cites no article
        cites = {i: _cited_articles(sanction, sanction.condition) for i, sanction in sanctions.items()}
        uncited = [sanction.condition for i, sanction in sanctions.items() if not cites[i]]
        direct: dict[int, list[int]] = {}
        inherits: dict[int, list[int]] = {}
        for i, sanction in sanctions.items():
            condition, cited = sanction.condition, cites[i]
            if cited:
                found = [t for number in cited for t in by_article.get(number, ()) if t in targets]
                if citing is None:
                    citing = self._citing(targets)
                # "销售者销售的产品的标识应当符合本法第二十七条的规定": a duty that takes in a cited article
                seen, cited_set = set(found), set(cited)
                found += [t for t, its in citing.items() if t not in seen and its & cited_set
                          and targets[t].article not in cited]
                direct[i] = _prefer_named(found, targets, condition)
                if sanction.article in cited:  # 前款所列违法行为: what the article's other sanctions enforce
                    inherits[i] = [s for s in by_article.get(sanction.article, ()) if s in sanctions and s < i]
            else:
                acts = acts or _Acts(targets, map(self.text, targets.values()), uncited)
                direct[i] = acts.enforced_by(condition)
        links = []
        for i, sanction in sanctions.items():
            found = set(direct[i])
            for other in inherits.get(i, ()):
                found.update(direct[other])
            links.extend(Link(i, target, sanction.penalties) for target in sorted(found))
        return tuple(links)

    def forget_run(self, run: int) -> list[object]:
        """Let go of a run's records once its links are made; the keys of its units that took part."""
        popped = (self.targets.pop(i, None) or self.sanctions.pop(i, None) for i in self._indexes(run))
        return [record.key for record in popped if record is not None]

    def _records(self, run: int) -> tuple[dict[int, _Target], dict[int, _Sanction]]:
        """The run's targets and sanctions."""
        indexes = self._indexes(run)
        return ({i: self.targets[i] for i in indexes if i in self.targets},
                {i: self.sanctions[i] for i in indexes if i in self.sanctions})

    def _indexes(self, run: int) -> range:
        """The units added from the run's first to the next run's."""
        ends = self._run_starts[run + 1] if run + 1 < len(self._run_starts) else self.count
        return range(self._run_starts[run], ends)


def _simplified(document: Document, start: int, end: int, sentence: str) -> str:
    """The sentence at [start, end) in simplified script; `sentence` for a unit made without a span."""
    return document.simplified[start:end] if end > start else sentence


def _condition(text: str) -> str:
    """Up to the last "…的，" before the first penalty ("生产…的，销售…的，责令…" keeps both);
    "" when the sanction states no condition ("违反本法规定，应当承担…")."""
    first_penalty = rules().any_penalty.search(text)
    first = first_penalty.start() if first_penalty else len(text)
    ends = [m.start() for m in rules().condition_end.finditer(text, 0, first)]
    return text[:ends[-1]] if ends else ""


def _cited_articles(cites: _Target | _Sanction, condition: str) -> tuple[int, ...]:
    cited = set(cites.enforces)
    cited.update(chinese_number(m.group(1)) for m in rules().citation.finditer(condition))
    if cites.article is not None and rules().same_article.search(condition):
        cited.add(cites.article)
    return tuple(sorted(cited))


def _prefer_named(found: list[int], targets: dict[int, _Target], condition: str) -> list[int]:
    """Of the cited articles' units, those of the actors the condition names, when it names any."""
    named = [t for t in found if targets[t].actor and targets[t].actor in condition]
    return named or found


class _Acts:
    """Duties one of whose acts one clause of a sanction's condition restates (character-bigram Dice):
    of the actor the condition names as its subject when one of those matches, else of any actor.

    Every sanction of a document is compared with the same duties, with the same actors' names cut
    out: the duties' clauses are cut and counted once per document, not once per sanction."""

    def __init__(self, targets: dict[int, _Target], texts: Iterable[str], conditions: list[str]):
        """`texts`: the targets' sentences, in their order; `conditions`: those enforced_by will be asked about."""
        self.targets = targets
        names = sorted({name for target in targets.values() for name in (target.actor, target.actor_surface) if name},
                       key=len, reverse=True)
        # actors' names where they stand as subjects (at the start of a clause or of a list item),
        # never inside a word ("国家标准" keeps 国家)
        self.subject = re.compile("(^|[，；、：]|和|及|或者)(?:" + "|".join(map(re.escape, names)) + ")") \
            if names else None
        # "未建立…农产品生产记录的" states the duty "建立农产品生产记录" it breaks
        self.found: dict[str, list[int]] = {}  # condition → what enforced_by found
        self.stated = {condition: [_bigrams(rules().breach.sub("", clause)) for clause in self.clauses(condition)]
                       for condition in conditions if condition}
        wanted = set().union(*(seen for stated in self.stated.values() for seen in stated))
        # each duty clause's bigrams, indexed by bigram: a condition's clause meets only the duty
        # clauses it shares a bigram with (the others' Dice is 0); bigrams no condition has are never looked up
        self.owners: list[int] = []
        self.sizes: list[int] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        for t, text in zip(targets, texts, strict=True):
            for clause in self.clauses(text):
                bigrams = _bigrams(clause)
                number = len(self.owners)  # one int object in every posting (a large document has millions)
                for bigram in bigrams & wanted:
                    self.postings[bigram].append(number)
                self.owners.append(t)
                self.sizes.append(len(bigrams))

    def enforced_by(self, condition: str) -> list[int]:
        # sanctions restate conditions (产品质量法 第十七条: two sanctions on "监督抽查的产品质量不合格"), and
        # in a document of copies every copy does: the duties it reads are the same
        found = self.found.get(condition)
        if found is None:
            found = self.found[condition] = self._enforced_by(condition)
        return found

    def _enforced_by(self, condition: str) -> list[int]:
        if not condition:
            return []
        stated = self.stated[condition]
        subjects = {clause.strip() for clause in re.split("[，；]", condition)}
        similarity = rules().min_similarity
        hits = set()
        for seen in stated:
            shared: Counter[int] = Counter()
            for bigram in seen:
                shared.update(self.postings.get(bigram, ()))
            # the Dice coefficient of the two clauses' bigram sets
            hits.update(self.owners[clause] for clause, common in shared.items()
                        if 2 * common / (self.sizes[clause] + len(seen)) >= similarity)
        matched = sorted(hits)  # in target order: targets are ascending unit indexes, hits some of them
        targets = self.targets
        named = [t for t in matched if targets[t].actor and any(s.startswith(targets[t].actor) for s in subjects)]
        return named or matched

    def clauses(self, text: str) -> list[str]:
        """The acts a sentence states one by one ("不得A，不得B"), actors and stock phrases taken out,
        list commas kept in ("掺杂、掺假")."""
        text = rules().act_noise.sub("", text)
        if self.subject is not None:
            previous = None
            while previous != text:
                previous, text = text, self.subject.sub(r"\1", text)
        clauses = (rules().act_noise.sub("", clause.strip("、 ")) for clause in rules().clause_separators.split(text))
        return [clause for clause in clauses if len(clause) > rules().min_clause]


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}
