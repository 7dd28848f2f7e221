"""Peak memory of `dutygraph ingest` on one document of growing size, against the smallest one.

    .venv/bin/python bench/ingest_memory.py [--sizes 3 6 12] [--law FILE] [--compilation]

Each document repeats the articles of one real law (chapters 1-4 of 产品质量法 by default, its
罚则 left out: a sanction citing no article is matched with every duty of its numbering run, and in
one run of copies every copy's duties match), renumbered, 48 articles to a chapter. With
`--compilation` it is instead the bodies of distinct corpus laws one after the other, each with its
own numbering and its own 罚则 (a shuffled corpus, seed 3): what a user's compilation of laws is.
Each size is ingested into a fresh store by `dutygraph ingest` in a child process, whose peak RSS
(ru_maxrss from wait4) is printed, with the MB of RSS per MB of input above the smallest size.
Memory that grew with a chapter and not with the document would show ≈ 0 MB per MB there.
Sizes from 3 MB: a document under ≈ 2.5 MB (under LARGE_DOCUMENT_BYTES of N-Triples) is written in
transactions, whose memtables hold ≈ 0.9 KB a quad until the store closes, so 1 MB peaks higher than
2 MB (355 against 252 MB) and a smaller size is no baseline for the growth.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_LAW = (Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "lawrefbook" / "经济法"
               / "产品质量法(2018-12-29).md")
INFO_END = "<!-- INFO END -->"
ARTICLE = re.compile(r"\n(?=第[一二三四五六七八九十百]+条)")
CHAPTER = 48


def articles(law: Path) -> tuple[str, list[str]]:
    """The law's front matter and its article bodies up to the 罚则 chapter."""
    head, body = law.read_text(encoding="utf-8").split(INFO_END)
    found = []
    for part in ARTICLE.split(body):
        if part.startswith("第"):
            found.append(re.sub(r"^第[一二三四五六七八九十百]+条", "", part).split("\n\n## ")[0].strip())
    return head, found[:CHAPTER]


def synthetic(head: str, bodies: list[str], megabytes: float) -> str:
    lines = [head, INFO_END]
    size, number = 0, 0
    while size < megabytes * 1e6:
        if number % CHAPTER == 0:
            lines.append(f"## 第{number // CHAPTER + 1}章 总则")
        lines.append(f"第{number + 1}条 {bodies[number % len(bodies)]}")
        size += len(lines[-1].encode()) + 2
        number += 1
    return "\n\n".join(lines) + "\n"


def compilation(corpus: Path, megabytes: float) -> str:
    laws = sorted(corpus.rglob("*.md"))
    random.Random(3).shuffle(laws)
    bodies, size = [], 0
    for law in laws:
        bodies.append(law.read_text(encoding="utf-8").split(INFO_END)[-1])
        size += len(bodies[-1].encode())
        if size > megabytes * 1e6:
            break
    return f"# 汇编\n\n{INFO_END}\n" + "\n\n".join(bodies)


def peak_rss_mb(document: Path, store: Path) -> tuple[float, float]:
    """Peak RSS (MB) and seconds of one `dutygraph ingest` child."""
    command = [sys.executable, "-m", "dutygraph", "ingest", str(document), "--store", str(store),
               "--max-file-mb", str(document.stat().st_size / 1e6 + 1)]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"ingest of {document.name} failed")
    return usage.ru_maxrss / 1024, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=float, nargs="+", default=[3, 6, 12], help="document sizes in MB")
    parser.add_argument("--law", type=Path, default=DEFAULT_LAW)
    parser.add_argument("--compilation", action="store_true", help="distinct corpus laws one after the other")
    args = parser.parse_args()
    if not args.law.exists():
        print(f"law not found: {args.law}", file=sys.stderr)
        return 2
    head, bodies = articles(args.law)
    base = None
    with tempfile.TemporaryDirectory(prefix="dutygraph-memory-") as folder:
        for megabytes in sorted(args.sizes):
            document = Path(folder) / f"synthetic-{megabytes:g}mb.md"
            text = compilation(args.law.parent.parent, megabytes) if args.compilation else \
                synthetic(head, bodies, megabytes)
            document.write_text(text, encoding="utf-8")
            size = document.stat().st_size / 1e6
            peak, seconds = peak_rss_mb(document, Path(folder) / f"store-{megabytes:g}")
            base = base or (size, peak)
            per_mb = (peak - base[1]) / (size - base[0]) if size > base[0] else float("nan")
            print(f"{size:6.2f} MB input: peak RSS {peak:7.0f} MB, {peak / size:6.0f} MB per MB, "
                  f"{per_mb:6.0f} MB per MB above the smallest · {seconds:5.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
