"""Dev-gold figures for the extractor: read_file → parse → extract_units on every document of the dev
set (tests/data/gold/dev; inputs: the seeds and tests/data/gold/inputs), scored with the bundled
scorer (per document), then the missed and spurious units.

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
SCORER = PROJECT / "tests" / "data" / "eval" / "score.py"
GOLD = PROJECT / "tests" / "data" / "gold" / "dev"
INPUTS = PROJECT / "tests" / "data" / "gold" / "inputs"
OVERALL_BAR = 0.95
DOCUMENT_BAR = 0.90
SEEDS = PROJECT / "samples" / "seeds"


def load_scorer():
    spec = importlib.util.spec_from_file_location("score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predict(name: str) -> list[dict]:
    path = INPUTS / name if (INPUTS / name).exists() else SEEDS / name
    document = parse(read_file(path))
    return [{"doc": name, "article": u.article, "actor": u.actor or "(unspecified)",
             "modality": u.modality, "action": u.action, "object": u.object, "sentence": u.sentence}
            for u in extract_units(document)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--errors", type=int, default=40, help="missed/spurious units to print")
    args = parser.parse_args()
    scorer = load_scorer()
    gold_files = sorted(GOLD.glob("*.jsonl"))
    gold = scorer.load_gold([str(p) for p in gold_files])
    documents = sorted({unit["doc"] for unit in gold})
    predicted = [row for name in documents for row in predict(name)]
    report = {"all": scorer.score(gold, predicted)}
    for doc in documents:
        report[doc] = scorer.score([u for u in gold if u["doc"] == doc], [u for u in predicted if u["doc"] == doc])
    for name, result in report.items():
        unit = result["unit"]
        print(f"{name}: unit F1 {unit['f1']:.3f} (P {unit['precision']:.3f} R {unit['recall']:.3f}, "
              f"{unit['tp']}/{unit['pred']} pred, {unit['gold']} gold) · actor F1 {result['actor']['f1']:.3f} · "
              f"modality F1 {result['modality']['f1']:.3f} · text dice {result['text_dice_mean']:.3f}")

    below = [name for name, result in report.items() if name != "all" and result["unit"]["f1"] < DOCUMENT_BAR]
    print(f"issue 9's bar: overall {report['all']['unit']['f1']:.3f} (bar {OVERALL_BAR}); "
          f"{len(below)} document(s) below {DOCUMENT_BAR}: {', '.join(below) or 'none'}")

    def key(u):
        return (u["doc"], u.get("article"), scorer.actor_key(u["actor"]), u["modality"])

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
