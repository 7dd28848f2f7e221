"""`compare` end to end: two references → aligned rows → JSON, CSV or a table (CLI and REST alike)."""
from __future__ import annotations

import csv
import io
import json

from dutygraph.errors import DutygraphError
from dutygraph.extract.actors import canonical_actor_name
from dutygraph.graph.compare import STATUSES, Row, align, summary
from dutygraph.graph.instruments import Instrument, load_units, open_reference
from dutygraph.graph.rows import Rows

FORMATS = ("table", "json", "csv")
UNIT_FIELDS = ("actor", "modality", "action", "object", "article", "section", "sentence", "provision", "enforced_by")


def compare(rows: Rows | None, a: str, b: str, *, actor: str | None = None) -> dict:
    """{"a": instrument, "b": instrument, "rows": [...], "summary": {status: count}}."""
    a_rows, a_instrument = open_reference(a, rows)
    b_rows, b_instrument = open_reference(b, rows)
    aligned = align(load_units(a_rows, a_instrument), load_units(b_rows, b_instrument))
    return keep(report(a_instrument, b_instrument, aligned), actor=actor)


def report(a: Instrument, b: Instrument, rows: list[Row]) -> dict:
    return {"a": a.as_dict(), "b": b.as_dict(), "rows": [row.as_dict() for row in rows], "summary": summary(rows)}


def keep(result: dict, *, actor: str | None = None, status: str | None = None) -> dict:
    """Only the rows where either side has `actor` (any written form) and of `status`; the summary
    counts what is kept."""
    if not actor and not status:
        return result
    if status and status not in STATUSES:
        raise DutygraphError("DG-C007", status, ", ".join(STATUSES))
    wanted = {actor.strip(), canonical_actor_name(actor.strip())} if actor else set()
    rows = [row for row in result["rows"]
            if (not actor or any(unit and unit["actor"] in wanted for unit in (row["a"], row["b"])))
            and (not status or row["status"] == status)]
    counts = dict.fromkeys(STATUSES, 0)
    for row in rows:
        counts[row["status"]] += 1
    return {**result, "rows": rows, "summary": counts}


def render(result: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(result, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        return as_csv(result)
    return as_table(result)


def as_csv(result: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["status", "similarity", *(f"{side}_{name}" for side in "ab" for name in UNIT_FIELDS)])
    for row in result["rows"]:
        cells = []
        for side in "ab":
            unit = row[side] or {}
            cells += ["；".join(unit.get(name) or []) if name == "enforced_by" else
                      ("" if unit.get(name) is None else unit.get(name)) for name in UNIT_FIELDS]
        writer.writerow([row["status"], row["similarity"], *cells])
    return out.getvalue()


def as_table(result: dict) -> str:
    lines = [f"A: {result['a']['title']} ({result['a']['id']})", f"B: {result['b']['title']} ({result['b']['id']})", ""]
    for row in result["rows"]:
        a, b = row["a"], row["b"]
        lines.append(f"{row['status']:<16} {_short(a):<60} | {_short(b)}")
    lines.append("")
    lines.append("  ".join(f"{status} {count}" for status, count in result["summary"].items()))
    return "\n".join(lines) + "\n"


def _short(unit: dict | None) -> str:
    if unit is None:
        return "—"
    text = f"{unit['section']} {unit['actor'] or '(unspecified)'} {unit['modality']} {unit['action']}{unit['object']}"
    return text[:40] + "…" if len(text) > 41 else text
