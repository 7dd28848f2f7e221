"""Obligation units (spec/annotation-guidelines.md): one sentence × one actor.

extract_units(document) walks the sentences of the document tree and, for each, decides the
governing marker, its subject (explicit, inherited from a lead-in, carried over inside the
paragraph, implicit 人民政府 or unspecified) and the parties addressed by 鼓励/支持/引导.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice

from dutygraph.errors import DutygraphError
from dutygraph.extract.clauses import (
    Marker,
    Subject,
    actor_after,
    addressed_parties,
    co_actors,
    declarative_subject,
    delegated_actors,
    find_markers,
    find_subject,
    later_subjects,
    leading_subject,
    subject_in_condition,
)
from dutygraph.extract.definitions import defined_heads, referents
from dutygraph.extract.markers import load_markers
from dutygraph.extract.mentions import GOVERNMENT, Mention, parse_actor_list
from dutygraph.extract.sanctions import (
    enforced_articles,
    is_sanction,
    sanction_authorities,
    sanction_modality,
)
from dutygraph.extract.sentences import Sentence, split_sentences, with_following_items
from dutygraph.extract.tokens import first_word_tag, verb_phrase_length
from dutygraph.model import Document, Provision, Span, Unit

# Half-width punctuation (common in converted traditional texts) read as its full-width twin;
# one character for one, so offsets stay valid.
FULL_WIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"})
MIN_SENTENCE_CHARACTERS = 3
WORD_CHARACTERS = re.compile(r"\w")
LINE_BREAK = re.compile(r"\s*\n\s*")


@dataclass(frozen=True)
class _Draft:
    mention: Mention | None  # None = unspecified
    modality: str
    action_at: int  # where the action begins in the sentence body
    inferred: bool = False
    co_actors: tuple[str, ...] = ()
    enforces: tuple[int, ...] = ()
    addressed: bool = False  # a party named after 鼓励/支持, not the sentence's own actor


@dataclass
class _State:
    """What a sentence inherits: the paragraph's last named actors and the current lead-in."""

    paragraph: str = ""
    carry: tuple[Mention, ...] = ()
    lead_in: tuple[tuple[Mention | None, ...], str] | None = None
    silent_items: bool = False
    # the authorities of the sanction lead-in the items stand under ((None,) when it names none);
    # None when the items stand under no sanction
    sanction_lead_in: tuple[Mention | None, ...] | None = None
    sanction_enforces: tuple[int, ...] = ()  # the articles the lead-in cites, enforced by its items too
    # by item start: the parties an item names under a "下列人员…：" lead-in
    item_parties: dict[int, tuple[tuple[Mention, ...], str]] = field(default_factory=dict)


def extract_units(document: Document) -> tuple[Unit, ...]:
    """The obligation units of one document, in document order."""
    return tuple(iter_units(document))


def iter_units(document: Document, provisions: Iterable[Provision] | None = None) -> Iterator[Unit]:
    """extract_units one unit at a time, for consumers that stream them (ingest): a large document's
    units never stand in memory together. `provisions`: its top-level provisions when they come one
    at a time (structure.parse_lazily), read as the units are."""
    if len(document.simplified) != len(document.text):  # every offset is shared by both views
        raise DutygraphError("DG-X001", document.source.source_file,
                             f"{len(document.simplified)} vs {len(document.text)} characters")
    state = _State()
    defined = defined_heads(document.simplified)
    for sentence, items in with_following_items(split_sentences(document, provisions)):
        if not sentence.is_item and sentence.paragraph != state.paragraph:
            state = _State(paragraph=sentence.paragraph)
        if sentence.is_item and state.silent_items:
            continue
        body, positions = _compact(_body(document, sentence))
        drafts, main = _analyse(body, sentence, state)
        drafts = _deduplicate(drafts)
        listed: list[_Draft] = []
        if not sentence.is_item and body.rstrip().endswith("：") and drafts:
            listed = _listed_parties(document, body, items, drafts, state)
        if not sentence.is_item:
            if main:
                state.carry = main
            if body.rstrip().endswith("："):
                # each item under a sanction lead-in ("有下列行为之一的，由X责令改正，处…：") is a
                # sanction of its own, imposed by the lead-in's authority (guidelines §9)
                sanction = is_sanction(body, sentence.in_sanctions)
                state.silent_items = not drafts
                state.sanction_lead_in = tuple(d.mention for d in drafts if not d.addressed) if sanction else None
                state.sanction_enforces = tuple(sorted({n for d in drafts for n in d.enforces}))
                primary = [d for d in drafts if not d.addressed]
                state.lead_in = (tuple(d.mention for d in primary), primary[0].modality) if primary else None
        drafts = _deduplicate(_resolve_defined(listed or drafts, defined, sentence.start)) if defined else listed or drafts
        for draft in drafts:
            yield _unit(document, sentence, draft, body, positions)


def _body(document: Document, sentence: Sentence) -> str:
    return document.simplified[sentence.body:sentence.end].translate(FULL_WIDTH)


def _listed_parties(document: Document, body: str, items: tuple[Sentence, ...], drafts: list[_Draft],
                    state: _State) -> list[_Draft]:
    """"下列人员应当参加消防安全培训：（一）…操作人员；（二）…": a generic head after 下列 names the
    parties the items list (guidelines §9: no bare head). Each item's noun phrase, read as the
    subject of the lead-in's predicate, gives its parties: actors of the lead-in (one unit each,
    guidelines §2) and of the item itself (its own subject, guidelines §1). [] when no item names
    a party."""
    marks = load_markers()
    pointers = [d for d in drafts if d.mention is not None and d.mention.start >= 0 and not d.addressed
                and d.mention.actor in marks.generic_heads
                and any(body.startswith(p, d.mention.start) or body.endswith(p, 0, d.mention.start)
                        for p in marks.list_pointers)]
    if not pointers:
        return []
    predicate = body[max(d.mention.end for d in pointers):]
    found: list[Mention] = []
    for item in items:
        phrase = _compact(_body(document, item))[0].rstrip().rstrip("；;。，")
        parties = _item_subject(phrase, predicate, marks.generic_heads)
        if parties:
            state.item_parties[item.start] = (parties, pointers[0].modality)
            found.extend(parties)
    if not found:
        return []
    listed = [d for d in drafts if d not in pointers]
    for pointer in pointers:
        anchor = pointer.mention
        listed.extend(_Draft(Mention(m.actor, anchor.start, anchor.end, m.level, False), pointer.modality,
                             pointer.action_at, co_actors=pointer.co_actors) for m in found)
    return listed


def _resolve_defined(drafts: list[_Draft], defined: dict[str, tuple[tuple[int, tuple[Mention, ...]], ...]],
                     at: int) -> list[_Draft]:
    """A bare generic head the document abbreviates ("（以下统称单位）") stands for the parties it
    defines, one unit each, where the head is written (extract/definitions.py)."""
    resolved: list[_Draft] = []
    for draft in drafts:
        mention = draft.mention
        if mention is None or mention.actor not in defined:
            resolved.append(draft)
            continue
        resolved.extend(replace(draft, mention=Mention(party.actor, mention.start, mention.end,
                                                       mention.level or party.level, mention.inferred))
                        for party in referents(defined[mention.actor], at))
    return resolved


def _item_subject(phrase: str, predicate: str, heads: frozenset[str]) -> tuple[Mention, ...]:
    """The parties an item's noun phrase names when it stands in for the lead-in's 下列X; () unless
    the phrase (up to its first comma) ends with them or, read from its start, goes on without
    another head: "机关、团体、企业事业单位的人员，在…登记" names staff, not the organisations
    before 的, and "持本人…证件的" is a condition, not a party."""
    phrase = phrase.split("，")[0]
    text = phrase + predicate
    first = _governing(text, find_markers(text))
    subject = find_subject(text, first.start) if first is not None else declarative_subject(text)
    parties = tuple(m for m in subject.mentions if m.start >= 0 and m.end <= len(phrase) and m.actor not in heads)
    if not parties:
        return ()
    end = max(m.end for m in parties)
    if end != len(phrase) and ("的" in phrase[end:] or first_word_tag(phrase) == "v"):
        return ()  # the parties modify another head, or the item is a condition: no party of its own
    return parties


def _compact(body: str) -> tuple[str, tuple[int, ...]]:
    """The body without the line breaks of a joined paragraph (and the blanks around them), and
    where each remaining character (and the end) sits in the body as written."""
    if "\n" not in body:
        return body, tuple(range(len(body) + 1))
    kept = [index for index in range(len(body)) if not _in_line_break(body, index)]
    return "".join(body[index] for index in kept), (*kept, len(body))


def _in_line_break(body: str, index: int) -> bool:
    if not body[index].isspace():
        return False
    start, end = index, index
    while start > 0 and body[start - 1].isspace():
        start -= 1
    while end < len(body) and body[end].isspace():
        end += 1
    return "\n" in body[start:end]


def _deduplicate(drafts: list[_Draft]) -> list[_Draft]:
    """One unit per actor and modality in a sentence ("X工作人员和其他Y工作人员")."""
    seen: set[tuple[str | None, str]] = set()
    kept = []
    for draft in drafts:
        key = (draft.mention.actor if draft.mention else None, draft.modality)
        if key not in seen:
            seen.add(key)
            kept.append(draft)
    return kept


def _analyse(body: str, sentence: Sentence, state: _State) -> tuple[list[_Draft], tuple[Mention, ...]]:
    """The drafts of one sentence and the named actors a later sentence may carry over."""
    marks = load_markers()
    if sum(1 for _ in islice(WORD_CHARACTERS.finditer(body), MIN_SENTENCE_CHARACTERS)) < MIN_SENTENCE_CHARACTERS:
        return [], ()  # debris of a line broken mid-sentence ("动。"), not a sentence
    sanction = is_sanction(body, sentence.in_sanctions)
    if not (sentence.in_sanctions and sanction) and marks.non_norm.search(body):
        return [], ()
    lead_in = state.sanction_lead_in if sentence.is_item else None
    if sanction:
        authorities, action_at = sanction_authorities(body)
        enforces = enforced_articles(body) or (state.sanction_enforces if lead_in is not None else ())
        if not authorities and lead_in is not None:
            # "…由X予以处罚：（一）…的，责令改正…": X's sanction
            return [_from_lead_in(m, action_at, enforces) for m in lead_in], ()
        modality = sanction_modality(body, action_at)
        return [_Draft(authority, modality, action_at, enforces=enforces) for authority in authorities or (None,)], ()
    if lead_in is not None:
        return [_from_lead_in(m, 0, enforced_articles(body) or state.sanction_enforces) for m in lead_in], ()
    if sentence.in_sanctions and sentence.is_item:
        return [], ()  # the conditions listed under a sanction
    if sentence.is_item and sentence.start in state.item_parties:
        parties, modality = state.item_parties[sentence.start]
        return [_Draft(m, modality, 0) for m in parties], ()
    markers = find_markers(body)
    first = _governing(body, markers)
    inherited = state.lead_in if sentence.is_item else None
    if inherited is not None and inherited[0] and first is not None and first.start > 0 \
            and ((first_word_tag(body) == "v" or marks.stipulating_verbs.match(body))
                 and not find_subject(body, first.start).mentions
                 or marks.item_noun_phrase.match(body, first.end) and _embedded(body, first)):
        # "…不得作出含有下列内容的规定：（五）规定经营者有权…": an item that opens with a verb is
        # what the lead-in's actor does; "（四）市场监督管理部门认为应当列入的其他情形。" is a noun
        # phrase whose marker sits in its relative clause: either way the item states no norm of its own
        return [_inherit(m, inherited[1], 0) for m in inherited[0]], ()
    drafts: list[_Draft] = []
    main: tuple[Mention, ...] = ()
    if first is not None and first.addresses and _sentence_initial(body, first):
        if not addressed_parties(body, first)[0]:
            drafts.append(_Draft(None, first.modality, first.end))
    elif first is not None and (sentence.in_sanctions or marks.sanction_cited.search(body, 0, first.start)) \
            and first.modality == "Duty" and not first.addresses \
            and marks.liabilities.search(body, first.end) and subject_in_condition(body, first.start):
        # "经营者…造成消费者财产损害的，应当承担…责任": in 法律责任 the party in the condition is the
        # violator, no actor (guidelines §4, sanctions); nobody is named to act. So is the party of a
        # condition that cites the breached article ("经营者违反本办法第十五条规定的，应当…赔偿"),
        # in a text without a 法律责任 chapter
        drafts = [_Draft(None, first.modality, first.end)]
    elif first is not None:
        subject = find_subject(body, first.start)
        modality = "Duty" if first.addresses else first.modality
        drafts, main = _subject_drafts(body, subject, modality, first, state, inherited)
    else:
        if inherited is not None and inherited[0]:
            drafts = [_inherit(m, inherited[1], 0) for m in inherited[0]]
        else:
            subject = declarative_subject(body)
            drafts, main = _subject_drafts(body, subject, "Duty", None, state, None)
    drafts.extend(_leading_drafts(body, first, drafts))
    drafts.extend(_leading_delegation(body, first, drafts))
    drafts.extend(_later_drafts(body, markers, first, drafts))
    drafts.extend(_party_drafts(body, markers, drafts))
    return drafts, main


def _leading_delegation(body: str, first: Marker | None, drafts: list[_Draft]) -> list[_Draft]:
    """"地方标准由省…标准化行政主管部门制定；设区的市级…部门…可以制定…": a clause before ； that
    delegates its act ("由X＋verb", a Duty) when the governing marker stands in a later clause."""
    if first is None:
        return []
    end = body.rfind("；", 0, first.start)
    delegated = delegated_actors(body[:end]) if end > 0 else ()
    if not delegated or _governing(body[:end], find_markers(body[:end])) is not None:
        return []
    seen = {(d.mention.actor if d.mention else None, d.modality) for d in drafts}
    return [_Draft(m, "Duty", m.end) for m in delegated if (m.actor, "Duty") not in seen]


def _embedded(body: str, marker: Marker) -> bool:
    """The marker is no main verb with its object: 负责 is one ("X负责…的工作"), unless a 的 follows it
    at once ("对社会负责的良好形象")."""
    return not body.startswith("负责", marker.start) or body.startswith("的", marker.end)


def _leading_drafts(body: str, first: Marker | None, drafts: list[_Draft]) -> list[_Draft]:
    """"X牵头，Y按职责分工负责": X opens an earlier clause of its own with a short verb phrase."""
    named = [d for d in drafts if d.mention is not None and d.mention.start >= 0]
    if first is None or not named:
        return []
    subject = leading_subject(body, min(d.mention.start for d in named))
    if subject is None or any(m.actor in {d.mention.actor for d in named} for m in subject.mentions):
        return []
    return [_Draft(m, "Duty", subject.action_at) for m in subject.mentions]


def _later_drafts(body: str, markers: tuple[Marker, ...], first: Marker | None, drafts: list[_Draft]) -> list[_Draft]:
    """Units of actors named as the subject of a later clause (one unit per actor and sentence)."""
    named = {d.mention.actor for d in drafts if d.mention is not None}
    after = first.end if first is not None else max((d.mention.end for d in drafts if d.mention), default=0)
    later: list[_Draft] = []
    for subject in later_subjects(body, max(after, 0), markers):
        for mention in subject.mentions:
            if mention.actor not in named:
                named.add(mention.actor)
                later.append(_Draft(mention, subject.modality, subject.action_at))
    return later


def _governing(body: str, markers: tuple[Marker, ...]) -> Marker | None:
    """The first marker that governs the main verb: a modal verb inside a relative or conditional
    clause ("依法应当取得许可证的产品，生产者应当…") yields to a later modal verb."""
    for index, marker in enumerate(markers):
        later_modal = any(not m.addresses for m in markers[index + 1:])
        clause = load_markers().relative_clause.match(body, marker.end)
        if not later_modal or clause is None:
            return marker
        conditional = body[clause.end() - 2] == "的"
        if marker.addresses:
            if conditional:  # "…需要有关部门支持、配合的，X应当…": 支持 is part of the condition
                continue
            return marker
        own_subject = bool(find_subject(body, marker.start).mentions)
        if not conditional and (own_subject or not parse_actor_list(body, clause.end())[0]):
            return marker  # "A负责X的Y，B…": A's own verb; "应当取得许可证的产品，生产者应当…": not
    return markers[0] if markers else None


def _sentence_initial(body: str, marker: Marker) -> bool:
    return load_markers().before_initial_address.fullmatch(body[:marker.start]) is not None


def _subject_drafts(body: str, subject: Subject, modality: str, marker: Marker | None, state: _State,
                    inherited: tuple[tuple[Mention | None, ...], str] | None,
                    ) -> tuple[list[_Draft], tuple[Mention, ...]]:
    action_at = marker.end if marker is not None and not marker.addresses else (
        marker.start if marker is not None else 0)
    if marker is not None and body.startswith("负责", marker.start):  # 负责 is the main verb itself
        action_at = marker.start
        if subject.mentions and not WORD_CHARACTERS.search(body, marker.end):  # "X对Y负责。"
            action_at = max(m.end for m in subject.mentions)
            tail = load_markers().action_list_tail.match(body, action_at)  # "X、Y等按职责分工负责"
            action_at = tail.end() if tail else action_at
    if subject.mentions:
        partners = co_actors(body)
        if marker is None:
            action_at = max(m.end for m in subject.mentions)
            tail = load_markers().action_list_tail.match(body, action_at)  # "…等有关部门做好…"
            action_at = tail.end() if tail else action_at
        return [_Draft(m, modality, action_at, inferred=m.inferred, co_actors=partners)
                for m in subject.mentions], subject.mentions
    if not subject.mentions and marker is not None and not marker.addresses and body.startswith("由", marker.end):
        # "电梯的安装、改造、修理，必须由电梯制造单位…进行": the party the act is given to
        delegated = actor_after(body, marker.end + 1)
        if delegated:
            action_at = max(m.end for m in delegated)
            return [_Draft(m, modality, action_at) for m in delegated], delegated
    if subject.thing and not (subject.activity and state.carry and marker is not None):
        return [_Draft(None, modality, action_at)], ()
    if inherited is not None and inherited[0]:
        return [_inherit(m, modality if marker is not None else inherited[1], action_at)
                for m in inherited[0]], ()
    if marker is None and load_markers().liability_predicate.search(body):
        return [_Draft(None, "Duty", action_at)], ()  # "…造成损害的，依法承担赔偿责任": no programme
    if marker is None:
        return [_Draft(_implicit_government(), "Commitment", 0, inferred=True)], ()
    impersonal = load_markers().impersonal_prohibitions.match(body, marker.start) is not None
    if impersonal:
        parties = _prohibited_parties(body, marker)
        if parties:
            return [_Draft(m, modality, max(m.end for m in parties)) for m in parties], parties
    if state.carry and not impersonal:
        return [_inherit(m, modality, action_at) for m in state.carry], state.carry
    if modality == "Prohibition":
        return [_Draft(None, modality, action_at)], ()
    if marker.addresses:
        return [_Draft(_implicit_government(), "Commitment", 0, inferred=True)], ()
    return [_Draft(_implicit_government(), modality, action_at, inferred=True)], ()


def _prohibited_parties(body: str, marker: Marker) -> tuple[Mention, ...]:
    """"禁止生产者在产品中掺杂": the party named right after 禁止/严禁 and before its own verb is the
    actor (guidelines §9); "禁止生产、销售…" names an act, not a party."""
    parties, end = parse_actor_list(body, marker.end)
    if not parties or end >= len(body) or body[end] in "，。；：、的":
        return ()
    return parties


def _inherit(mention: Mention | None, modality: str, action_at: int) -> _Draft:
    """A draft for an actor named in another sentence (no surface in this one)."""
    if mention is not None:
        mention = Mention(mention.actor, -1, -1, mention.level, mention.inferred)
    return _Draft(mention, modality, action_at, inferred=mention is not None)


def _from_lead_in(mention: Mention | None, action_at: int, enforces: tuple[int, ...]) -> _Draft:
    """An item's unit under a sanction lead-in: the lead-in's authority, named there, so not
    inferred (guidelines §9)."""
    if mention is not None:
        mention = Mention(mention.actor, -1, -1, mention.level, False)
    return _Draft(mention, "Duty", action_at, enforces=enforces)


def _implicit_government() -> Mention:
    return Mention(GOVERNMENT, -1, -1, None, True)


def _party_drafts(body: str, markers: tuple[Marker, ...], drafts: list[_Draft]) -> list[_Draft]:
    seen = {(d.mention.actor if d.mention else None, d.modality) for d in drafts}
    parties: list[_Draft] = []
    named: set[str | None] = set()
    for marker in markers:
        if not marker.addresses:
            continue
        mentions, end = addressed_parties(body, marker)
        for mention in mentions:
            if mention.actor in named or (mention.actor, marker.modality) in seen:
                continue
            named.add(mention.actor)
            # a polity addressed ("支持有条件的地方…") stands for its government, named nowhere: inferred
            parties.append(_Draft(mention, marker.modality, end, inferred=mention.inferred, addressed=True))
    return parties


def _unit(document: Document, sentence: Sentence, draft: _Draft, body: str, positions: tuple[int, ...]) -> Unit:
    offset = sentence.body
    mention = draft.mention
    action, obj = _split_action(document, body, positions, offset, max(draft.action_at, 0))
    surface = ""
    if mention is not None and mention.start >= 0:
        surface = _written(document, offset + positions[mention.start], offset + positions[mention.end])
    return Unit(
        authority=sentence.authority,
        article=sentence.article,
        sentence=document.text[sentence.start:sentence.end],
        sentence_span=Span(sentence.start, sentence.end),
        modality=draft.modality,
        actor=mention.actor if mention is not None else None,
        actor_surface=surface,
        level=mention.level if mention is not None else None,
        inferred=draft.inferred,
        action=action,
        object=obj,
        co_actors=draft.co_actors,
        enforces=draft.enforces,
        section_path=sentence.section_path,
        in_sanctions=sentence.in_sanctions,
    )


def _split_action(document: Document, body: str, positions: tuple[int, ...], offset: int, at: int,
                  ) -> tuple[str, str]:
    """Action = the verb phrase at `at` in the body, object = the rest; both in simplified Chinese
    (as the gold writes them for traditional texts; the sentence keeps the script as written),
    without the line breaks of a joined paragraph."""
    cut = at + verb_phrase_length(body[at:])
    start, middle, end = (offset + positions[i] for i in (at, cut, len(body)))
    action, rest = _written(document, start, middle, simplified=True), _written(document, middle, end, simplified=True)
    return action, rest if WORD_CHARACTERS.search(rest) else ""  # no object of bare punctuation ("。")


def _written(document: Document, start: int, end: int, simplified: bool = False) -> str:
    written = (document.simplified if simplified else document.text)[start:end]
    return LINE_BREAK.sub("", written) if "\n" in written else written  # most spans hold no line break
