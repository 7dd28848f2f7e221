"""Actor mentions: coordinated actor lists with their level prefixes, read off the simplified text.

A list is parsed left to right: [level…] [人民政府 (的)] member (separator member)* [等(有关)部门].
Members are labels of the actor scheme (longest match), bare department stems ("发展改革",
"市场监管") that take the list's head ("…等有关部门"), or free noun phrases ending in an agent
suffix (…机构, …协会, …者) that are not verb phrases.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from dutygraph.extract.actors import load_actor_scheme
from dutygraph.extract.markers import Markers, load_markers
from dutygraph.extract.tokens import first_word_tag, token_words

GENERIC_RELEVANT = "有关部门"
GOVERNMENT = "人民政府"


@dataclass(frozen=True)
class Mention:
    actor: str | None  # canonical simplified name; None = unspecified
    start: int  # offsets into the text that was parsed (surface span, level excluded)
    end: int
    level: str | None = None
    inferred: bool = False


@dataclass(frozen=True)
class _Member:
    names: tuple[str, ...]
    start: int
    end: int
    level: str | None
    is_stem: bool = False
    written: str = ""
    inferred: bool = False


@dataclass(frozen=True)
class Lexicon:
    by_first_char: dict[str, tuple[str, ...]]  # labels longest first
    stems: frozenset[str]
    canonical: dict[str, str]
    # one scan finds the longest label at a place; the shorter ones there are its prefixes
    pattern: re.Pattern[str]
    prefixes: dict[str, tuple[str, ...]]
    longest: int  # characters of the longest label: no longer tail of a span can be one

    def tails(self, span: str, first: int = 0, shortest: int = 1) -> range:
        """Where the tails of `span` (from `first` on, `shortest` characters or more) that can be
        labels start, longest first: a list of thousands of members is not cut at every character."""
        return range(max(first, len(span) - self.longest), len(span) - shortest + 1)


@cache
def load_lexicon() -> Lexicon:
    scheme = load_actor_scheme()
    marks = load_markers()
    agent_endings = (*marks.free_suffixes, *marks.collective_heads, "政府", "国务院", "局", "委", "海关")
    canonical: dict[str, str] = {}
    stems: set[str] = set()
    for label in scheme.labels:
        concept = scheme.concept_for(label)
        canonical[label] = concept.pref
        department = concept.pref.endswith(("部门", "机关"))
        if department and not label.endswith(agent_endings):
            stems.add(label)
    index: dict[str, list[str]] = {}
    longest_first = sorted(canonical, key=len, reverse=True)
    for label in longest_first:
        index.setdefault(label[0], []).append(label)
    prefixes = {label: tuple(other for other in index[label[0]] if label.startswith(other)) for label in canonical}
    pattern = re.compile("|".join(map(re.escape, longest_first)))
    return Lexicon({k: tuple(v) for k, v in index.items()}, frozenset(stems), canonical, pattern, prefixes,
                   len(longest_first[0]))


def canonical_name(surface: str) -> str:
    """Canonical simplified name of a written actor (level and filler prefixes already removed)."""
    lexicon = load_lexicon()
    if surface in lexicon.canonical:
        return lexicon.canonical[surface]
    marks = load_markers()
    dropped = marks.drop_prefixes.match(surface)
    if dropped is None or not dropped.group():
        return surface
    name = lexicon.canonical.get(surface[dropped.end():], surface)
    return _with_kept_prefix(dropped.group(), name, marks) if name != surface else surface


def _with_kept_prefix(prefix: str, name: str, marks: Markers) -> str:
    """"其他国家机关" keeps its 其他 (another set than 国家机关); "其他有关部门" is 有关部门."""
    if marks.kept_prefixes.fullmatch(prefix) and name not in marks.guideline_actors:
        return prefix + name
    return name


# the clause readers ask for the list at the same place of a sentence many times over
@lru_cache(maxsize=8192)
def parse_actor_list(text: str, pos: int) -> tuple[tuple[Mention, ...], int]:
    """The coordinated actors written at `pos`, and where the list ends; ((), pos) when none."""
    marks = load_markers()
    media = marks.media_list.match(text, pos)
    if media:
        return (Mention("媒体", media.start(), media.end()),), media.end()
    members: list[_Member] = []
    shared_level: str | None = None
    cursor = pos
    member = _parse_member(text, cursor, marks)
    while member is not None:
        if not members:
            shared_level = None if member.inferred else member.level  # 各地 speaks for its governments only
        member = _possessed_role(text, member, marks)
        members.append(member)
        cursor = member.end
        tail = marks.list_tail.match(text, cursor)
        if tail:
            cursor = _consume_list_head(text, tail.end(), marks, members)
            break
        separator = marks.separators.match(text, cursor)
        if not separator or separator.group() == "，":
            break
        following = _parse_member(text, separator.end(), marks)
        cursor = separator.end() if following is not None else cursor
        if following is not None and separator.group() == "及其" and following.written in marks.generic_heads:
            cursor = following.end  # "检验、检测机构及其人员": its staff, a bare head naming nobody (§9)
            break
        member = following
    if not members:
        return (), pos
    family = _modified_family(text, members[0].start, cursor)
    if family is not None:  # "被检查单位和个人": one party, as written (guidelines §9)
        return (Mention(family, members[0].start, cursor, members[0].level or shared_level),), cursor
    members = _institution_of_a_domain(text, members)
    acts = _acts_of_one_party(text, members)
    if acts is not None:  # "查封、扣押部门": the department that seals and seizes, one party
        return acts, cursor
    qualified = _qualified_head(text, cursor, members, marks)
    if qualified is not None:  # "供水、供电、供气等经营者": the stems qualify one actor
        return qualified
    members = _distribute_head(members)
    if members is None:
        return (), pos
    members = _share_modifier(members, marks)
    members = _categories_of_organisation(members, marks)
    mentions = []
    for member in members:
        for name in member.names:
            mentions.append(Mention(name, member.start, member.end, member.level or shared_level, member.inferred))
    return tuple(mentions), cursor


def _possessed_role(text: str, member: _Member, marks: Markers) -> _Member:
    """"被检查单位的有关负责人", "集中交易市场的开办者": a role after a party and 的 is one actor."""
    if member.is_stem or not text.startswith("的", member.end):
        return member
    role = next((r for r in marks.possessed_roles if text.startswith(r, member.end + 1)), None)
    if role is None:
        return member
    end = member.end + 1 + len(role)
    return _Member((text[member.start:end],), member.start, end, member.level, written=text[member.start:end])


def _modified_family(text: str, start: int, end: int) -> str | None:
    """"有关单位和个人", "其他单位或者个人": a modifier before an X和个人 family makes another party
    than 任何单位和个人; written as in the text. A list before the family ("企业、单位和个人") is no modifier."""
    lexicon = load_lexicon()
    marks = load_markers()
    span = text[start:end]
    family = lexicon.canonical.get(span)
    if family is not None and family in marks.party_families:
        return None  # the family's own name ("任何单位和个人", "单位或者个人")
    for at in lexicon.tails(span, first=1, shortest=4):
        if lexicon.canonical.get(span[at:]) in marks.party_families:
            return None if marks.separators.search(span[:at]) else span
    return None


def _institution_of_a_domain(text: str, members: list[_Member]) -> list[_Member]:
    """"特种设备检验、检测机构": stems joined by 、 up to a full member, whose whole span ends in a
    scheme label spanning the 、 (检验、检测机构) that a domain may precede, are that one party."""
    full = next((index for index, member in enumerate(members) if not member.is_stem), 0)
    if full == 0:
        return members
    first, last = members[0], members[full]
    span = text[first.start:last.end]
    known = _known_tail(span)
    if known is None or "、" not in _longest_label_ending(span):
        return members
    return [_Member((known,), first.start, last.end, first.level, written=span), *members[full + 1:]]


def _longest_label_ending(span: str) -> str:
    """The longest scheme label that ends `span` ("" when none does)."""
    lexicon = load_lexicon()
    return next((span[at:] for at in lexicon.tails(span) if span[at:] in lexicon.canonical), "")


def _acts_of_one_party(text: str, members: list[_Member]) -> tuple[Mention, ...] | None:
    """Stems that are verbs before a name ("查封、扣押部门") are the acts of one party, not a list
    of departments (as "公安、卫生等部门" is)."""
    stems = [member for member in members[:-1] if member.is_stem]
    last = members[-1]
    if not stems or len(stems) != len(members) - 1 or last.is_stem or not last.names \
            or last.names[0].startswith("#head:"):
        return None
    if not all(first_word_tag(member.written) == "v" and len(member.written) == 2 for member in stems):
        return None
    return (Mention(text[members[0].start:last.end], members[0].start, last.end, members[0].level),)


def _share_modifier(members: list[_Member], marks: Markers) -> list[_Member]:
    """"有关部门、单位", "市直部门、单位", "有关单位和人员": a bare generic member takes the modifier
    the nearest member before it wrote before its own generic head (guidelines §9: no bare head):
    "产品质量监督部门和有关部门、机构" → 有关机构."""
    shared = [members[0]]
    modifier = _generic_modifier(members[0], marks)
    for member in members[1:]:
        bare = member.names and member.names[0] in marks.generic_heads and member.written in marks.generic_heads
        if bare and modifier:
            member = replace(member, names=(canonical_name(modifier + member.names[0]),))
        elif not bare:
            modifier = _generic_modifier(member, marks)
        shared.append(member)
    return shared


def _categories_of_organisation(members: list[_Member], marks: Markers) -> list[_Member]:
    """"机关、团体、企业事业单位和其他组织": beside other kinds of organisation, a bare 机关 or 团体 is
    the category it names (国家机关, 社会团体), not a head waiting for its modifier."""
    kinds = {name for member in members for name in member.names}
    if len(members) < 2 or not kinds & marks.organisation_kinds:
        return members
    return [replace(member, names=(marks.category_members[member.written],))
            if member.written in marks.category_members and member.names == (member.written,) else member
            for member in members]


def _generic_modifier(member: _Member, marks: Markers) -> str:
    """What a member wrote before its generic head ("有关" of 有关部门), or ""."""
    name = member.names[0] if member.names else ""
    head = next((h for h in sorted(marks.generic_heads, key=len, reverse=True)
                 if name.endswith(h) and len(name) > len(h)), "")
    if not head or name in marks.generic_heads or not member.written.endswith(head):
        return ""  # a stem that took the list's head ("发展改革、财政部门和单位") lends nothing
    return name[:-len(head)]


def _qualified_head(text: str, cursor: int, members: list[_Member], marks: Markers,
                    ) -> tuple[tuple[Mention, ...], int] | None:
    """Bare stems closed by 等 and an actor name that is no collective head ("…等经营者")."""
    if not all(member.is_stem and member.written not in load_lexicon().canonical for member in members):
        return None
    if not text.startswith("等", cursor - 1):
        return None
    named = _match_name(text, cursor, marks, free=False)
    if named is None:
        return None
    names, end, is_stem = named
    if is_stem:
        return None
    return tuple(Mention(name, cursor, end) for name in names), end


def _consume_list_head(text: str, pos: int, marks: Markers, members: list[_Member]) -> int:
    """After 等: "有关部门" / "部门" / "单位" … closes the list and lends its head to stems."""
    for head in ("有关", "相关", "其他"):
        if text.startswith(head, pos):
            pos += len(head)
            break
    if text.startswith("行政部门", pos):  # "技术监督、卫生、物价等有关行政部门": each stem's 部门
        pos += len("行政")
    for head in marks.collective_heads:
        if text.startswith(head, pos):
            members.append(_Member(("#head:" + head,), pos, pos + len(head), None))
            return pos + len(head)
    defined = marks.defined_list_head.match(text, pos)
    if defined and any(member.is_stem for member in members):
        members.append(_Member(("#head:" + defined.group(1),), defined.start(1), defined.end(), None))
        return defined.end()
    return pos


def _distribute_head(members: list[_Member]) -> list[_Member] | None:
    """Give each stem the head of the next full member ("教育、科研机构" → 教育机构) or of the list
    ("发展改革、财政等有关部门"); drop the trailing 等…部门 head when it has company."""
    list_head = ""
    last = members[-1]
    if last.names and last.names[0].startswith("#head:"):
        list_head = last.names[0].removeprefix("#head:").removeprefix("有关").removeprefix("相关")
        members = members[:-1]
        if not members:
            return None
    marks = load_markers()
    if list_head in marks.guideline_actors and not any(member.is_stem for member in members):
        # "学会、协会、商会…等社会团体": named examples of a category the guidelines name: that category
        return [_Member((list_head,), members[0].start, last.end, members[0].level, written=list_head)]
    out: list[_Member] = []
    prefix, reach = _shared_prefix(members)
    for index, member in enumerate(members):
        member_prefix = prefix if index < reach else ""
        if member.is_stem:
            following = next((m for m in members[index + 1:] if not m.is_stem), None)
            # "公安、气象、海关等…部门": a member with no head of its own lends none, the list's head serves
            suffix = (_shared_tail(following.written) if following else "") or list_head
            if not suffix:
                return None
            written = member.written if index == 0 else member_prefix + member.written
            if _head_of(written) or written.endswith(marks.named_heads):
                # "其所在机关、上级机关", "有关的专门委员会和常务委员会工作机构": the stem has its head already
                dropped = marks.drop_prefixes.match(written)
                written, suffix = written[dropped.end() if dropped else 0:], ""
            names = (canonical_name(written + suffix),)
            member = _Member(names, member.start, member.end, member.level, written=member.written)
        elif member_prefix and index:  # "…、使用单位": the last member takes the shared noun too
            member = replace(member, names=(canonical_name(member_prefix + member.written),))
        out.append(member)
    return out


def _shared_tail(written: str) -> str:
    """What a stem borrows from the full member after it: that member without its first noun
    ("移动式压力容器、气瓶充装单位" → 充装单位), else its head ("教育、科研机构" → 机构)."""
    head = _head_of(written)
    words = token_words(written)
    rest = written[len(words[0][0]):] if words else ""
    if head and words and words[0][1].startswith("n") and len(rest) == 2 + len(head) and first_word_tag(rest[:2]) == "v":
        return rest  # a noun, then a verb and the head: the verb and the head are shared
    return head


def _shared_prefix(members: list[_Member]) -> tuple[str, int]:
    """"特种设备生产、经营、使用单位": the noun before the first stem's verb belongs to the later
    members that are a verb alone or a verb and the head, up to the first that is not
    ("…使用单位及其主要负责人": the 负责人 are nobody's 特种设备); (prefix, members it reaches)."""
    first = members[0]
    if not first.is_stem:
        return _shared_domain(members)
    if len(first.written) <= 2 or not _is_act(first.written[-2:]):
        return "", 0
    reach = 1
    for member in members[1:]:
        act = _is_act(member.written[:2])
        if not act or not (member.is_stem and len(member.written) == 2 or member.written[2:] == _head_of(member.written)):
            break
        reach += 1
    # the run ends in the member that wrote the shared head: "发展和改革、教育、科技…等部门" is no run
    if reach == 1 or (reach < len(members) and members[reach - 1].is_stem):
        return "", 0
    return first.written[:-2], reach


def _shared_domain(members: list[_Member]) -> tuple[str, int]:
    """"特种设备安全管理人员、检测人员和作业人员": a domain noun opening the first of several roles
    with one head belongs to the later ones that are a two-character word and that head alone."""
    first = members[0]
    head = members[1].written[2:] if len(members) > 1 else ""
    marks = load_markers()
    if head not in marks.generic_heads and head not in marks.list_heads or not first.written.endswith(head):
        return "", 0
    words = token_words(first.written)
    # "广告经营者、发布者": the domain opens a first member longer than the later ones
    if len(words) < 2 or not words[0][1].startswith("n") or len(words[0][0]) < 2 \
            or len(first.written) - len(words[0][0]) < 2 + len(head):
        return "", 0
    lexicon = load_lexicon()
    if first.written in lexicon.canonical:  # "市场监督管理部门和卫生部门": a scheme name has no domain to lend
        return "", 0
    reach = 1
    for member in members[1:]:
        if len(member.written) != 2 + len(head) or not member.written.endswith(head) or member.written in lexicon.canonical:
            break
        reach += 1
    return (words[0][0], reach) if reach > 1 else ("", 0)


def _is_act(word: str) -> bool:
    return first_word_tag(word) in ("v", "vn")


def _head_of(written: str) -> str:
    return next((head for head in load_markers().list_heads if written.endswith(head)), "")


def _parse_member(text: str, pos: int, marks: Markers) -> _Member | None:
    polity = _polity_subject(text, pos, marks)
    if polity is not None:
        return polity
    level, cursor = _parse_level(text, pos, marks)
    government = _match_government(text, cursor, marks)
    if government:
        after = government + (1 if text.startswith("的", government) else 0)
        inner = _match_name(text, after, marks) or _department_after_government(text, after, marks)
        if inner is not None and not text.startswith(("及其", "和", "、"), government):
            names, end, is_stem = inner
            # "政府机关", "人民政府部门", "人民政府工作人员": the government's own organs and staff
            if names[0] in marks.generic_heads or names[0].endswith("人员"):
                return _Member((text[cursor:end],), cursor, end, level, False, text[cursor:end])
            return _Member(names, after, end, level, is_stem, text[after:end])
        return _Member((GOVERNMENT,), cursor, government, level)
    named = _match_name(text, cursor, marks) or _unknown_stem(text, cursor, marks)
    if named is None and level is not None:  # "国务院和地方人民政府": the "level" was an actor
        level, cursor = None, pos
        named = _match_name(text, cursor, marks) or _unknown_stem(text, cursor, marks)
    if named is None:
        return None
    names, end, is_stem = named
    if level is not None and names[0] in marks.generic_heads:  # "上级主管机关": the level is part of the name
        return _Member((text[pos:end],), pos, end, None, is_stem, text[pos:end])
    return _Member(names, cursor, end, level, is_stem, text[cursor:end])


def _department_after_government(text: str, pos: int, marks: Markers) -> tuple[tuple[str, ...], int, bool] | None:
    """"人民政府建设行政主管部门": after 人民政府 a name ending in a department ending is a department
    even when its function reads as a verb (建设, 劳动, 监察)."""
    ending = marks.stem_endings.search(text, pos, pos + marks.free_head_max + 4)
    if ending is None or ending.start() == pos:
        return None
    written = text[pos:ending.end()]
    if any(char in marks.free_stop_chars for char in written):
        return None
    if _has_modal_word(written, marks):
        return None  # "人民政府应当组织有关部门…": the government's own duty, no department named 应当组织有关部门
    return (canonical_name(written),), ending.end(), False


def _has_modal_word(written: str, marks: Markers) -> bool:
    """A modal word (应当, 不得, 可以…) is never part of a name."""
    return any(pattern.search(written) for pattern, _ in marks.modal)


def _unknown_stem(text: str, pos: int, marks: Markers) -> tuple[tuple[str, ...], int, bool] | None:
    """A department stem the scheme lacks ("房屋管理、城管执法等部门"): valid only if the list
    ends in a head that completes it."""
    stem = marks.unknown_stem.match(text, pos)
    if stem is None:
        return None
    written = stem.group()
    verbal = marks.activity_verbs.match(written) or marks.adverbial_heads.match(written)
    if verbal or _has_modal_word(written, marks):
        return None
    return (written,), stem.end(), True


def _polity_subject(text: str, pos: int, marks: Markers) -> _Member | None:
    """"本市鼓励企业…": the polity speaking for its people's government (inferred)."""
    for word in marks.distributive_polities:  # "各地、各有关部门要…": the local governments
        end = pos + len(word)
        if text.startswith(word, pos) and not marks.level_prefix.match(text, end) \
                and not marks.polity_blockers.match(text, end) or text.startswith(word + "、", pos):
            return _Member((GOVERNMENT,), pos, end, word, written=word, inferred=True)
    modified = marks.modified_polity.match(text, pos)
    if modified and _polity_alone(text, modified.end(), marks):
        # "有条件的地方可以…", "支持地方围绕…": the polity's people's government (level as written), inferred
        return _Member((GOVERNMENT,), pos, modified.end(), modified.group(1) or modified.group(2),
                       written=modified.group(), inferred=True)
    if text[pos:pos + 1] not in marks.initials["polity_subjects"]:
        return None
    for word, level in marks.polity_subjects.items():
        end = pos + len(word)
        if text.startswith(word, pos) and not marks.polity_blockers.match(text, end) \
                and _match_name(text, end, marks, free=False) is None and not _match_government(text, end, marks):
            return _Member((GOVERNMENT,), pos, end, level, written=word, inferred=True)
    return None


def _polity_alone(text: str, end: int, marks: Markers) -> bool:
    """Nothing after the polity makes it a level or part of a noun ("地方各级人民政府", "地方标准")."""
    return text[end:end + 1] not in ("各", "级") and not marks.compound_blockers.match(text, end) \
        and not marks.level_prefix.match(text, end) and not _match_government(text, end, marks) \
        and _match_name(text, end, marks, free=False) is None


def _match_government(text: str, pos: int, marks: Markers) -> int:
    if text[pos:pos + 1] not in marks.initials["government"]:
        return 0
    for word in marks.government:
        if text.startswith(word, pos):
            return pos + len(word)
    return 0


def _parse_level(text: str, pos: int, marks: Markers) -> tuple[str | None, int]:
    """Level prefixes ("省、市（州）", "县级以上") before an actor; (None, pos) when none."""
    named_place = marks.named_polity.match(text, pos)
    if named_place:  # "三门峡市人民政府"
        return named_place.group(1), named_place.end(1)
    levels: list[str] = []
    cursor = pos
    if text.startswith(marks.distributive, pos) and not marks.level_prefix.match(text, pos) \
            and marks.level_prefix.match(text, pos + len(marks.distributive)):
        cursor = pos + len(marks.distributive)  # "各市（州）人民政府": each of the level's governments
    while True:
        prefix = marks.level_prefix.match(text, cursor)
        word = prefix.group() if prefix else None
        named = _match_name(text, cursor, marks, free=False)
        if named is not None and not (word and named[1] == cursor + len(word)):
            break
        if word is None:
            break
        end = cursor + len(word)
        qualifier = marks.level_qualifier.match(text, end)
        if qualifier and (_match_government(text, qualifier.end(), marks) or _next_is_level(text, qualifier.end(), marks)):
            word, end = word + qualifier.group(), qualifier.end()  # "区（县级市）人民政府": one level, as written
        department = _match_name(text, end, marks, free=False) or _free_department(text, end, marks)
        if word in marks.actor_levels and not _levels_of_department(text, end, marks):
            # "国务院标准化行政主管部门" (a level); "国务院和地方各级人民政府" (two actors)
            department = department or _stem_list_follows(text, end, marks)
            if department and not levels:
                levels.append(word)
                cursor = end
            break
        if not (department or _match_government(text, end, marks) or _next_is_level(text, end, marks)
                or _long_level_follows(text, end, marks)):
            break
        levels.append(marks.level_display.get(word, word))
        cursor = end
        following = marks.level_prefix.match(text, cursor)
        if following and len(following.group()) > 1 and _parse_level(text, cursor, marks)[0]:
            continue  # "所在地县级人民政府": levels written back to back (never "市市容…")
        joiner = next((j for j in marks.level_joiners if text.startswith(j, cursor)), None)
        if joiner and marks.level_prefix.match(text, cursor + len(joiner)):
            candidate, _ = _parse_level(text, cursor + len(joiner), marks)
            if candidate:
                cursor += len(joiner)
                continue
        break
    if not levels:
        return None, pos
    return "、".join(levels), cursor


def _levels_of_department(text: str, pos: int, marks: Markers) -> bool:
    """"国务院和省、自治区、直辖市人民政府的市场监督管理部门": joined to levels that lead to a
    department, 国务院 is one of its levels."""
    joiner = next((j for j in marks.level_joiners if text.startswith(j, pos)), "")
    if not joiner:
        return False
    following = _parse_member(text, pos + len(joiner), marks)
    return following is not None and following.level is not None and following.names != (GOVERNMENT,)


def _stem_list_follows(text: str, pos: int, marks: Markers) -> bool:
    """"国务院铁路、交通、水利等有关部门": a level before a list of stems that share a head."""
    if _unknown_stem(text, pos, marks) is None:
        return False  # only 国务院 (actor_levels) asks: "城市管理、环境保护等部门" is no level 城市
    mentions, _ = parse_actor_list(text, pos)
    return bool(mentions) and all(m.actor != GOVERNMENT for m in mentions)


def _free_department(text: str, pos: int, marks: Markers) -> bool:
    """A department missing from the scheme ("市专利管理部门" → level 市 + 专利管理部门)."""
    named = _free_match(text, pos, marks)
    return named is not None and named[0][0].endswith(marks.department_endings)


def _long_level_follows(text: str, pos: int, marks: Markers) -> bool:
    following = marks.level_prefix.match(text, pos)
    return following is not None and len(following.group()) > 1


def _next_is_level(text: str, pos: int, marks: Markers) -> bool:
    joiner = next((j for j in marks.level_joiners if text.startswith(j, pos)), "")
    return bool(joiner) and marks.level_prefix.match(text, pos + len(joiner)) is not None


@lru_cache(maxsize=16384)
def _match_name(text: str, pos: int, marks: Markers, free: bool = True) -> tuple[tuple[str, ...], int, bool] | None:
    """(canonical names, end, is_stem) of the actor name written at pos, or None."""
    duty_party = marks.duty_party.match(text, pos)
    if duty_party:  # "负责特种设备安全监督管理的部门": a department named by its remit, as written
        return (duty_party.group(),), duty_party.end(), False
    if text[pos:pos + 1] in marks.initials["company_pairs"]:
        for written, names in marks.company_pairs.items():
            if text.startswith(written, pos):
                return names, pos + len(written), False
    hit = _lexicon_match(text, pos, marks)
    if hit is not None:
        return _longer_free_name(text, pos, hit, marks) if free else hit
    dropped = marks.drop_prefixes.match(text, pos)
    if dropped and dropped.end() > pos:
        hit = _lexicon_match(text, dropped.end(), marks)
        if hit is not None and free and (longer := _longer_free_name(text, dropped.end(), hit, marks)) is not hit:
            return longer
        if hit is not None:
            names, end, is_stem = hit
            if not is_stem:
                # "其他单位或者个人": another party than 任何单位和个人, as written (guidelines §9)
                names = tuple(text[pos:end] if name in marks.party_families and marks.kept_prefixes.fullmatch(dropped.group())
                              else _with_kept_prefix(dropped.group(), name, marks) for name in names)
            return names, end, is_stem
    if not free:
        return None
    if dropped and dropped.end() > pos:  # "所有人": the "prefix" may be the name itself
        free = _free_match(text, dropped.end(), marks)
        if free is not None:  # "其他农产品生产者" keeps its 其他, as 其他国家机关 does
            names, end, is_stem = free
            return tuple(_with_kept_prefix(dropped.group(), name, marks) for name in names), end, is_stem
        return _free_match(text, pos, marks)
    return _free_match(text, pos, marks)


def _longer_free_name(text: str, pos: int, hit: tuple[tuple[str, ...], int, bool], marks: Markers,
                      ) -> tuple[tuple[str, ...], int, bool]:
    """"科技创新联盟": a department's stem that opens a longer name with an agent suffix is part of
    that name, not a stem waiting for a head."""
    if not hit[2]:
        return hit
    found = _free_match(text, pos, marks)
    return found if found is not None and found[1] > hit[1] else hit


def _lexicon_match(text: str, pos: int, marks: Markers) -> tuple[tuple[str, ...], int, bool] | None:
    lexicon = load_lexicon()
    longest = lexicon.pattern.match(text, pos)
    if longest is None:
        return None
    for label in lexicon.prefixes[longest.group()]:
        end = pos + len(label)
        if label in lexicon.stems:
            ending = marks.stem_endings.match(text, end)
            if ending:  # "自然资源主管部门", "统计机构": the stem with a department ending of its own
                # names stay as written (guidelines §9): only a written form the scheme lists is
                # normalised, so "建设行政主管部门" never becomes today's 住房和城乡建设部门
                written = label + ending.group()
                return (lexicon.canonical.get(written, written),), ending.end(), False
        if marks.compound_blockers.match(text, end):
            continue
        name = lexicon.canonical[label]
        branch = marks.sub_department.match(text, end) if name.endswith(marks.organs_with_departments) else None
        if branch and not _has_modal_word(branch.group(), marks):
            # "公安机关交通管理部门", "人民代表大会常务委员会有关工作机构": an organ's own department, as written
            return (label + branch.group(),), branch.end(), False
        # "消费者组织", "消费者协会": a party's name followed by an agent suffix names another
        # party; a department's ("…部门组织协商") is followed by a verb
        party = label not in lexicon.stems and not name.endswith(marks.department_endings + ("政府", "国务院", "委员会"))
        if party and (extension := marks.free_suffix_starts.match(text, end)):
            written = label + extension.group(1)
            return (lexicon.canonical.get(written, written),), end + len(extension.group(1)), False
        return (lexicon.canonical[label],), end, label in lexicon.stems
    return None


def _known_tail(name: str) -> str | None:
    """Canonical name of the longest scheme label (4+ characters) that ends `name`; never a generic
    head ("劳动行政主管部门" is not "行政主管部门": the function before it is the name)."""
    lexicon = load_lexicon()
    marks = load_markers()
    compound = False
    for start in range(1, len(name) - 3):
        tail = name[start:]
        if name[:start] in marks.generic_heads:  # "机关工作人员": the organ is the staff's, no noise before a name
            return None
        prefix = name[:start]
        # "农产品生产企业": a noun compound names its own party, "结果省…" is noise; only a kind of
        # institution keeps its name under a domain ("特种设备检验机构" is a 检验检测机构)
        # a level word starts a new name: "监督抽查的结果省质量技术监督部门" is a topic, then 省's department
        compound = not marks.level_prefix.search(prefix[-1:]) and (compound or first_word_tag(prefix).startswith("n"))
        if tail in lexicon.canonical and tail not in lexicon.stems and lexicon.canonical[tail] not in marks.generic_heads:
            known = lexicon.canonical[tail]
            if compound and known not in marks.institution_types:
                return None
            return _with_kept_prefix(prefix, known, marks)  # "有关国家机关" is not every 国家机关
    return None


def _free_match(text: str, pos: int, marks: Markers) -> tuple[tuple[str, ...], int, bool] | None:
    """A noun phrase ending in an agent suffix, e.g. 节能服务机构, 老字号企业, 大中专院校学生; a
    longer one only when it names a department ("农产品质量安全监督管理部门")."""
    found = _free_match_in(text, pos, marks, marks.free_head_max + 4)
    if found is None:
        found = _free_match_in(text, pos, marks, marks.long_name_max + 2)
        if found is not None and (not marks.long_name_endings.search(found[0][0])
                                  or marks.long_name_blockers.search(text, pos, found[1])
                                  or first_word_tag(text[pos:found[1]]).startswith("v")):
            return None
    return found


@cache
def _stop_chars(marks: Markers) -> re.Pattern[str]:
    """The characters a free name never runs across, as one character class (one scan)."""
    return re.compile("[" + re.escape(marks.free_stop_chars) + "]")


def _free_match_in(text: str, pos: int, marks: Markers, width: int) -> tuple[tuple[str, ...], int, bool] | None:
    window = text[pos:pos + width]
    stops = _stop_chars(marks)
    stop = stops.search(window)
    # "被检查人", "被许可人": a passive marker may open a role noun, never continue one
    if stop is not None and stop.start() == 0 and window[0] in marks.free_leading_chars:
        stop = stops.search(window, 1)
    if stop is not None:
        window = window[:stop.start()]
    occurrences = []
    for start in marks.free_suffix_starts.finditer(window):
        at = start.start()
        # "学会、协会…" stand on their own; "机构编制、…等部门" is a stem, not 机构
        stem = marks.unknown_stem.match(text, pos) if at == 0 else None
        for suffix in marks.free_suffix_prefixes[start.group(1)]:
            bare_word = at == 0 and len(suffix) > 1 and (stem is None or stem.end() == pos + len(suffix))
            if (at > 0 or bare_word) and not marks.compound_blockers.match(text, pos + at + len(suffix)):
                occurrences.append((at, at + len(suffix)))
    if not occurrences:
        return None
    best = min(end for _, end in occurrences)
    best = max(end for at, end in occurrences if at < best <= end)
    if window[:best] in marks.generic_heads:  # "单位燃气用户": a generic word opening a longer name
        best = max(end for _, end in occurrences)
    while extension := marks.free_suffix_starts.match(window, best):
        best += len(extension.group(1))
    name = window[:best]
    if marks.free_name_blockers.search(name) or marks.stipulating_verbs.match(name):
        return None  # "租赁他人", "规定经营者": a verb and its object, no party
    # "动员" is a verb, "党员" a member: two characters ending in a one-character suffix are a name
    # only when jieba does not read them as a verb
    verbal = (marks.activity_verbs.match(name) and not marks.adjectival.match(name)) or marks.adverbial_heads.match(name) or (
        len(name) == 2 and first_word_tag(name).startswith("v"))
    if verbal and len(name) == 4 and name[2:] in marks.generic_heads and not marks.adverbial_heads.match(name) \
            and not text.startswith("的", pos - 1) and any(pattern.match(text, pos + best) for pattern, _ in marks.modal):
        verbal = False  # "查处部门可以…": a verb and a generic head before a modal verb name the party that acts
    if not name[0].isalpha() or verbal or _has_modal_word(name, marks):
        return None
    if len(name) > 2 and first_word_tag(name[:2]) == "v" and name[2:] in load_lexicon().canonical:
        return None  # "造成消费者损害的": a verb and its object, no party
    known = _known_tail(name)
    if known is not None:  # "结果省质量技术监督部门": the scheme's name at the end wins
        return (known,), pos + best, False
    return (canonical_name(name),), pos + best, False
