"""Extraction over the whole LawRefBook corpus, against plain jieba.lcut over the same text.

    .venv/bin/python bench/extract_corpus.py [--limit N]

Prints read+parse time (shown apart), extraction time, jieba.lcut time over every document's
text measured in the same run on one core, their ratio, and the units by modality.
"""
from __future__ import annotations

import argparse
import collections
import time
from pathlib import Path

import jieba

from dutygraph.errors import DutygraphError
from dutygraph.extract.read import read_file
from dutygraph.extract.structure import parse
from dutygraph.extract.units import extract_units

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "lawrefbook"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    args = parser.parse_args()
    paths = sorted(CORPUS.rglob("*.md"))[: args.limit or None]
    jieba.initialize()
    read_seconds = extract_seconds = jieba_seconds = 0.0
    characters = 0
    unreadable = 0
    modalities: collections.Counter[str] = collections.Counter()
    for path in paths:
        started = time.perf_counter()
        try:
            document = parse(read_file(path))
        except DutygraphError:  # the reader's verdict, not extraction's
            unreadable += 1
            continue
        parsed = time.perf_counter()
        units = extract_units(document)
        extracted = time.perf_counter()
        jieba.lcut(document.text)
        tokenised = time.perf_counter()
        read_seconds += parsed - started
        extract_seconds += extracted - parsed
        jieba_seconds += tokenised - extracted
        characters += len(document.text)
        modalities.update(unit.modality for unit in units)
    print(f"{len(paths)} documents ({unreadable} rejected by read/parse), {characters:,} characters")
    print(f"read+parse      {read_seconds:8.1f} s")
    print(f"extract_units   {extract_seconds:8.1f} s")
    print(f"jieba.lcut      {jieba_seconds:8.1f} s")
    print(f"extraction / jieba.lcut = {extract_seconds / jieba_seconds:.2f}")
    print(f"units: {sum(modalities.values()):,}")
    for modality, count in modalities.most_common():
        print(f"  {modality:14} {count:8,}")


if __name__ == "__main__":
    main()
