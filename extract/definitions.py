"""Abbreviations a document defines for a bare generic head ("国家机关、社会团体…和其他组织（以下统称
单位）", "国家机关和涉及国家秘密的单位（以下简称机关、单位）"): the head then names the parties of the
defining phrase, never nobody (guidelines §9: a bare generic head is never an actor by itself; the
actor is the party it refers to). One index per document, read once."""
from __future__ import annotations

import re
from collections.abc import Iterator

from dutygraph.extract.clauses import declarative_subject, find_markers, find_subject
from dutygraph.extract.markers import load_markers
from dutygraph.extract.mentions import Mention

# the phrase before the brackets runs back to the last clause break; the abbreviations are the
# generic heads named after 简称/统称, alone or as a 、/和 list
RUN = r"[^，。；：,;:\s（）()]"  # what the phrase before the brackets may hold
OPENING_TEXT = r"[（(](?:以下|下)?(?:简称|统称)"
ABBREVIATION = re.compile("(" + RUN + "{2,80})" + OPENING_TEXT + r"[“\"]?([^）)”\"，]{1,16})[”\"]?(?:，下同)?[）)]")
# Where ABBREVIATION can match: its run before the bracket holds none of the bracket's characters, so
# a match ends at the first "（以下简称" after its start. Looking for those openings first, then
# matching back from each, finds the same matches without trying the 80-character run at every
# offset of the document (a tenth of a law's extraction time went there).
OPENING = re.compile(OPENING_TEXT)
RUN_BEFORE = re.compile(RUN + r"{2,80}\Z")
PREDICATE = "应当遵守本条例"
DEFINING_VERB = re.compile("是指|系指|包括")  # "…单位，是指国家机关、…（以下统称单位）": the list after it


def defined_heads(text: str) -> dict[str, tuple[tuple[int, tuple[Mention, ...]], ...]]:
    """By generic head: where each of the document's abbreviations for it stands and the parties it
    makes the head stand for ("以下简称" holds from there on, until the head is defined anew)."""
    heads = load_markers().generic_heads
    index: dict[str, list[tuple[int, tuple[Mention, ...]]]] = {}
    for found in _abbreviations(text):
        names = re.split("[、和]", found.group(2))
        if not any(name in heads for name in names):
            continue
        parties = _parties(DEFINING_VERB.split(found.group(1))[-1], heads)
        if len(names) == 1:
            pairs = [(names[0], parties)]
        elif len(names) == len(parties):  # "（以下简称机关、单位）": member by member
            pairs = [(name, (party,)) for name, party in zip(names, parties, strict=True)]
        else:
            continue
        for name, referents in pairs:
            if name in heads and referents:
                index.setdefault(name, []).append((found.start(), referents))
    return {name: tuple(found) for name, found in index.items()}


def _abbreviations(text: str) -> Iterator[re.Match[str]]:
    """ABBREVIATION.finditer(text), found from the openings."""
    end = 0
    for opening in OPENING.finditer(text):
        if opening.start() < end:
            continue
        run = RUN_BEFORE.search(text, max(end, opening.start() - 80), opening.start())
        found = ABBREVIATION.match(text, run.start()) if run is not None else None
        if found is not None:
            end = found.end()
            yield found


def referents(definitions: tuple[tuple[int, tuple[Mention, ...]], ...], at: int) -> tuple[Mention, ...]:
    """The parties a head stands for at offset `at`: the last abbreviation before it, else the first."""
    before = [parties for start, parties in definitions if start <= at]
    return before[-1] if before else definitions[0][1]


def _parties(phrase: str, heads: frozenset[str]) -> tuple[Mention, ...]:
    """The parties the phrase names, read as a subject; only names it writes (or a category §8 gives
    a bare member of such a list, 机关 → 国家机关): a name the chunker pieced together across a
    proper name ("中华人民共和国国家海洋局及其派出机构") is no referent."""
    text = phrase + PREDICATE
    markers = find_markers(text)
    first = next((m for m in markers if m.start >= len(phrase)), None)
    subject = find_subject(text, first.start) if first is not None else declarative_subject(text)
    categories = set(load_markers().category_members.values())
    return tuple(Mention(m.actor, -1, -1, m.level, False) for m in subject.mentions
                 if m.start >= 0 and m.end <= len(phrase) and m.actor not in heads and not m.inferred
                 and (m.actor in phrase or m.actor in categories))
