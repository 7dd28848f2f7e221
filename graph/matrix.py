"""The duty matrix (issue 10): units counted by actor × modality, per jurisdiction or per instrument.

Counting 400 000 units on every request takes tens of seconds on a whole corpus, so each ingest
keeps a summary: every instrument's counts by actor and modality (dg:unitCounts, one JSON literal in
the graph …/graph/unit-counts, an instrument recounted only when its checksum changed). The matrix
reads that one value and adds up; without it (a store no ingest wrote) it counts live.
bench/matrix.py times both against a plain SPARQL count.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from urllib.parse import quote

import pyoxigraph as ox

from dutygraph.extract.actors import canonical_actor_name
from dutygraph.graph.ids import ID, NS
from dutygraph.graph.instruments import instrument_id
from dutygraph.graph.rows import Rows
from dutygraph.graph.views import normalise_modality
from dutygraph.model import MODALITIES

SUMMARY_GRAPH = ID + "graph/unit-counts"
UNIT_COUNTS = NS + "unitCounts"
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
INSTRUMENT_CHECKSUMS = """PREFIX dg: <https://w3id.org/dutygraph/ns#>
SELECT ?g ?checksum ?jurisdiction WHERE { GRAPH ?g { ?g a dg:Instrument ; dg:checksum ?checksum .
  OPTIONAL { ?g dg:jurisdictionName ?jurisdiction } } }"""
INSTRUMENT_COUNTS = """PREFIX dg: <https://w3id.org/dutygraph/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?label ?modality (COUNT(DISTINCT ?ob) AS ?count) WHERE {{
  GRAPH <{graph}> {{ ?ob dg:actor ?actor ; dg:modality ?modality }}
  ?actor skos:prefLabel ?label . FILTER(langMatches(LANG(?label), "zh-Hans"))
}} GROUP BY ?label ?modality"""


def matrix(rows: Rows, *, by: str = "jurisdiction", actor: str | None = None, modality: str | None = None) -> dict:
    """{"by", "columns", "actors" (most units first), "cells": [{actor, column, modality, count, link}]}."""
    wanted_actor = canonical_actor_name(actor.strip()) if actor else None
    wanted_modality = normalise_modality(modality) if modality else None
    counted: dict[tuple[str, str, str], int] = defaultdict(int)
    for label, column, kind, count in counts(rows, by):
        if (wanted_actor is None or label == wanted_actor) and (wanted_modality is None or kind == wanted_modality):
            counted[(label, column, kind)] += count
    cells = []
    totals: dict[str, int] = defaultdict(int)
    columns: dict[str, int] = defaultdict(int)
    shown_as = {column: instrument_id(column) if by == "instrument" else column for column in {key[1] for key in counted}}
    for (label, column, kind), count in counted.items():
        shown = shown_as[column]
        cells.append({"actor": label, "column": shown, "modality": kind, "count": count,
                      "link": units_link(label, by, column, kind)})
        totals[label] += count
        columns[shown] += count
    order = {name: n for n, name in enumerate(MODALITIES)}
    cells.sort(key=lambda cell: (-totals[cell["actor"]], cell["actor"], cell["column"], order.get(cell["modality"], 99)))
    return {"by": by, "columns": sorted(columns), "actors": sorted(totals, key=lambda name: (-totals[name], name)),
            "cells": cells}


def counts(rows: Rows, by: str) -> Iterator[tuple[str, str, str, int]]:
    """(actor label, column, modality, units): from the summary when an ingest wrote one, else live."""
    summary = read_summary(rows)
    if summary is None:
        for row in rows(COUNTS.format(column=COLUMN[by], filters="")):
            yield row["label"], row["column"], row["modality"].rsplit("#", 1)[-1], int(row["count"])
        return
    for iri, entry in summary.items():
        column = iri if by == "instrument" else entry["jurisdiction"]
        if column:
            for label, kind, count in entry["counts"]:
                yield label, column, kind, count


def read_summary(rows: Rows) -> dict | None:
    found = rows(f"SELECT ?counts WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ <{SUMMARY_GRAPH}> <{UNIT_COUNTS}> ?counts }} }}")
    return json.loads(found[0]["counts"]) if found else None


def refresh_summary(store, rows: Rows) -> int:
    """Rewrite the unit-counts summary for the instruments the store holds now; recounts only the
    instruments new or changed since the last summary. The number recounted."""
    previous = read_summary(rows) or {}
    summary = {}
    recounted = 0
    for row in rows(INSTRUMENT_CHECKSUMS):
        iri, checksum = row["g"], row["checksum"]
        if previous.get(iri, {}).get("checksum") == checksum:
            summary[iri] = previous[iri]
            continue
        recounted += 1
        summary[iri] = {"checksum": checksum, "jurisdiction": row.get("jurisdiction", ""),
                        "counts": sorted([r["label"], r["modality"].rsplit("#", 1)[-1], int(r["count"])]
                                         for r in rows(INSTRUMENT_COUNTS.format(graph=iri)))}
    if summary == previous and previous:
        return 0
    text = json.dumps(summary, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    quad = ox.Quad(ox.NamedNode(SUMMARY_GRAPH), ox.NamedNode(UNIT_COUNTS), ox.Literal(text), ox.NamedNode(SUMMARY_GRAPH))
    store.replace_graph(SUMMARY_GRAPH, [quad], hashlib.sha256(text.encode("utf-8")).hexdigest())
    return recounted


def units_link(actor: str, by: str, column: str, modality: str) -> str:
    """The REST lookup of the units a cell counts (tens of thousands per matrix: quoting is cached)."""
    return f"/actors/{_quoted(actor)}/obligations?{by}={_quoted(column)}&modality={modality}"


@cache
def _quoted(text: str) -> str:
    return quote(text, safe="")


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
