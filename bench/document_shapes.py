"""Build time of large documents of one drafting shape each, against jieba over the same text.

    .venv/bin/python bench/document_shapes.py [--sizes 2000 8000] [--shape NAME ...]

The shapes are tests/graph/test_build_steps.py's (bare paragraphs, restarting headings, one list of
actors, one sentence of many clauses, …), at sizes that test cannot trace. For each size it prints
the build's CPU seconds (read, parse, extract, RDF, SHACL, spool: graph/ingest.py build_file) and
their ratio to one jieba.lcut pass over the same text, timed right after it. A ratio that grows with
the size is work that grows faster than the text: that test counts Python steps, this bench also
sees scans inside C (str.find, slicing) that steps do not.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import jieba

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from dutygraph.graph import ids, ingest  # noqa: E402
from tests.graph.test_build_steps import SHAPES  # noqa: E402  (one list of shapes for the test and the bench)


def cpu(run) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def build(path: Path) -> None:
    built = ingest.build_file(ingest.InputFile(path, "checksum", ids.stem_of(path.name)))
    built.discard()
    if built.error is not None:
        raise SystemExit(f"{path.name}: {built.error.code} {built.error.detail}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 8_000])
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES), help="default: every shape")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="dutygraph-shapes-"))
    warm = folder / "warm.txt"
    warm.write_text(SHAPES["articles in one chapter"](range(5)), encoding="utf-8")
    build(warm)  # lexicons, shapes and jieba's dictionary: start-up, not per-document work
    print(f"{'shape':32} " + " ".join(f"{f'{size} copies':>26}" for size in args.sizes)
          + "   growth of the ratio")
    for shape in args.shape or SHAPES:
        ratios, cells = [], []
        for index, size in enumerate(args.sizes):
            path = folder / f"{index}.txt"
            text = SHAPES[shape](range(100_000 * (index + 1), 100_000 * (index + 1) + size))
            path.write_text(text, encoding="utf-8")
            seconds = cpu(lambda path=path: build(path))
            baseline = cpu(lambda text=text: jieba.lcut(text))
            ratios.append(seconds / baseline)
            cells.append(f"{seconds:7.2f} s = {ratios[-1]:6.2f}x jieba")
        print(f"{shape:32} " + " ".join(f"{cell:>26}" for cell in cells) + f"   {ratios[-1] / ratios[0]:5.2f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
