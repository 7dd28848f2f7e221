"""The full pipeline on the dev seeds meets the unit-F1 bar of issue 3, scored by the real scorer."""
from __future__ import annotations

import importlib.util

from dutygraph.extract.read import read_file
from dutygraph.extract.structure import parse
from dutygraph.extract.units import extract_units
from tests.shared import DATA, SEEDS, shared_path

GOLD = DATA / "gold"
OVERALL_BAR = 0.92
DOCUMENT_BAR = 0.88


def _scorer():
    spec = importlib.util.spec_from_file_location("score", shared_path("eval", "score.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _predicted(stems: list[str]) -> list[dict]:
    rows = []
    for stem in stems:
        document = parse(read_file(SEEDS / f"{stem}.txt"))
        for unit in extract_units(document):
            rows.append({"doc": f"{stem}.txt", "article": unit.article, "actor": unit.actor or "(unspecified)",
                         "modality": unit.modality, "action": unit.action, "object": unit.object})
    return rows


def test_dev_gold_unit_f1_meets_the_bar() -> None:
    scorer = _scorer()
    gold_files = sorted(GOLD.glob("*.jsonl"))
    stems = [path.stem for path in gold_files]
    gold = scorer.load_gold([str(path) for path in gold_files])
    predicted = _predicted(stems)
    overall = scorer.score(gold, predicted)["unit"]["f1"]
    per_document = {
        stem: scorer.score([u for u in gold if u["doc"] == f"{stem}.txt"],
                           [u for u in predicted if u["doc"] == f"{stem}.txt"])["unit"]["f1"]
        for stem in stems
    }
    assert overall >= OVERALL_BAR, f"overall unit F1 {overall:.3f}"
    assert all(f1 >= DOCUMENT_BAR for f1 in per_document.values()), per_document
