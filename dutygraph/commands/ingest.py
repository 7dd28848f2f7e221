"""`dutygraph ingest PATH... [--store DIR]`: extract obligations and load them, one graph per document."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tqdm import tqdm

from dutygraph.errors import DutygraphError, describe
from dutygraph.graph.ingest import DEFAULT_MAX_BYTES, IngestReport, collect_files, ingest_paths
from dutygraph.graph.store import open_store
from dutygraph.model import MODALITIES


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (read recursively)")
    parser.add_argument("--max-file-mb", type=float, default=None, metavar="MB",
                        help="refuse files larger than this (default: $DUTYGRAPH_MAX_FILE_MB, else "
                             f"{DEFAULT_MAX_BYTES >> 20})")
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT", default=os.environ.get("DUTYGRAPH_SCHEDULER"),
                        help="extract on the workers of this Dask scheduler (default: $DUTYGRAPH_SCHEDULER, "
                             "else local processes)")


def max_bytes(args: argparse.Namespace) -> int:
    megabytes = args.max_file_mb
    if megabytes is None:
        megabytes = float(os.environ.get("DUTYGRAPH_MAX_FILE_MB") or DEFAULT_MAX_BYTES / (1 << 20))
    return int(megabytes * (1 << 20))


def run(args: argparse.Namespace) -> int:
    limit = max_bytes(args)
    # Inputs are checked before the store is opened, so a mistyped path leaves no empty store behind.
    for path in args.paths:
        if not Path(path).exists():
            raise DutygraphError("DG-C002", path)
    collect_files(args.paths)
    store = open_store(args.store)
    try:
        report = ingest_paths(args.paths, store, progress=ProgressBar, max_bytes=limit,
                              scheduler=args.scheduler)
    finally:
        store.close()
    print(summarise(report))
    return 0 if report.ok else 1


class ProgressBar:
    """Bytes of input built, on stderr when it is a terminal, with ingest's step (extracting,
    writing to the store, closing)."""

    def __init__(self, total: int):
        self.bar = tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr,
                        disable=None, leave=False)

    def advance(self, size: int) -> None:
        self.bar.update(size)

    def step(self, name: str) -> None:
        self.bar.set_description_str(name)

    def close(self) -> None:
        self.bar.close()


def summarise(report: IngestReport) -> str:
    lines = [
        f"documents: {len(report.added)} added, {len(report.replaced)} replaced, "
        f"{len(report.skipped)} skipped (unchanged), {len(report.failed)} failed",
        "units: " + ", ".join(f"{modality} {report.units_by_modality[modality]}" for modality in MODALITIES)
        + f" (total {sum(report.units_by_modality.values())})",
        f"triples written: {report.triples}",
    ]
    if report.problems:
        lines.append(f"problems ({len(report.problems)}):")
        lines.extend("  " + describe(problem) for problem in report.problems)
    return "\n".join(lines)
