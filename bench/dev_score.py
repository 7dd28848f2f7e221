"""Dev-gold figures for the extractor: read_file → parse → extract_units on the seeds, scored with
../shared/eval/score.py (per document), then the missed and spurious units.

    .venv/bin/python bench/dev_score.py [--errors N]
"""
from __future__ import annotations

import argparse
import collections
import importlib.util
from pathlib import Path

from dutygraph.extract.read import read_file
from dutygraph.extract.structure import parse
from dutygraph.extract.units import extract_units

PROJECT = Path(__file__).resolve().parent.parent
SCORER = PROJECT.parent / "shared" / "eval" / "score.py"
GOLD = PROJECT / "tests" / "data" / "gold"
SEEDS = PROJECT / "samples" / "seeds"


def load_scorer():
    spec = importlib.util.spec_from_file_location("score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predict(stem: str) -> list[dict]:
    document = parse(read_file(SEEDS / f"{stem}.txt"))
    return [{"doc": f"{stem}.txt", "article": u.article, "actor": u.actor or "(unspecified)",
             "modality": u.modality, "action": u.action, "object": u.object, "sentence": u.sentence}
            for u in extract_units(document)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--errors", type=int, default=40, help="missed/spurious units to print")
    args = parser.parse_args()
    scorer = load_scorer()
    gold_files = sorted(GOLD.glob("*.jsonl"))
    gold = scorer.load_gold([str(p) for p in gold_files])
    predicted = [row for path in gold_files for row in predict(path.stem)]
    report = {"all": scorer.score(gold, predicted)}
    for path in gold_files:
        doc = f"{path.stem}.txt"
        report[doc] = scorer.score([u for u in gold if u["doc"] == doc], [u for u in predicted if u["doc"] == doc])
    for name, result in report.items():
        unit = result["unit"]
        print(f"{name}: unit F1 {unit['f1']:.3f} (P {unit['precision']:.3f} R {unit['recall']:.3f}, "
              f"{unit['tp']}/{unit['pred']} pred, {unit['gold']} gold) · actor F1 {result['actor']['f1']:.3f} · "
              f"modality F1 {result['modality']['f1']:.3f} · text dice {result['text_dice_mean']:.3f}")

    def key(u):
        return (u["doc"], u["article"], scorer.actor_key(u["actor"]), u["modality"])

    want = collections.Counter(key(u) for u in gold)
    got = collections.Counter(key(u) for u in predicted)
    for title, difference, units in (("missed", want - got, gold), ("spurious", got - want, predicted)):
        sentences = {}
        for unit in units:
            sentences.setdefault(key(unit), unit["sentence"][:70])
        print(f"{title}:")
        for item in list(difference.elements())[:args.errors]:
            print("  ", item, sentences[item])


if __name__ == "__main__":
    main()
