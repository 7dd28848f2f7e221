"""Searches sped up for long documents find exactly what the plain pattern finds."""
from __future__ import annotations

import json
import re
from importlib import resources

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dutygraph.extract.definitions import ABBREVIATION, _abbreviations
from dutygraph.extract.markers import any_of
from dutygraph.extract.tokens import LONGEST_WORD, _dictionary, _longest_word

PIECES = ["（以下简称", "(以下统称", "（简称", "（下统称", "单位", "机关、单位", "“", "”", "，下同", "）", ")", "（", "，",
          "。", " ", "\n", "国家机关", "和", "是指", "甲乙丙丁戊己庚辛壬癸" * 3, "甲" * 79, "乙" * 81]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=30).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_abbreviations_found_from_their_openings_are_the_pattern_s_matches(text):
    assert [(m.span(), m.groups()) for m in _abbreviations(text)] == \
        [(m.span(), m.groups()) for m in ABBREVIATION.finditer(text)]


def test_every_prefix_of_a_word_in_jiebas_table_is_in_it():
    """What _longest_word relies on to stop early, the actor lexicon's added words included."""
    frequencies, _ = _dictionary()
    assert "市场监督管理部门" in frequencies
    assert not [word for word in frequencies if any(word[:size] not in frequencies for size in range(1, len(word)))]


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(["市场", "监督", "管理部门", "应当", "建立健全", "质", "量", "的", "，", "x", "国务院"]),
                     max_size=8).map("".join), stop_after=st.integers(0, 6))
def test_longest_word_is_the_longest_dictionary_word_at_the_cursor(text, stop_after):
    frequencies, _ = _dictionary()
    for cursor in range(len(text)):
        stop = min(len(text), cursor + stop_after)
        sizes = [size for size in range(2, min(LONGEST_WORD, stop - cursor) + 1) if frequencies.get(text[cursor:cursor + size])]
        assert _longest_word(frequencies, text, cursor, stop) == max(sizes, default=1)


NON_NORM = json.loads(resources.files("dutygraph.extract").joinpath("data/markers.json").read_text("utf-8"))["non_norm"]
SENTENCE_PIECES = ["本条例所称", "本法", "是指", "，指", "，是", "应当", "可以", "不得", "依照", "有关法律", "的规定", "执行",
                   "另有规定的，", "从其规定", "坚持", "原则", "包括", "：", "。", "，", "；", "自2025年1月1日起施行",
                   "到2025年", "但", "的除外", "市场监督管理部门", "负责", "视为", "不受", "限制", "为", "x"]


@settings(max_examples=600, deadline=None)
@given(text=st.lists(st.sampled_from(SENTENCE_PIECES), max_size=10).map("".join))
def test_the_non_norm_patterns_split_by_anchor_match_what_one_alternation_of_them_matches(text):
    assert any_of(NON_NORM).search(text) == bool(re.compile("|".join(f"(?:{p})" for p in NON_NORM)).search(text))


def test_only_a_pattern_anchored_as_a_whole_is_tried_at_the_start_alone():
    assert any_of(["^甲", "乙"]).search("丙乙") and not any_of(["^甲", "乙"]).search("丙甲")
    # "^甲|乙" is an alternation: its 乙 may match anywhere, as in one alternation of the list
    assert any_of(["^甲|乙"]).search("丙乙")
    assert not any_of([]).search("甲")
