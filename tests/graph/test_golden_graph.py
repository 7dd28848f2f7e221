"""What ingest builds from the seeds and the dev-gold inputs (units, quads, SHACL findings), as
recorded in tests/data/golden/graphs.json: speed work must leave every document's output identical.

The graphs are ground (no blank nodes), so equal quad sets are isomorphic graphs; each document's
units, quads and findings are recorded as SHA-256 digests of their sorted N-Quads / reprs. A change
meant to alter the output (the grammar, the graph's shape) records them anew:

    DUTYGRAPH_RECORD_GOLDEN=1 .venv/bin/python -m pytest tests/graph/test_golden_graph.py
"""
from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest

from dutygraph.graph.incremental import document_violations
from dutygraph.graph.ingest import extract, plan_inputs
from dutygraph.graph.rdf import build_graph
from tests.shared import DATA, SEEDS

GOLDEN = DATA / "golden" / "graphs.json"
INPUTS = sorted(SEEDS.iterdir()) + sorted((DATA / "gold" / "inputs").iterdir())


def key(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"  # a seed and a dev-gold input share a name


def digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def fingerprint(path: Path) -> dict[str, str]:
    item = next(item for item in plan_inputs(INPUTS) if item.path == path)
    document, units = extract(path)
    quads = build_graph(document, units, stem=item.stem)
    assert not any(isinstance(term, ox.BlankNode) for quad in quads for term in (quad.subject, quad.object))
    nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8")
    return {"units": digest([repr(unit) for unit in units]),
            "quads": digest(sorted(nquads.splitlines())),
            "violations": digest([repr(violation) for violation in document_violations(quads)])}


@cache
def recorded() -> dict[str, dict[str, str]]:
    if os.environ.get("DUTYGRAPH_RECORD_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps({key(path): fingerprint(path) for path in INPUTS}, ensure_ascii=False, indent=1)
                          + "\n", encoding="utf-8")
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", INPUTS, ids=[key(path) for path in INPUTS])
def test_document_output_is_as_recorded(path: Path):
    assert fingerprint(path) == recorded()[key(path)]


def test_every_recorded_document_is_checked():
    assert sorted(recorded()) == sorted(map(key, INPUTS))
