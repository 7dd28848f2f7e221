"""Parsing a document, extracting its units and building its graph (statements, N-Triples spool,
SHACL check) stream them: top-level provisions, units and statements pass through in parts, no tree
or list of them stands in memory, the checker's index holds a lone object as it is and keeps of
checked parts only classes and parents until a part settles them, and every statement shares one
object per repeated term. Python memory per statement of a larger document, past its text, stays far
below what holding them took (measured here, the tree included: 79 bytes per statement with the tree
parsed whole before extraction, 44 with its top-level provisions passed on as they are read, 26 with
settled nodes forgotten and linking records made smaller; the graph alone once took 247). Nothing of a built document outlives its build: the store loads its graph while the next
document is extracted."""
from __future__ import annotations

import gc
import re
import tracemalloc
from pathlib import Path

from dutygraph.graph import ingest
from dutygraph.model import Document

SEED = Path(__file__).resolve().parents[2] / "samples" / "seeds" / "000_1c62b5ba5ae13ae9.txt"
ARTICLE = re.compile(r"^第[一二三四五六七八九十百]+条")
# Sanctions are left out: one that cites no article is compared with every duty of its document,
# and in a document made of copies every copy's duties match (links, not memory, would grow).
LAST_CHAPTER = "第六章"


def copied_regulation(copies: int) -> str:
    """The seed's articles up to 第六章, `copies` times over, numbered on (第61条: the reader takes
    Arabic numbers as it takes Chinese ones)."""
    lines = SEED.read_text(encoding="utf-8").split(LAST_CHAPTER)[0].splitlines()
    head, body = lines[:2], [line for line in lines[2:] if line.strip() and not line.startswith("第") or ARTICLE.match(line)]
    out, number = list(head), 0
    for _ in range(copies):
        for line in body:
            if ARTICLE.match(line):
                number += 1
                line = ARTICLE.sub(f"第{number}条", line)
            out.append(line)
    return "\n".join(out) + "\n"


def built_peak(folder: Path, copies: int) -> tuple[int, int]:
    """(statements, peak bytes traced while parsing, extracting and building them) for a document of
    `copies` copies, read beforehand: what is measured is past its text."""
    path = folder / f"{copies}_copies.txt"
    path.write_text(copied_regulation(copies), encoding="utf-8")
    source = ingest.read_source(path)
    original, ingest.read_source = ingest.read_source, lambda *_: source
    try:
        tracemalloc.start()
        built = ingest.build_file(ingest.InputFile(path, "checksum", path.stem))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        ingest.read_source = original
    built.discard()
    assert built.error is None, built.error
    return built.triples, peak


def test_a_graph_is_built_without_holding_its_statements(tmp_path):
    built_peak(tmp_path, 1)  # caches (shapes, ontology, actor scheme) filled before measuring
    small, large = built_peak(tmp_path, 10), built_peak(tmp_path, 40)
    assert large[0] > 3 * small[0] > 3 * ingest.SPOOL_LINES
    per_statement = (large[1] - small[1]) / (large[0] - small[0])
    assert per_statement < 35, f"{per_statement:.0f} bytes per statement"


def test_nothing_of_a_built_document_outlives_its_build(tmp_path):
    path = tmp_path / "outlived.txt"
    path.write_text(copied_regulation(2), encoding="utf-8")
    built = ingest.build_file(ingest.InputFile(path, "checksum", path.stem))
    built.discard()
    assert built.error is None, built.error
    gc.collect()
    alive = [o for o in gc.get_objects() if type(o) is Document and o.source.source_file == path.name]
    assert not alive, "the document (its text, tree and sentences) is still held after its build"
