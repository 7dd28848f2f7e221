"""The whole LawRefBook corpus (slow): every file goes through, and for at least 99.5% of them the
articles found equal the body paragraphs that open with 第…条."""
from __future__ import annotations

import re

import pytest

from dutygraph.errors import DutygraphError
from dutygraph.extract.read import read_file
from dutygraph.extract.structure import parse
from tests.shared import shared_path

ARTICLE_PARAGRAPH = re.compile(r"^第[一二三四五六七八九十百千零〇两\d]+条", re.MULTILINE)
INFO_END = "<!-- INFO END -->"


def count_articles(provisions) -> int:
    return sum((p.kind == "article") + count_articles(p.children) for p in provisions)


@pytest.mark.slow
def test_lawrefbook_articles_match_the_regex_count():
    files = sorted(shared_path("corpus", "lawrefbook").rglob("*.md"))
    assert len(files) >= 3000
    matched, refused = 0, []
    for path in files:
        expected = len(ARTICLE_PARAGRAPH.findall(path.read_text(encoding="utf-8").split(INFO_END, 1)[-1]))
        try:
            found = count_articles(parse(read_file(path)).provisions)
        except DutygraphError as error:
            refused.append(error.code)
            found = 0
        matched += found == expected
    assert matched / len(files) >= 0.995
    assert set(refused) <= {"DG-S001"}
