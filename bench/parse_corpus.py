"""Parse the whole LawRefBook corpus; print chars/s, the ratio to a baseline (plain file reading
plus one regex article split) measured in the same run, and the article-count agreement.

    .venv/bin/python bench/parse_corpus.py [CORPUS_DIR]
"""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from dutygraph.errors import DutygraphError
from dutygraph.extract.read import read_file
from dutygraph.extract.structure import parse

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "lawrefbook"
ARTICLE_PARAGRAPH = re.compile(r"^第[一二三四五六七八九十百千零〇两\d]+条", re.MULTILINE)
INFO_END = "<!-- INFO END -->"


def count_articles(provisions) -> int:
    return sum((p.kind == "article") + count_articles(p.children) for p in provisions)


def baseline(files: list[Path]) -> tuple[float, int, list[int]]:
    """Seconds to read every file and split it at article openings; characters; expected counts."""
    started, chars, expected = time.perf_counter(), 0, []
    for path in files:
        text = path.read_text(encoding="utf-8")
        chars += len(text)
        expected.append(len(ARTICLE_PARAGRAPH.split(text.split(INFO_END, 1)[-1])) - 1)
    return time.perf_counter() - started, chars, expected


def parse_all(files: list[Path]) -> tuple[float, list[int], dict[str, int]]:
    started, found, refused = time.perf_counter(), [], {}
    for path in files:
        try:
            found.append(count_articles(parse(read_file(path)).provisions))
        except DutygraphError as error:
            refused[error.code] = refused.get(error.code, 0) + 1
            found.append(0)
    return time.perf_counter() - started, found, refused


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS
    files = sorted(corpus.rglob("*.md"))
    if not files:
        print(f"no .md files under {corpus}")
        return 1
    parse(read_file(files[0]))  # load OpenCC and the layout data outside the timing
    base_seconds, chars, expected = baseline(files)
    parse_seconds, found, refused = parse_all(files)
    agree = sum(a == b for a, b in zip(found, expected, strict=True))
    print(f"files: {len(files)}, characters: {chars:,}")
    print(f"baseline (read + regex split): {base_seconds:.2f} s, {chars / base_seconds:,.0f} chars/s")
    print(f"read_file + parse:             {parse_seconds:.2f} s, {chars / parse_seconds:,.0f} chars/s")
    print(f"ratio parse / baseline: {parse_seconds / base_seconds:.1f}x slower")
    print(f"articles equal to the regex count: {agree}/{len(files)} = {agree / len(files):.2%} (target ≥ 99.5%)")
    print(f"coded refusals: {refused or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
