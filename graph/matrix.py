"""The duty matrix (issue 10): units counted by actor × modality, per jurisdiction or per instrument.

One grouped SPARQL count over prov:wasDerivedFrom (every unit points at its instrument), so the
whole-corpus matrix stays one pass over the units (bench/matrix.py times it).
"""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from urllib.parse import quote, urlencode

from dutygraph.extract.actors import canonical_actor_name
from dutygraph.graph.instruments import instrument_id
from dutygraph.graph.rows import Rows
from dutygraph.graph.views import normalise_modality
from dutygraph.model import MODALITIES

BY = ("jurisdiction", "instrument")
FORMATS = ("table", "json", "csv")
COLUMN = {
    "jurisdiction": "?doc dg:jurisdictionName ?column .",
    "instrument": "BIND(?doc AS ?column)",
}
COUNTS = """PREFIX dg: <https://w3id.org/dutygraph/ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?label ?column ?modality (COUNT(DISTINCT ?ob) AS ?count) WHERE {{
  ?ob dg:actor ?actor ; dg:modality ?modality ; prov:wasDerivedFrom ?doc .
  {column}
  ?actor skos:prefLabel ?label . FILTER(langMatches(LANG(?label), "zh-Hans"))
  {filters}
}} GROUP BY ?label ?column ?modality"""


def matrix(rows: Rows, *, by: str = "jurisdiction", actor: str | None = None, modality: str | None = None) -> dict:
    """{"by", "columns", "actors" (most units first), "cells": [{actor, column, modality, count, link}]}."""
    filters = []
    if actor:
        filters.append(f"FILTER(STR(?label) = {json.dumps(canonical_actor_name(actor.strip()), ensure_ascii=False)})")
    if modality:
        filters.append(f"FILTER(?modality = dg:{normalise_modality(modality)})")
    cells = []
    totals: dict[str, int] = defaultdict(int)
    columns: dict[str, int] = defaultdict(int)
    for row in rows(COUNTS.format(column=COLUMN[by], filters="\n  ".join(filters))):
        column = instrument_id(row["column"]) if by == "instrument" else row["column"]
        kind = row["modality"].rsplit("#", 1)[-1]
        count = int(row["count"])
        cells.append({"actor": row["label"], "column": column, "modality": kind, "count": count,
                      "link": units_link(row["label"], by, row["column"], kind)})
        totals[row["label"]] += count
        columns[column] += count
    order = {name: n for n, name in enumerate(MODALITIES)}
    cells.sort(key=lambda cell: (-totals[cell["actor"]], cell["actor"], cell["column"], order.get(cell["modality"], 99)))
    return {"by": by, "columns": sorted(columns), "actors": sorted(totals, key=lambda name: (-totals[name], name)),
            "cells": cells}


def units_link(actor: str, by: str, column: str, modality: str) -> str:
    """The REST lookup of the units a cell counts."""
    return f"/actors/{quote(actor, safe='')}/obligations?" + urlencode({by: column, "modality": modality})


def render(result: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(result, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["actor", result["by"], "modality", "count"])
        writer.writerows([cell["actor"], cell["column"], cell["modality"], cell["count"]] for cell in result["cells"])
        return out.getvalue()
    return table(result)


def table(result: dict) -> str:
    """Actors × columns, each cell the units of all (or the chosen) modalities."""
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for cell in result["cells"]:
        totals[(cell["actor"], cell["column"])] += cell["count"]
    header = ["actor", *result["columns"]]
    lines = ["\t".join(header)]
    lines += ["\t".join([actor, *(str(totals.get((actor, column), "")) for column in result["columns"])])
              for actor in result["actors"]]
    return "\n".join(lines) + "\n"
