"""Every LawRefBook document goes through extraction without an exception (slow: the whole corpus)."""
from __future__ import annotations

import pytest

from dutygraph.extract.read import read_file
from dutygraph.extract.structure import parse
from dutygraph.extract.units import extract_units
from dutygraph.model import MODALITIES
from tests.shared import shared_path


@pytest.mark.slow
def test_every_lawrefbook_document_is_extracted_without_an_exception() -> None:
    corpus = shared_path("corpus", "lawrefbook")
    failures = []
    units = 0
    for path in sorted(corpus.rglob("*.md")):
        try:
            document = parse(read_file(path))
        except Exception:  # the reader's own errors are not this test's business
            continue
        try:
            extracted = extract_units(document)
        except Exception as error:  # noqa: BLE001 - collect them all, report at the end
            failures.append(f"{path.name}: {type(error).__name__}: {error}")
            continue
        assert all(unit.modality in MODALITIES for unit in extracted)
        assert all(document.text[unit.sentence_span.start:unit.sentence_span.end] == unit.sentence
                   for unit in extracted)
        units += len(extracted)
    assert not failures, failures[:20]
    assert units > 0
