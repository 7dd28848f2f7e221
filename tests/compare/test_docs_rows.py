"""docs/compare.md shows real output: every row of its tables is a row compare gives today."""
from __future__ import annotations

import re

from dutygraph.graph.comparison import compare
from dutygraph.graph.rows import store_rows
from tests.compare.conftest import NEW, OLD
from tests.shared import PROJECT

DOC = (PROJECT / "docs" / "compare.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\| `(\w+)` \| (.*?) \| (.*?) \| ([\d.]+) \|$", re.M)
UNIT = re.compile(r"^(\S+) · (\S+) · (\w+) · 「(.*?)」")


def side(cell: str):
    if cell == "—":
        return None
    section, actor, modality, sentence = UNIT.match(cell).groups()
    return section, None if actor == "（未指明）" else actor, modality, sentence


def shown_rows() -> list[tuple]:
    return [(status, side(a), side(b), float(similarity)) for status, a, b, similarity in ROW.findall(DOC)]


def real_rows(result) -> set[tuple]:
    def key(unit):
        return None if unit is None else (unit["section"], unit["actor"], unit["modality"], unit["sentence"])
    return {(row["status"], key(row["a"]), key(row["b"]), round(row["similarity"], 3)) for row in result["rows"]}


def test_every_row_shown_is_real_output(compare_store):
    seeds = real_rows(compare(store_rows(compare_store), "000_1c62b5ba5ae13ae9", "002_5fcfdeced73421af"))
    laws = real_rows(compare(store_rows(compare_store), OLD, NEW))
    shown = shown_rows()
    assert [row for row in shown if row not in seeds | laws] == []
    assert sum(row in seeds for row in shown) >= 5 and sum(row in laws for row in shown) >= 5
