"""Who a sentence speaks to: subject, governing marker and addressed parties (guidelines §3–§4).

Works on the simplified text of one sentence body; returns offsets into that text.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from dutygraph.extract.actors import load_actor_scheme
from dutygraph.extract.markers import load_markers
from dutygraph.extract.mentions import GOVERNMENT, Mention, canonical_name, load_lexicon, parse_actor_list
from dutygraph.extract.tokens import first_word_tag, token_words

QUOTED = re.compile(r"《[^》]*》|“[^”]*”|\"[^\"]*\"")
CLAUSE_BREAK = "，；：,;:"
# one scan for the nearest break, where a str.find per character ran to the end of the text for each
# character absent after that point (quadratic in a sentence of thousands of clauses)
CLAUSE_BREAK_AT = re.compile("[" + re.escape(CLAUSE_BREAK) + "]")
CLAUSE_OR_SENTENCE_END = re.compile("[" + re.escape(CLAUSE_BREAK + "。") + "]")
SUBJECT_GAP_MAX = 16
OBJECT_BEFORE_OWNER = re.compile("[对向给]")
LATER_GAP = re.compile("(?:还|也|均|都|应|并|同时|依法|及时|可)*")  # between a later subject and its marker
RELATIVE_HEAD = re.compile(r"[^，；。的]{1,16}的")  # "被查封、扣押的": a relative clause before its head
RELATIVE_VERB = re.compile(r"[^，；。的]{1,4}的")  # "机构实施的…": a relative clause, no declarative


@dataclass(frozen=True)
class Marker:
    start: int
    end: int
    modality: str
    addresses: bool  # 鼓励/支持/… (a chain of them), as opposed to a modal verb


@dataclass(frozen=True)
class Subject:
    mentions: tuple[Mention, ...] = ()
    thing: bool = False  # a non-agent subject ("产品质量应当…")
    activity: bool = False  # a thing that is an activity ("从事锅炉清洗，应当…"): whoever does it

    @property
    def absent(self) -> bool:
        return not self.mentions and not self.thing


def mask_quotes(text: str) -> str:
    """Blank out titles and quotations so markers inside them are not read."""
    return QUOTED.sub(lambda m: "〇" * len(m.group()), text)


@cache
def _names_with_markers() -> re.Pattern[str] | None:
    """Actor names that contain a modal word ("有权机关"): never read as a marker."""
    modal = load_markers().modal
    names = [label for label in load_actor_scheme().labels if any(p.search(label) for p, _ in modal)]
    return re.compile("|".join(map(re.escape, names))) if names else None


def find_markers(text: str) -> tuple[Marker, ...]:
    """Modal markers and 鼓励/支持 chains, in order of position."""
    marks = load_markers()
    masked = mask_quotes(text)
    names = _names_with_markers()
    if names is not None:
        masked = names.sub(lambda m: "〇" * len(m.group()), masked)
    masked = marks.duty_party.sub(lambda m: "〇" * len(m.group()), masked)  # its 负责 is no marker
    found: list[Marker] = []
    for pattern, modality in marks.modal:
        for match in pattern.finditer(masked):
            if not marks.nominal_marker.match(masked, match.end()):  # "其他禁止行为": a noun, no marker
                found.append(Marker(match.start(), match.end(), modality, False))
    for match in marks.address_chain.finditer(masked):
        first = min(
            ((m.start(), modality) for pattern, modality in marks.address for m in pattern.finditer(match.group())),
            default=None,
        )
        if first is not None and _addresses_someone(masked, match.start(), match.end()):
            found.append(Marker(match.start(), match.end(), first[1], True))
    found.sort(key=lambda m: (m.start, -m.end))
    merged: list[Marker] = []
    for marker in found:
        if merged and marker.start < merged[-1].end:
            continue
        merged.append(marker)
    return tuple(merged)


def _addresses_someone(text: str, start: int, end: int) -> bool:
    """支持 as a verb, not as a noun ("支持政策", "…的扶持力度")."""
    if text.startswith("的", start - 1):
        return False
    # "支持服务" is a noun, but "鼓励服务业企业…" addresses a party: a name read there wins
    return not load_markers().address_not_party_after.match(text, end) or bool(parse_actor_list(text, end)[0])


def clause_start(text: str, pos: int) -> int:
    return max(text.rfind(ch, 0, pos) for ch in CLAUSE_BREAK) + 1


def find_subject(text: str, marker_pos: int) -> Subject:
    """The subject of the marker at `marker_pos` (or of the whole sentence when it is len(text))."""
    marks = load_markers()
    start = clause_start(text, marker_pos)
    subject = _subject_in(text, start, marker_pos)
    if subject is not None:
        return subject
    before = text[start:marker_pos].strip()
    delegated = delegated_actors(before)
    if delegated:  # "…工作由责任人负责"
        return Subject(delegated)
    if before and not marks.adverbial_heads.match(before):
        return Subject(thing=True)
    if start > 0:
        leading = _nearest_clause_subject(text, start)
        if leading is not None:
            return leading
        first_clause_end = clause_end(text, 0, CLAUSE_BREAK_AT)
        first_clause = text[:first_clause_end]
        short_thing = len(first_clause) <= marks.thing_topic_max and _starts_with_thing(first_clause) \
            or _thing_clause(first_clause)
        # "从事X活动，应当…" is whoever does it; "从事X的，应当…" a condition whose subject is unnamed
        activity = marks.activity_topic.match(first_clause) is not None and not first_clause.endswith("的")
        if _is_topic(first_clause) or short_thing or (first_clause.endswith("的") and _starts_with_thing(first_clause)) \
                or _noun_topic(first_clause) or activity:
            return Subject(thing=True, activity=activity)  # "样品因正常检验破损的，应当…": the condition's subject is a thing
    return Subject()


def subject_in_condition(text: str, marker_pos: int) -> bool:
    """"经营者提供商品…，造成消费者财产损害的，应当…": the marker's clause has no subject of its own
    and the clause before it closes a condition (…的), so the subject is read from the condition."""
    start = clause_start(text, marker_pos)
    if start == 0 or not text.startswith("的", start - 2) or _subject_in(text, start, marker_pos) is not None:
        return False
    before = text[start:marker_pos].strip()
    return not before or load_markers().adverbial_heads.match(before) is not None


def _thing_clause(clause: str) -> bool:
    """"特种设备进行改造、修理，…的，应当…": a clause of its own whose subject is a noun (the verb
    right after it), however long, makes the condition's subject a thing; "展销会结束…后" is a time."""
    marks = load_markers()
    if marks.adverbial_nouns.search(clause):
        return False
    # "被查封、扣押的产品经检验…": a relative clause before the noun leaves it the subject
    relative = RELATIVE_HEAD.match(clause)
    if relative is None and not _starts_with_thing(clause):
        return False
    head = clause[relative.end():] if relative else clause
    words = token_words(head)
    if len(words) < 2 or words[0][1] != "n" or parse_actor_list(head, 0)[0]:
        return False
    if words[1][1] in ("a", "l"):  # "物品易腐烂、变质的": a thing's state, when no party is named in it
        return load_lexicon().pattern.search(head) is None  # "事故发生地人民政府…": jieba tags 发生地 l too
    return words[1][1] in ("v", "p", "d") or marks.adverbial_heads.match(head, len(words[0][0])) is not None


def _nearest_clause_subject(text: str, before: int) -> Subject | None:
    """The actors that open the nearest earlier clause ("生产者…有异议的，可以…")."""
    end = before - 1
    while end > 0:
        start = clause_start(text, end)
        if text.startswith("除", start):  # "除…外，": an exception names no subject
            end = start - 1
            continue
        subject = _subject_in(text, start, end, require_adjacent=False)
        if subject is not None and subject.mentions:
            last = max(m.end for m in subject.mentions)
            if RELATIVE_VERB.match(text, last) and not text.startswith("的", end - 1) \
                    and not load_markers().prepositions.match(text, last) \
                    and not load_markers().clausal_verbs.match(text, last):
                # "X在各自的职责范围内，" is adverbial; "生产者发现销售的产品…" is the actor's own verb
                return Subject(thing=True)  # "生产者提供的赠品，应当…": the actor only modifies a thing
            owner = text.rfind("的", start, end)
            # the list goes on past what was read ("…、农民专业合作社以及从事…的单位或者个人销售的农产品")
            unread_list = load_markers().separators.match(text, last) is not None
            if unread_list and not text.startswith("的", end - 1) and load_markers().thing_topic.search(text, start, end) \
                    and not parse_actor_list(text, owner + 1)[0]:
                return Subject(thing=True)  # "…的单位或者个人销售的农产品，应当…": a thing, however long the list
            return subject
        end = start - 1
    return None


def _heads_a_thing(between: str) -> bool:
    """"经营者向消费者提供有关商品或者服务的信息应当…": the party opens a relative clause whose head
    (信息), a thing, is the subject."""
    return _names_a_thing(load_markers().relative_thing.match(between))


def _noun_topic(clause: str) -> bool:
    """"与特种设备安全相关的建筑物、附属设施": a noun phrase whose head after its last 的 is a thing."""
    return _names_a_thing(load_markers().noun_topic.match(clause))


def _names_a_thing(phrase: re.Match[str] | None) -> bool:
    """The phrase's head (after its last 的) ends in a noun and is no adverbial (…的需要, …的基础上)."""
    if phrase is None or load_markers().adverbial_nouns.search(phrase.group("head")):
        return False
    words = token_words(phrase.group("head"))
    return bool(words) and words[-1][1].startswith("n")


def _is_topic(clause: str) -> bool:
    """A leading noun phrase ("可能危及人体健康的工业产品，必须…"), not a condition or an adverbial."""
    marks = load_markers()
    return "的" in clause and not clause.endswith("的") and not marks.adverbial_heads.match(clause) \
        and not marks.activity_verbs.match(clause)


def clause_end(text: str, pos: int, breaks: re.Pattern[str] = CLAUSE_OR_SENTENCE_END) -> int:
    """Where the clause at `pos` ends: the next clause break (or 。), else the end of the text."""
    found = breaks.search(text, pos)
    return found.start() if found is not None else len(text)


def actor_after(text: str, pos: int) -> tuple[Mention, ...]:
    """Actors written at pos, also behind a short modifier ("由实施监督抽查的市场监督管理部门…")."""
    mentions, _ = parse_actor_list(text, pos)
    if mentions:
        return mentions
    department = _department_stem(text, pos)
    if department is not None:
        return (department,)
    stop = clause_end(text, pos)
    owner = text.find("的", pos, min(stop, pos + 24))
    if owner < 0 or OBJECT_BEFORE_OWNER.search(text, pos, owner):
        return ()  # "由有权机关对直接负责的主管人员…": the 的 phrase is the object, not the authority
    mentions, _ = parse_actor_list(text, owner + 1)
    verbal_head = not mentions
    if verbal_head:
        mentions, _ = _defined_head(text, owner + 1, stop)
    return _defined_by_clause(text, pos, owner, mentions, verbal_head) if mentions else ()


def _department_stem(text: str, pos: int) -> Mention | None:
    """"由财政列支", "由省财政统一列支": a department's stem alone after 由 names that department."""
    lexicon = load_lexicon()
    marks = load_markers()
    level = marks.level_prefix.match(text, pos)
    if level and not lexicon.pattern.match(text, pos):
        pos = level.end()
    longest = lexicon.pattern.match(text, pos)
    for label in lexicon.prefixes[longest.group()] if longest else ():
        end = pos + len(label)
        if label in lexicon.stems and text[end:end + 1] and text[end] not in marks.office_suffixes:  # "统计局" is an office
            return Mention(canonical_name(label + "部门"), pos, end, level.group() if level else None)
    return None


def declarative_subject(text: str) -> Subject:
    """Subject of a sentence without a marker: an agent, a thing, or none (a policy statement)."""
    marks = load_markers()
    delegated = delegated_actors(text)
    mentions, end = parse_actor_list(text, 0)
    by = min((m.start for m in delegated), default=len(text))
    if delegated and "的，" in text[end:by]:
        return Subject(delegated)  # "X…出现争议的，由Y组织协商": X is in the condition, Y acts
    if mentions and not delegated and marks.thing_subject_cue.match(text):
        return Subject(thing=True)  # "检查人员履职所需装备按照…执行": the party only owns the thing
    if mentions and not marks.compound_blockers.match(text, end) and (
            not delegated or marks.adverbial_heads.match(text, end)):
        return Subject(mentions)  # "国家对产品质量实行…"; but "国家计量检定规程由国务院…制定" is delegated
    if delegated:
        return Subject(delegated)
    if marks.thing_subject_cue.match(text) or _starts_with_thing(text) or marks.basis_statement.search(text):
        return Subject(thing=True)
    return Subject()


def _starts_with_thing(text: str) -> bool:
    """"动物防疫实行…", "评估档案的保存期限不少于…": a noun phrase opens the sentence, not a verb."""
    marks = load_markers()
    if marks.activity_verbs.match(text) or marks.adverbial_heads.match(text) or marks.prepositions.match(text):
        return False
    words = token_words(text)
    tag = words[0][1] if words else "x"
    first_clause = re.split(f"[{CLAUSE_BREAK}。]", text, maxsplit=1)[0]
    # "复检使用原抽样备用样品": a verbal noun followed by the sentence's verb is its subject
    verb_follows = len(words) > 1 and words[1][1] == "v"
    return tag == "n" or (tag == "vn" and ("的" in first_clause or verb_follows))


def addressed_parties(text: str, marker: Marker) -> tuple[tuple[Mention, ...], int]:
    """Parties named right after a 鼓励/支持 chain and where they end; () when an activity follows."""
    mentions, end = parse_actor_list(text, marker.end)
    if not mentions and load_markers().address_not_party_after.match(text, marker.end):
        return (), marker.end
    if not mentions:
        mentions, end = _addressed_by_clause(text, marker.end)
    if not mentions or end >= len(text) or text[end] in "，。；":
        return (), marker.end
    return mentions, end


def _addressed_by_clause(text: str, pos: int) -> tuple[tuple[Mention, ...], int]:
    """"鼓励具备信息化条件的农产品生产经营者采用…": a party addressed behind its defining clause."""
    marks = load_markers()
    stop = clause_end(text, pos)
    owner = text.find("的", pos, min(stop, pos + marks.defined_clause_max))
    if owner <= pos:
        return (), pos
    mentions, end = parse_actor_list(text, owner + 1)
    if not mentions or end >= stop:
        return (), pos
    return _defined_by_clause(text, pos, owner, mentions), end


def co_actors(text: str) -> tuple[str, ...]:
    """Canonical names of 会同 partners."""
    names: list[str] = []
    for match in load_markers().cohort.finditer(text):
        mentions, _ = parse_actor_list(text, match.start(1))
        names.extend(m.actor for m in mentions if m.actor and m.actor not in names)
    return tuple(names)


def _subject_in(text: str, start: int, stop: int, require_adjacent: bool = True) -> Subject | None:
    while start < stop and text[start] in " \t\u3000":
        start += 1
    time_phrase = load_markers().leading_time.match(text, start, stop)
    if time_phrase and parse_actor_list(text, time_phrase.end())[0]:
        start = time_phrase.end()  # "三包有效期内销售者收到…": the period is no part of the party
    polity = _bare_polity(text, start, stop)
    if polity is not None:
        return Subject(polity)
    if text.startswith("由", start):
        start += 1
    mentions, end = parse_actor_list(text, start)
    if mentions and end <= stop and _heads_a_thing(text[end:stop]):
        return Subject(thing=True)
    if mentions and end <= stop and _adjacent(text, end, stop, require_adjacent):
        defined = None if require_adjacent else _defined_at_end(text, start, stop)
        return defined or Subject(tuple(_referent(text, m) for m in mentions))
    if load_markers().prepositions.match(text, start):  # "对…的单位" is no subject
        return None
    owners = [i for i in range(stop - 1, start - 1, -1) if text[i] == "的"]
    # the last 的 first; an earlier one only for a leading clause ("制造计量器具的企业、事业单位生产
    # 本单位未生产过的…，必须…")
    for index, owner in enumerate(owners if not require_adjacent else owners[:1]):
        mentions, end = parse_actor_list(text, owner + 1)
        if index and RELATIVE_VERB.match(text, end):  # "…的单位或者个人销售的农产品": a modifier
            continue
        verbal_head = not mentions and not index
        if verbal_head:
            mentions, end = _defined_head(text, owner + 1, stop)
        if mentions and end <= stop and _adjacent(text, end, stop, require_adjacent):
            level_mentions, _ = parse_actor_list(text, start)
            level = next((m.level for m in level_mentions if m.level), None)
            mentions = _defined_by_clause(text, start, owner, mentions, verbal_head)
            return Subject(tuple(Mention(m.actor, m.start, m.end, m.level or level) for m in mentions))
    return None


def _referent(text: str, mention: Mention) -> Mention:
    """"消费者向有关行政部门投诉的，该部门应当…": a pronoun head (该部门, 其主管部门 aside) names the party
    written earlier in the sentence with the same head (guidelines §9: the party the pronoun refers to)."""
    marks = load_markers()
    if mention.actor not in marks.generic_heads or not text.startswith(marks.pronouns, mention.start):
        return mention
    widest: dict[int, Mention] = {}  # by where a name ends, the reading that starts first (no "政部门")
    for at in range(mention.start):
        for candidate in parse_actor_list(text, at)[0]:
            if candidate.end <= mention.start and candidate.actor and candidate.actor != mention.actor \
                    and text[candidate.start:candidate.end].endswith(mention.actor):
                widest.setdefault(candidate.end, candidate)
    if not widest:
        return mention
    referent = widest[max(widest)]
    return Mention(referent.actor, mention.start, mention.end, referent.level, mention.inferred)


def _defined_at_end(text: str, start: int, stop: int) -> Subject | None:
    """A leading clause that is one noun phrase ending in "的 + actor" ("租赁他人柜台或者场地的经营者，
    应当…"): the actor after the last 的, not a name read at its start."""
    owner = text.rfind("的", start, stop)
    if owner < 0 or text[owner + 1:stop].strip() == "":
        return None
    mentions, end = parse_actor_list(text, owner + 1)
    if not mentions or end != stop:
        return None
    return Subject(_defined_by_clause(text, start, owner, mentions))


def _defined_head(text: str, pos: int, stop: int) -> tuple[tuple[Mention, ...], int]:
    """A head after 的 that the actor lists do not read because it opens with a verb: "…的制定单位"."""
    head = load_markers().defined_head.match(text, pos, stop)
    if head is None:
        return (), pos
    return (Mention(head.group(), pos, head.end()),), head.end()


def _defined_by_clause(text: str, start: int, owner: int, mentions: tuple[Mention, ...], verbal_head: bool = False,
                       ) -> tuple[Mention, ...]:
    """"作出处罚决定的机关", "集中交易市场的开办者": a party named by a defining clause keeps the
    clause (guidelines §9, whole noun phrases) when its head names nobody alone: a generic head, a
    head that opens with a verb (…的制定单位) or a short agent noun; "本行政区域内的企业" is 企业.

    The clause binds the first member of the list after 的 and every other generic member
    ("被监督检查的单位和人员" → 被监督检查的单位, 被监督检查的人员). A level and 人民政府 before the
    clause are its level ("省人民政府管理专利工作的部门"); actors listed before it stay actors of
    their own ("市环境保护主管部门和其他负有…职责的部门")."""
    marks = load_markers()
    first = mentions[0]
    listed, clause_from, level = _before_clause(text, start, owner)
    dropped = marks.drop_prefixes.match(text, clause_from)
    clause_from = dropped.end() if dropped else clause_from
    clause = text[clause_from:owner]
    # a clause may open with a preposition here ("为其提供服务的单位应当…"): the caller has found
    # the head right before its marker, so the phrase is the subject, not a fronted object
    # "从事农产品收购的单位或者个人": a family the clause restricts is no longer 任何单位和个人
    restricted_family = first.actor in marks.party_families and not text.startswith(first.actor, first.start)
    pair = len(mentions) == 2 and marks.family_ending.fullmatch(text, first.end, mentions[1].end) is not None
    if pair and clause and len(clause) <= marks.defined_clause_max and not marks.defined_clause_blockers.search(clause):
        # "被抽取样品的企业和个人": the clause restricts an X和个人 family, one party as written (§9)
        written = text[clause_from:owner + 1] + text[first.start:mentions[1].end]
        return (*listed, Mention(written, clause_from, mentions[1].end, first.level or level, first.inferred))
    if not (_names_nobody(first.actor, verbal_head) or restricted_family) or not clause \
            or len(clause) > marks.defined_clause_max \
            or marks.defined_clause_blockers.search(clause):
        return (*listed, *mentions)  # "销售者及服务业的经营者": the actors listed before stay
    earlier = _defined_before(text, clause_from, owner)
    if earlier is not None:  # "展销会的举办者、柜台的出租者": two parties, each defined by its own clause
        listed, clause_from = (*listed, earlier), earlier.end + 1
    defined = []
    for index, mention in enumerate(mentions):
        if index and not (_names_nobody(mention.actor, False) or restricted_family):
            defined.append(mention)
            continue
        written = text[clause_from:owner + 1] + text[mention.start:mention.end]
        defined.append(Mention(written, clause_from, mention.end, mention.level or level, mention.inferred))
    return (*listed, *defined)


def _defined_before(text: str, start: int, owner: int) -> Mention | None:
    """The party a clause before the last separator names by its own "…的 + agent" ("展销会的举办者、"
    before "柜台的出租者"); None when that part is no such party."""
    separator = text.rfind("、", start, owner)
    inner = text.rfind("的", start, separator) if separator > 0 else -1
    if inner < 0:
        return None
    mentions, end = parse_actor_list(text, inner + 1)
    if len(mentions) != 1 or end != separator or not _names_nobody(mentions[0].actor, False):
        return None
    return Mention(text[start:end], start, end, mentions[0].level, mentions[0].inferred)


def _names_nobody(name: str | None, verbal_head: bool) -> bool:
    marks = load_markers()
    # "实施产品质量监督检查的工作人员", "生产单位的产品质量检验人员": staff are someone's staff, the clause says whose
    return name is not None and (verbal_head or name in marks.generic_heads or name.endswith(marks.staff_heads) or (
        len(name) <= marks.defined_agent_max and name.endswith(marks.agent_suffixes)
        and name not in load_lexicon().canonical))  # 开办者 needs its 集中交易市场的; 社会中介机构 does not


def _before_clause(text: str, start: int, owner: int) -> tuple[tuple[Mention, ...], int, str | None]:
    """What stands before a defining clause: (actors listed before it, where it begins, its level)."""
    listed, after = parse_actor_list(text, start)
    if not listed or after >= owner:
        return (), start, None
    if all(m.actor == GOVERNMENT for m in listed) and text[after] not in "、和及与或":
        return (), after + (1 if text[after] == "的" else 0), listed[0].level
    separator = load_markers().separators.match(text, after)
    if separator and separator.group() != "，":
        return listed, separator.end(), None
    return (), start, None


def _adjacent(text: str, end: int, stop: int, require_adjacent: bool) -> bool:
    """Nothing but an adverbial stands between the subject and its marker."""
    marks = load_markers()
    between = text[end:stop]
    if marks.compound_blockers.match(text, end):
        return False
    # "X开展产品质量检验应当…": a verb phrase may stand between, a relative clause ("X生产的产品") may not
    # "X采购其…的产品时应当…": a temporal clause of X's own stands between X and its marker
    return not require_adjacent or not between or bool(marks.adverbial_heads.match(between)) or \
        ("的" not in between and len(between) <= SUBJECT_GAP_MAX) or marks.temporal_clause.search(between) is not None


def _bare_polity(text: str, start: int, stop: int) -> tuple[Mention, ...] | None:
    """"自治区应当…", "省应当…": the polity's people's government, inferred."""
    marks = load_markers()
    words = text[start:stop].strip()
    if words in marks.polities:
        return (Mention(GOVERNMENT, start, start + len(words), marks.level_display.get(words, words), True),)
    return None


def delegated_actors(text: str) -> tuple[Mention, ...]:
    """"…由国务院规定": the actor the task is delegated to."""
    return next(_delegations(text), ())


def every_delegated_actor(text: str) -> tuple[Mention, ...]:
    """"由X责令改正…；情节严重的，由Y吊销…": every actor a part of the sentence is delegated to."""
    return tuple(mention for mentions in _delegations(text) for mention in mentions)


def _delegations(text: str) -> Iterator[tuple[Mention, ...]]:
    """The actors after each 由 (or 移送…依法) of the sentence that names any, in order."""
    for match in load_markers().delegation.finditer(text):
        if mentions := actor_after(text, match.end()):
            yield mentions


@dataclass(frozen=True)
class LaterSubject:
    mentions: tuple[Mention, ...]
    modality: str
    action_at: int


def later_subjects(text: str, after: int, markers: tuple[Marker, ...]) -> tuple[LaterSubject, ...]:
    """Actors that open a later clause of the sentence with a verb of their own: "生产者应当…；
    销售者应当…", "企业可以…，有关部门应当予以指导", "…工作；有关行政主管部门分工管理…" (a
    declarative after ；). Conditions ("…，销售者赔偿损失后，可以…") are not such clauses."""
    marks = load_markers()
    found: list[LaterSubject] = []
    for index in range(after, len(text)):
        if text[index] not in "，；":
            continue
        start = index + 1
        by = load_markers().later_delegation.match(text, start)
        if by:  # "…，由发证机关办理注销手续", "…，所需费用由省财政列支": a task delegated in a later clause
            delegated = actor_after(text, by.end())
            if delegated and not any(m.end >= len(text) for m in delegated):
                found.append(LaterSubject(delegated, "Duty", max(m.end for m in delegated)))
            continue
        mentions, end = parse_actor_list(text, start)
        if not mentions or end >= len(text) or text[end] in CLAUSE_BREAK + "。的":
            defined = _later_defined_party(text, start, markers)
            if defined is not None:
                found.append(defined)
            continue
        stop = clause_end(text, end)
        clause = text[start:stop]
        if clause.endswith("的") or marks.compound_blockers.match(text, end):
            continue
        marker = next((m for m in markers if end <= m.start < stop), None)
        governed = marker is not None and not marker.addresses and LATER_GAP.fullmatch(text, end, marker.start)
        # a name right before its own modal verb is a subject even when it opens with a verb (注册会计师)
        if not governed and not all(_plain_agent(text[m.start:m.end], m.actor) for m in mentions):
            continue
        if marker is not None and LATER_GAP.fullmatch(text, end, marker.start):
            found.append(LaterSubject(mentions, "Duty" if marker.addresses else marker.modality,
                                      marker.start if marker.addresses else marker.end))
        elif marker is None and text[index] == "；" and text[stop:stop + 1] in ("；", "。", "") \
                and not marks.prepositions.match(text, end) and first_word_tag(text[end:stop]).startswith("v") \
                and not RELATIVE_VERB.match(text, end):
            found.append(LaterSubject(mentions, "Duty", end))
    return tuple(found)


def _later_defined_party(text: str, start: int, markers: tuple[Marker, ...]) -> LaterSubject | None:
    """"…；无权处理的部门应当及时移交…", "…，接到举报的部门应当及时处理": a later clause whose subject
    is a party named by a defining clause right before its own modal verb (guidelines §9, whole
    noun phrases) — as it would be at the start of the sentence."""
    stop = clause_end(text, start)
    marker = next((m for m in markers if start < m.start < stop), None)
    if marker is None or marker.addresses:
        return None
    subject = _subject_in(text, start, marker.start)
    if subject is None or not subject.mentions or any(m.actor is None or "的" not in m.actor for m in subject.mentions):
        return None
    return LaterSubject(subject.mentions, marker.modality, marker.end)


def leading_subject(text: str, subject_at: int) -> LaterSubject | None:
    """An actor opening the first clause with a short verb phrase of its own ("X牵头，") when the
    governing marker has another subject, later in the sentence (at `subject_at`)."""
    marks = load_markers()
    comma = text.find("，")
    if comma < 0 or comma >= subject_at or text.startswith("的", comma - 1):
        return None
    mentions, end = parse_actor_list(text, 0)
    if not mentions or not 0 < comma - end <= marks.leading_verb_max or marks.compound_blockers.match(text, end):
        return None
    if not first_word_tag(text[end:comma]).startswith("v"):
        return None
    return LaterSubject(mentions, "Duty", end)


def _plain_agent(written: str, name: str | None) -> bool:
    """A scheme actor, or a written agent noun that opens with no verb ("明确牵头单位" is none)."""
    if name is None:
        return False
    if load_actor_scheme().concept_for(name) is not None:
        return True
    return name.endswith(load_markers().free_suffixes) and not first_word_tag(written).startswith(("v", "a", "d"))
