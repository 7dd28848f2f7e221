"""The parts extraction is built from: markers, actor lists, citations of enforced articles."""
from __future__ import annotations

from dataclasses import replace

import pytest

from dutygraph.errors import DutygraphError
from dutygraph.extract.clauses import find_markers, find_subject
from dutygraph.extract.mentions import parse_actor_list
from dutygraph.extract.read import read_file
from dutygraph.extract.sanctions import chinese_number, enforced_articles
from dutygraph.extract.structure import parse
from dutygraph.extract.units import extract_units
from tests.shared import DATA


@pytest.mark.parametrize(("written", "number"), [("四十二", 42), ("十", 10), ("一百零五", 105), ("二十", 20), ("7", 7)])
def test_chinese_article_numbers(written: str, number: int) -> None:
    assert chinese_number(written) == number


def test_enforced_articles_expand_ranges_and_lists() -> None:
    assert enforced_articles("违反本条例第十条、第十二条规定的，责令改正") == (10, 12)
    assert enforced_articles("违反本法第四十九条至第五十一条规定的，处罚款") == (49, 50, 51)
    assert enforced_articles("违反本条例第二十一条第二款的规定，处罚款") == (21,)
    assert enforced_articles("依照本法第五章的有关规定处罚") == ()


def test_modal_markers_ignore_words_that_merely_contain_them() -> None:
    assert [m.modality for m in find_markers("各级政府要加强重要产品的监管")] == ["Duty"]
    assert find_markers("提高主要产品的可靠性和可追溯性") == ()
    assert find_markers("执行《产品应当标注的事项》的规定") == ()


def test_support_as_a_noun_is_no_marker() -> None:
    assert find_markers("落实人才的支持政策") == ()


def test_level_prefix_is_split_and_shared_by_a_list() -> None:
    mentions, _ = parse_actor_list("市质量技术监督部门、工商行政管理部门应当", 0)
    assert [(m.actor, m.level) for m in mentions] == [("质量技术监督部门", "市"), ("工商行政管理部门", "市")]


def test_department_stems_take_the_head_of_their_list() -> None:
    mentions, end = parse_actor_list("发展改革、水行政、市场监管等有关部门应当", 0)
    assert [m.actor for m in mentions] == ["发展和改革部门", "水利部门", "市场监督管理部门"]
    assert end == len("发展改革、水行政、市场监管等有关部门")


def test_a_verb_phrase_is_not_an_actor() -> None:
    assert parse_actor_list("建立健全企业首席质量官制度", 0) == ((), 0)
    assert parse_actor_list("知识产权保护", 0) == ((), 0)


def test_preposition_phrase_is_not_a_subject() -> None:
    text = "对作出显著成绩的单位和个人要给予表彰"
    assert find_subject(text, text.index("要")).absent


def test_misaligned_simplified_view_is_a_coded_error() -> None:
    document = parse(read_file(DATA / "cases" / "levels.txt"))
    broken = replace(document, source=replace(document.source, simplified=document.simplified[:-1]))
    with pytest.raises(DutygraphError) as raised:
        extract_units(broken)
    assert raised.value.code == "DG-X001"
