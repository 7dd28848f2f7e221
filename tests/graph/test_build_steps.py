"""Building a document takes work in proportion to its size, whatever its shape: four times the
text costs about four times the steps. Steps are Python line events counted with sys.settrace, so
the test is deterministic on a busy machine (no clock). Each shape repeats one drafting pattern
that a large file can hold thousands of times: bare paragraphs (a text without structure), 一、
headings that restart under no parent, articles in one chapter, items under one lead-in, one long
paragraph whose sentences carry their subject, and sanctions that each cite their own article.
Parse is also counted alone, on larger documents, where a quadratic path shows before a build
could afford to: 1,000 bare paragraphs took 9.3 times the steps of 250, and 1,000 restarting
headings 7.0 times (parse counted the root paragraphs again for each new one, and tried path~2,
~3… for each repeat)."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dutygraph.extract.read import read_bytes
from dutygraph.extract.structure import parse
from dutygraph.graph import ids, ingest

# Each shape is given the numbers its copies of the pattern carry: no sentence of one run repeats in
# another, so what extraction caches per sentence (tokens, actor lists) counts in every run alike.
SHAPES: dict[str, Callable[[range], str]] = {
    "bare paragraphs": lambda ns: "\n\n".join(f"企业应当建立第{n}项质量管理制度。" for n in ns),
    "restarting headings": lambda ns: "某某质量规划\n\n" + "\n".join(
        f"{'一二三四五'[n % 5]}、第{n}项任务\n各地应当加强第{n}项质量工作。" for n in ns),
    "articles in one chapter": lambda ns: "某某质量条例\n\n第一章 总则\n\n" + "\n\n".join(
        f"第{i}条 生产者应当对其生产的第{n}类产品质量负责。" for i, n in enumerate(ns, 1)),
    "items under one lead-in": lambda ns: "某某质量条例\n\n第1条 生产者应当遵守下列规定：\n" + "\n".join(
        f"（{i}）建立第{n}项制度；" for i, n in enumerate(ns, 1)),
    "one long paragraph": lambda ns: "某某质量条例\n\n第1条 " + "".join(
        f"生产者应当建立第{n}项制度，并不得伪造第{n}种标志。" for n in ns),
    "one list of actors": lambda ns: "某某质量条例\n\n第1条 " + "、".join(
        f"第{n}市场监督管理部门" for n in ns) + "应当加强监督。",
    "one sentence of many clauses": lambda ns: "某某质量条例\n\n第1条 下列单位应当遵守本条例：" + "；".join(
        f"第{n}类企业" for n in ns) + "。",
    "sanctions citing their article": lambda ns: "某某质量条例\n\n" + "\n\n".join(
        f"第{2 * i - 1}条 生产者不得销售第{n}类不合格产品。\n\n"
        f"第{2 * i}条 违反本条例第{2 * i - 1}条规定的，由市场监督管理部门责令改正，处{n}元罚款。"
        for i, n in enumerate(ns, 1)),
}
SMALL, LARGE = 60, 240  # a traced build of 240 copies takes about a second
PARSE_SMALL, PARSE_LARGE = 250, 1_000
# linear work gives about 4.0 (articles' own numbers grow a digit); the quadratic paths gave 7 to 9
MOST_STEPS_RATIO = 4.5


def steps(run: Callable[[], object]) -> int:
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += event == "line"
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        run()
    finally:
        sys.settrace(previous)
    return count


def build_steps(folder: Path, shape: str, numbers: range) -> int:
    path = folder / f"{shape}-{numbers.start}.txt"
    path.write_text(SHAPES[shape](numbers), encoding="utf-8")

    def build() -> None:
        built = ingest.build_file(ingest.InputFile(path, "checksum", ids.stem_of(path.name)))
        built.discard()
        assert built.error is None, built.error
        assert built.modalities  # the shape was read as norms, not skipped

    return steps(build)


def parse_steps(shape: str, numbers: range) -> int:
    source = read_bytes(SHAPES[shape](numbers).encode("utf-8"), "document.txt")
    return steps(lambda: parse(source))


@pytest.mark.parametrize("shape", SHAPES)
def test_parsing_takes_steps_in_proportion_to_the_text(shape):
    parse_steps(shape, range(10_000, 10_000 + PARSE_SMALL))
    small = parse_steps(shape, range(20_000, 20_000 + PARSE_SMALL))
    ratio = parse_steps(shape, range(30_000, 30_000 + PARSE_LARGE)) / small
    assert ratio < MOST_STEPS_RATIO, f"{shape}: {ratio:.2f} times the steps for {PARSE_LARGE // PARSE_SMALL} times the text"


@pytest.mark.parametrize("shape", SHAPES)
def test_building_takes_steps_in_proportion_to_the_text(tmp_path, shape):
    # lexicons, shapes and jieba's dictionary load once per process, with the first document: not measured
    build_steps(tmp_path, shape, range(10_000, 10_000 + SMALL))
    small = build_steps(tmp_path, shape, range(20_000, 20_000 + SMALL))
    ratio = build_steps(tmp_path, shape, range(30_000, 30_000 + LARGE)) / small
    assert ratio < MOST_STEPS_RATIO, f"{shape}: {ratio:.2f} times the steps for {LARGE // SMALL} times the text"
