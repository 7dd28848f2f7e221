"""compare, tested by mutation: a real seed changed in four known ways (应当 → 可以, an article
deleted, a duty inserted, an actor renamed) and renumbered as a redraft would be; compare must
report exactly those four changes and `same` for every other unit."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from dutygraph.graph.comparison import compare
from dutygraph.graph.ingest import extract

SEED = Path(__file__).parents[2] / "samples" / "seeds" / "001_18aaf2e0bf01b38b.txt"
DIGITS = "零一二三四五六七八九"
ARTICLE_LABEL = re.compile(r"^第[零一二三四五六七八九十百]+条", re.MULTILINE)

SOFTENED = ("县级以上人民政府应当将质量促进工作纳入", "县级以上人民政府可以将质量促进工作纳入")
DELETED = "第二十八条【城市品牌】"
INSERTED = "第十六条【质量追溯平台】  省人民政府市场监督管理部门应当建立统一的产品质量追溯信息平台，向社会公开追溯信息。"
AFTER = "第十六条【质量基础设施服务升级】"
RENAMED = ("省人民政府市场监督管理部门应当履行缺陷消费品召回", "省人民政府商务主管部门应当履行缺陷消费品召回")


def chinese(number: int) -> str:
    tens, ones = divmod(number, 10)
    return ("" if tens == 0 else ("" if tens == 1 else DIGITS[tens]) + "十") + ("" if ones == 0 else DIGITS[ones])


def renumber(text: str) -> str:
    """Articles numbered 1, 2, 3… in order, as a redraft does after deleting and inserting."""
    counter = iter(range(1, 1000))
    return ARTICLE_LABEL.sub(lambda _: f"第{chinese(next(counter))}条", text)


def mutate(text: str) -> str:
    lines = text.split("\n")
    assert all(any(marker in line for line in lines) for marker in (SOFTENED[0], DELETED, AFTER, RENAMED[0]))
    out = []
    for line in lines:
        if line.startswith(DELETED):
            continue
        line = line.replace(*SOFTENED).replace(*RENAMED)
        out.append(line)
        if line.startswith(AFTER):
            out.append(INSERTED)
    return renumber("\n".join(out))


@pytest.fixture(scope="module")
def mutated_result(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mutated")
    original = folder / "original.txt"
    changed = folder / "changed.txt"
    text = SEED.read_text(encoding="utf-8")
    original.write_text(text, encoding="utf-8")
    changed.write_text(mutate(text), encoding="utf-8")
    return compare(None, str(original), str(changed)), original


def test_chinese_numbers_for_renumbering():
    assert [chinese(n) for n in (1, 10, 16, 28, 42)] == ["一", "十", "十六", "二十八", "四十二"]


def test_a_document_compared_with_itself_is_all_same(tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SEED.read_bytes())
    result = compare(None, str(SEED), str(copy))
    assert {row["status"] for row in result["rows"]} == {"same"}
    assert result["summary"]["same"] == len(extract(SEED)[1])


def test_exactly_the_four_mutations_are_reported(mutated_result):
    result, original = mutated_result
    changed = [row for row in result["rows"] if row["status"] != "same"]
    by_status = {status: [row for row in changed if row["status"] == status] for status in {r["status"] for r in changed}}
    assert set(by_status) == {"modality_changed", "only_in_a", "only_in_b", "actor_changed"}

    [softened] = by_status["modality_changed"]
    assert SOFTENED[0] in softened["a"]["sentence"] and SOFTENED[1] in softened["b"]["sentence"]
    assert (softened["a"]["modality"], softened["b"]["modality"]) == ("Duty", "Permission")

    deleted_units = [unit for unit in extract(original)[1] if unit.article == 28]
    assert deleted_units
    assert sorted(row["a"]["sentence"] for row in by_status["only_in_a"]) == sorted(u.sentence for u in deleted_units)

    [inserted] = by_status["only_in_b"]
    assert inserted["b"]["sentence"] in INSERTED and inserted["b"]["article"] == 17

    [renamed] = by_status["actor_changed"]
    assert (renamed["a"]["actor"], renamed["b"]["actor"]) == ("市场监督管理部门", "商务部门")
    assert renamed["a"]["article"] == 37 and renamed["b"]["article"] == 37  # -1 deleted, +1 inserted before it


def test_renumbered_units_are_same_with_both_articles(mutated_result):
    result, _ = mutated_result
    moved = [row for row in result["rows"] if row["status"] == "same" and row["a"]["article"] != row["b"]["article"]]
    assert moved, "articles after the insertion and the deletion are renumbered"
    assert all(row["a"]["sentence"] == row["b"]["sentence"] for row in moved)
    assert all(row["similarity"] == 1.0 for row in moved)
