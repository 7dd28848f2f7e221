"""The marker and level data of extract/data/*.json, loaded once and compiled."""
from __future__ import annotations

import json
import re
import re._constants
import re._parser
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class AnyOf:
    """A list of patterns, any of which may match a text. Those anchored at its start are tried there
    only: in one alternation of all of them, the engine tried each anchored one at every position
    (the non-norm test of every sentence took 40 % longer, measured on 37,555 corpus sentences)."""
    openings: re.Pattern[str]
    anywhere: re.Pattern[str]

    def search(self, text: str) -> bool:
        return self.openings.match(text) is not None or self.anywhere.search(text) is not None


def any_of(patterns: list[str]) -> AnyOf:
    openings: list[str] = []
    anywhere: list[str] = []
    for pattern in patterns:
        (openings if _anchored_at_start(pattern) else anywhere).append(pattern)
    return AnyOf(_alternation(openings), _alternation(anywhere))


def _anchored_at_start(pattern: str) -> bool:
    """The parsed pattern is a sequence that opens with ^ ("^a|b" is an alternation: b may match anywhere)."""
    items = re._parser.parse(pattern).data
    return bool(items) and items[0] == (re._constants.AT, re._constants.AT_BEGINNING)


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns) or "(?!)")


@dataclass(frozen=True, eq=False)  # one instance per process: hashed by identity, so readers can cache on it
class Markers:
    modal: tuple[tuple[re.Pattern[str], str], ...]  # (pattern, modality)
    address: tuple[tuple[re.Pattern[str], str], ...]
    address_chain: re.Pattern[str]
    address_not_party_after: re.Pattern[str]
    separators: re.Pattern[str]
    list_tail: re.Pattern[str]
    collective_heads: tuple[str, ...]
    defined_list_head: re.Pattern[str]  # "…等依法对…负有…职责的部门": a clause between 等 and the head
    free_suffixes: tuple[str, ...]
    free_suffix_starts: re.Pattern[str]  # the longest suffix starting at each position, in one scan
    free_suffix_prefixes: dict[str, tuple[str, ...]]  # a suffix → it and the shorter suffixes it begins with
    free_head_max: int
    long_name_max: int
    long_name_endings: re.Pattern[str]
    long_name_blockers: re.Pattern[str]
    compound_blockers: re.Pattern[str]
    unknown_stem: re.Pattern[str]
    stem_endings: re.Pattern[str]
    adverbial_heads: re.Pattern[str]
    prepositions: re.Pattern[str]
    leading_time: re.Pattern[str]  # a period before the subject: 三包有效期内
    clausal_verbs: re.Pattern[str]  # verbs whose object is a clause ("发现销售的产品…"), never a relative clause's
    cohort: re.Pattern[str]
    media_list: re.Pattern[str]
    company_pairs: dict[str, tuple[str, ...]]
    # first characters of the words that the readers try one by one: a quick no at most places
    initials: dict[str, frozenset[str]]
    drop_prefixes: re.Pattern[str]
    kept_prefixes: re.Pattern[str]
    guideline_actors: frozenset[str]
    non_norm: AnyOf
    non_norm_sections: re.Pattern[str]
    non_norm_headings: re.Pattern[str]
    pointer_only: re.Pattern[str]
    pointer_sanction: re.Pattern[str]
    pointer_exception: re.Pattern[str]
    sanction_chapters: re.Pattern[str]
    action_adverbs: re.Pattern[str]
    action_prepositions: re.Pattern[str]
    action_closers: re.Pattern[str]
    action_joiners: re.Pattern[str]
    action_list_tail: re.Pattern[str]
    action_disposal_verbs: re.Pattern[str]
    condition_only: re.Pattern[str]
    sanction_verbs: re.Pattern[str]
    exception_clause: re.Pattern[str]  # 除…外: an exception, not the sentence's own clause
    liabilities: re.Pattern[str]  # civil liability a violator bears (赔偿, 承担…责任)
    liability_predicate: re.Pattern[str]  # a clause opening with a liability
    delegation: re.Pattern[str]
    impersonal_prohibitions: re.Pattern[str]
    before_initial_address: re.Pattern[str]
    relative_clause: re.Pattern[str]
    stipulating_verbs: re.Pattern[str]  # 规定, 约定…: verbs jieba may read as nouns
    item_noun_phrase: re.Pattern[str]  # the rest of an item after its marker: a relative clause and its head
    list_heads: tuple[str, ...]
    sanction_nouns: re.Pattern[str]
    sanction_after_condition: re.Pattern[str]
    sanction_cited: re.Pattern[str]
    activity_verbs: re.Pattern[str]
    free_stop_chars: str
    free_leading_chars: str
    adjectival: re.Pattern[str]  # "创新型企业": a verb made an adjective by 型 opens a name
    free_name_blockers: re.Pattern[str]
    office_suffixes: str
    thing_subject_cue: re.Pattern[str]
    basis_statement: re.Pattern[str]
    level_prefix: re.Pattern[str]  # longest first
    level_joiners: tuple[str, ...]
    department_endings: tuple[str, ...]
    level_display: dict[str, str]
    polities: tuple[str, ...]
    polity_subjects: dict[str, str]
    named_polity: re.Pattern[str]
    polity_blockers: re.Pattern[str]
    government: tuple[str, ...]
    actor_levels: frozenset[str]  # a level only right before a department, else an actor (国务院)
    distributive_polities: tuple[str, ...]  # 各地: the local governments, as a subject
    modified_polity: re.Pattern[str]  # 有条件的地方: the polity's people's government
    distributive: str  # 各 before a level (各市（州）人民政府)
    level_qualifier: re.Pattern[str]  # a parenthesis that qualifies a level: 区（县级市）
    nominal_marker: re.Pattern[str]  # what follows a modal word used as a noun modifier (禁止行为)
    defined_head: re.Pattern[str]
    duty_party: re.Pattern[str]  # a department named by its remit: 负责…的部门
    sub_department: re.Pattern[str]  # an organ's own department after its name: 公安机关交通管理部门
    named_heads: tuple[str, ...]  # heads that end a name of their own: a stem ending in one borrows no head
    organs_with_departments: tuple[str, ...]  # endings of the organs that name departments of their own
    temporal_clause: re.Pattern[str]  # what closes a temporal clause between a subject and its marker
    thing_topic: re.Pattern[str]  # a leading clause whose head is a thing its actors make or sell
    thing_topic_max: int  # a short opening clause led by a noun is a topic ("产品未经检验，不得…")
    noun_topic: re.Pattern[str]  # an opening clause that is a noun phrase "…的 + head"
    adverbial_nouns: re.Pattern[str]  # heads that make such a phrase an adverbial (…的需要, …的基础上)
    relative_thing: re.Pattern[str]  # "X向Y提供的信息应当…": X only modifies the thing that is the subject
    activity_topic: re.Pattern[str]  # an opening "从事X" clause: whoever does X, unnamed
    later_delegation: re.Pattern[str]  # a later clause that opens (after a short object) with 由
    leading_verb_max: int  # how long "X牵头，" may be after X for X to own the clause
    defined_clause_max: int
    defined_agent_max: int
    defined_clause_blockers: re.Pattern[str]
    agent_suffixes: tuple[str, ...]
    generic_heads: frozenset[str]  # heads that name nobody by themselves (单位, 部门, 行政主管部门…)
    list_pointers: tuple[str, ...]  # 下列/以下 before a generic head: the lead-in's items name the parties
    pronouns: tuple[str, ...]  # 该/此 before a generic head points back at a party named earlier
    category_members: dict[str, str]  # "机关、团体、企业事业单位…": 机关 → 国家机关 in such a list
    organisation_kinds: frozenset[str]
    possessed_roles: tuple[str, ...]  # "X的有关负责人": one actor, the whole phrase
    staff_heads: tuple[str, ...]  # "…的工作人员": a defining clause before staff stays in the name
    party_families: frozenset[str]  # "任何单位和个人": one actor; with a modifier, another one as written
    family_ending: re.Pattern[str]  # "…企业和个人": the individuals closing an X和个人 family
    institution_types: frozenset[str]  # canonical names a domain modifier before them does not change


def _data(name: str) -> dict:
    with resources.files("dutygraph.extract").joinpath("data", name).open(encoding="utf-8") as handle:
        return json.load(handle)


@cache
def load_markers() -> Markers:
    marks = _data("markers.json")
    levels = _data("levels.json")
    heads = _data("generic_heads.json")
    return Markers(
        modal=tuple((re.compile(m["pattern"]), m["modality"]) for m in marks["modal"]),
        address=tuple((re.compile(m["pattern"]), m["modality"]) for m in marks["address"]),
        address_chain=re.compile(marks["address_chain"]),
        address_not_party_after=re.compile(marks["address_not_party_after"]),
        separators=re.compile(marks["separators"]),
        list_tail=re.compile(marks["list_tail"]),
        collective_heads=tuple(sorted(marks["collective_heads"], key=len, reverse=True)),
        defined_list_head=re.compile(marks["defined_list_head"]),
        free_suffixes=tuple(sorted(marks["free_suffixes"], key=len, reverse=True)),
        free_suffix_starts=re.compile("(?=(" + "|".join(map(re.escape, sorted(set(marks["free_suffixes"]), key=len, reverse=True))) + "))"),
        free_suffix_prefixes={suffix: tuple(other for other in sorted(set(marks["free_suffixes"]), key=len, reverse=True)
                                            if suffix.startswith(other)) for suffix in marks["free_suffixes"]},
        free_head_max=marks["free_head_max"],
        long_name_max=marks["long_name_max"],
        long_name_endings=re.compile(marks["long_name_endings"]),
        long_name_blockers=re.compile(marks["long_name_blockers"]),
        compound_blockers=re.compile(marks["compound_blockers"]),
        unknown_stem=re.compile(marks["unknown_stem"]),
        stem_endings=re.compile(marks["stem_endings"]),
        adverbial_heads=re.compile(marks["adverbial_heads"]),
        prepositions=re.compile(marks["prepositions"]),
        leading_time=re.compile(marks["leading_time"]),
        clausal_verbs=re.compile(marks["clausal_verbs"]),
        cohort=re.compile(marks["cohort"]),
        media_list=re.compile(marks["media_list"]),
        company_pairs={k: tuple(v) for k, v in marks["company_pairs"].items()},
        initials={"company_pairs": frozenset(word[0] for word in marks["company_pairs"]),
                  "polity_subjects": frozenset(word[0] for word in levels["polity_subjects"]),
                  "government": frozenset(word[0] for word in levels["government"])},
        drop_prefixes=re.compile(marks["drop_prefixes"]),
        kept_prefixes=re.compile(marks["kept_prefixes"]),
        guideline_actors=frozenset(marks["guideline_actors"]),
        non_norm=any_of(marks["non_norm"]),
        non_norm_sections=re.compile(marks["non_norm_sections"]),
        non_norm_headings=re.compile(marks["non_norm_headings"]),
        pointer_only=re.compile(marks["pointer_only"]),
        pointer_sanction=re.compile(marks["pointer_sanction"]),
        pointer_exception=re.compile(marks["pointer_exception"]),
        sanction_chapters=re.compile(marks["sanction_chapters"]),
        action_adverbs=re.compile(marks["action_adverbs"]),
        action_prepositions=re.compile(marks["action_prepositions"]),
        action_closers=re.compile(marks["action_closers"]),
        action_joiners=re.compile(marks["action_joiners"]),
        action_list_tail=re.compile(marks["action_list_tail"]),
        action_disposal_verbs=re.compile(marks["action_disposal_verbs"]),
        condition_only=re.compile(marks["condition_only"]),
        sanction_verbs=re.compile(marks["sanction_verbs"]),
        exception_clause=re.compile(marks["exception_clause"]),
        liabilities=re.compile(marks["liabilities"]),
        liability_predicate=re.compile(marks["liability_predicate"]),
        delegation=re.compile(marks["delegation"]),
        impersonal_prohibitions=re.compile(marks["impersonal_prohibitions"]),
        before_initial_address=re.compile(marks["before_initial_address"]),
        relative_clause=re.compile(marks["relative_clause"]),
        stipulating_verbs=re.compile(marks["stipulating_verbs"]),
        item_noun_phrase=re.compile(marks["item_noun_phrase"]),
        list_heads=tuple(marks["list_heads"]),
        sanction_nouns=re.compile(marks["sanction_nouns"]),
        sanction_after_condition=re.compile(marks["sanction_after_condition"]),
        sanction_cited=re.compile(marks["sanction_cited"]),
        activity_verbs=re.compile(marks["activity_verbs"]),
        free_stop_chars=marks["free_stop_chars"],
        free_leading_chars=marks["free_leading_chars"],
        adjectival=re.compile(marks["adjectival"]),
        free_name_blockers=re.compile(marks["free_name_blockers"]),
        office_suffixes=marks["office_suffixes"],
        thing_subject_cue=re.compile(marks["thing_subject_cue"]),
        basis_statement=re.compile(marks["basis_statement"]),
        level_prefix=re.compile("|".join(map(re.escape, sorted(levels["prefixes"], key=len, reverse=True)))),
        level_joiners=tuple(levels["joiners"]),
        department_endings=tuple(levels["department_endings"]),
        level_display=levels["display"],
        polities=tuple(levels["polities"]),
        polity_subjects=levels["polity_subjects"],
        named_polity=re.compile(levels["named_polity"]),
        polity_blockers=re.compile(levels["polity_blockers"]),
        government=tuple(levels["government"]),
        actor_levels=frozenset(levels["actor_levels"]),
        distributive_polities=tuple(levels["distributive_polities"]),
        modified_polity=re.compile(levels["modified_polity"]),
        distributive=levels["distributive"],
        level_qualifier=re.compile(levels["qualifier"]),
        nominal_marker=re.compile(marks["nominal_marker"]),
        defined_head=re.compile(marks["defined_head"]),
        duty_party=re.compile(marks["duty_party"]),
        sub_department=re.compile(marks["sub_department"]),
        named_heads=tuple(marks["named_heads"]),
        organs_with_departments=tuple(marks["organs_with_departments"]),
        temporal_clause=re.compile(marks["temporal_clause"]),
        thing_topic=re.compile(marks["thing_topic"]),
        thing_topic_max=marks["thing_topic_max"],
        noun_topic=re.compile(marks["noun_topic"]),
        adverbial_nouns=re.compile(marks["adverbial_nouns"]),
        relative_thing=re.compile(marks["relative_thing"]),
        activity_topic=re.compile(marks["activity_topic"]),
        later_delegation=re.compile(marks["later_delegation"]),
        leading_verb_max=marks["leading_verb_max"],
        defined_clause_max=marks["defined_clause_max"],
        defined_agent_max=marks["defined_agent_max"],
        defined_clause_blockers=re.compile(marks["defined_clause_blockers"]),
        agent_suffixes=tuple(marks["agent_suffixes"]),
        generic_heads=frozenset(heads["heads"]),
        list_pointers=tuple(heads["list_pointers"]),
        pronouns=tuple(heads["pronouns"]),
        institution_types=frozenset(heads["institution_types"]),
        party_families=frozenset(heads["party_families"]),
        family_ending=re.compile(heads["family_ending"]),
        staff_heads=tuple(heads["staff_heads"]),
        category_members=dict(heads["category_members"]),
        organisation_kinds=frozenset(heads["organisation_kinds"]),
        possessed_roles=tuple(sorted(heads["possessed_roles"], key=len, reverse=True)),
    )
