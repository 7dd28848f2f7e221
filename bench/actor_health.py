"""Label-free health figures of extraction over the LawRefBook corpus (no gold needed).

    .venv/bin/python bench/actor_health.py [--limit N] [--every K] [--workers W] [--top 30]

Prints, over every unit extracted:
- the share whose actor names nobody: a bare generic head or a department name cut off from its
  function (extract/data/generic_heads.json: 单位, 部门, 机关, 行政主管部门…);
- the share of (unspecified) actors, and the number of distinct actors;
- the share of sentences holding a modal marker (应当/必须/不得/禁止/严禁/可以) that yield no unit;
- the most frequent actors the actor scheme does not know, so the next reader sees what is missing.
"""
from __future__ import annotations

import argparse
import collections
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "lawrefbook"
MODAL_WORDS = re.compile("应当|必须|不得|禁止|严禁|可以")


def measure(path: Path) -> dict:
    from dutygraph.errors import DutygraphError
    from dutygraph.extract.actors import load_actor_scheme
    from dutygraph.extract.markers import load_markers
    from dutygraph.extract.read import read_file
    from dutygraph.extract.sentences import split_sentences
    from dutygraph.extract.structure import parse
    from dutygraph.extract.units import extract_units

    try:
        document = parse(read_file(path))
    except DutygraphError:
        return {"rejected": 1}
    units = extract_units(document)
    scheme = load_actor_scheme()
    heads = load_markers().generic_heads
    covered = {(unit.sentence_span.start, unit.sentence_span.end) for unit in units}
    marked = silent = 0
    for sentence in split_sentences(document):
        if MODAL_WORDS.search(document.simplified, sentence.body, sentence.end):
            marked += 1
            silent += (sentence.start, sentence.end) not in covered
    actors = collections.Counter(unit.actor for unit in units)
    return {
        "documents": 1,
        "units": len(units),
        "bare": sum(count for actor, count in actors.items() if actor in heads),
        "bare_names": dict(collections.Counter({a: c for a, c in actors.items() if a in heads})),
        "unspecified": actors.get(None, 0),
        "actors": {a: c for a, c in actors.items() if a is not None},
        "unknown": {a: c for a, c in actors.items() if a is not None and scheme.concept_for(a) is None},
        "marked": marked,
        "silent": silent,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    parser.add_argument("--every", type=int, default=1, help="every K-th document (a quick sample)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--top", type=int, default=30, help="unknown actors to list")
    args = parser.parse_args()
    paths = sorted(CORPUS.rglob("*.md"))[:: args.every][: args.limit or None]
    totals: collections.Counter = collections.Counter()
    actors: collections.Counter = collections.Counter()
    unknown: collections.Counter = collections.Counter()
    bare: collections.Counter = collections.Counter()
    with ProcessPoolExecutor(args.workers) as pool:
        for result in pool.map(measure, paths, chunksize=8):
            actors.update(result.pop("actors", {}))
            unknown.update(result.pop("unknown", {}))
            bare.update(result.pop("bare_names", {}))
            totals.update(result)
    units = max(totals["units"], 1)
    print(f"{totals['documents']:,} documents ({totals['rejected']} rejected by read/parse), {totals['units']:,} units")
    print(f"bare or cut-off actors   {totals['bare'] / units:7.2%}  ({totals['bare']:,})  "
          + ", ".join(f"{name} {count}" for name, count in bare.most_common(10)))
    print(f"(unspecified) actors     {totals['unspecified'] / units:7.2%}  ({totals['unspecified']:,})")
    print(f"distinct actors          {len(actors):,}")
    print(f"marked sentences silent  {totals['silent'] / max(totals['marked'], 1):7.2%}  "
          f"({totals['silent']:,} of {totals['marked']:,} with 应当/必须/不得/禁止/严禁/可以)")
    print(f"actors the scheme lacks, {args.top} most frequent:")
    for name, count in unknown.most_common(args.top):
        print(f"  {count:7,}  {name}")


if __name__ == "__main__":
    main()
