"""Golden cases: one mini regulation per phenomenon (tests/data/cases/<phenomenon>.txt) with the
units it must yield beside it (<phenomenon>.jsonl), compared as multisets on the keys written there."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from dutygraph.extract.read import read_file
from dutygraph.extract.structure import parse
from dutygraph.extract.units import extract_units
from dutygraph.model import Unit

CASES = Path(__file__).resolve().parents[1] / "data" / "cases"
LIST_FIELDS = ("co_actors", "enforces")


def _expected(case: str) -> list[dict]:
    lines = (CASES / f"{case}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _project(unit: Unit | dict, keys: tuple[str, ...]) -> tuple:
    values = []
    for key in keys:
        value = getattr(unit, key) if isinstance(unit, Unit) else unit.get(key)
        values.append(tuple(value or ()) if key in LIST_FIELDS else value)
    return tuple(values)


@pytest.mark.parametrize("case", sorted(path.stem for path in CASES.glob("*.txt")))
def test_case_yields_its_expected_units(case: str) -> None:
    expected = _expected(case)
    keys = tuple(sorted({key for unit in expected for key in unit})) or ("article", "actor", "modality")
    units = extract_units(parse(read_file(CASES / f"{case}.txt")))
    got = Counter(_project(unit, keys) for unit in units)
    want = Counter(_project(unit, keys) for unit in expected)
    assert got == want, f"{case}: missing {list((want - got).elements())}, extra {list((got - want).elements())}"
