"""An instrument named by id, IRI, title or file name, and its units as compare and matrix read them.

A path to a file is read and extracted on the fly into a store of its own (nothing is ingested),
so a draft can be compared against the store before it is loaded.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph as ox

from dutygraph.errors import DutygraphError
from dutygraph.graph.compare import ComparedUnit
from dutygraph.graph.ids import ID
from dutygraph.graph.rows import Rows, store_rows

DOC_PREFIX = ID + "doc/"
PREFIXES = """PREFIX dg: <https://w3id.org/dutygraph/ns#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
INSTRUMENTS = PREFIXES + """SELECT ?instrument ?title ?simplified ?file ?jurisdiction ?date ?status WHERE {
  ?instrument a dg:Instrument .
  OPTIONAL { ?instrument dcterms:title ?title FILTER(LANG(?title) = "") }
  OPTIONAL { ?instrument dcterms:title ?simplified FILTER(langMatches(LANG(?simplified), "zh-Hans")) }
  OPTIONAL { ?instrument dg:sourceFile ?file }
  OPTIONAL { ?instrument dg:jurisdictionName ?jurisdiction }
  OPTIONAL { ?instrument dg:status ?status }
  OPTIONAL { ?instrument eli:date_publication ?published }
  OPTIONAL { ?instrument eli:date_document ?passed }
  BIND(COALESCE(?published, ?passed) AS ?date)
}"""
UNITS = PREFIXES + """SELECT ?ob ?modality ?actor ?action ?object ?sentence ?authority ?section ?article ?label ?level
WHERE {{
  ?ob dg:authority ?authority ; dg:modality ?modality ; dg:sentence ?sentence ;
      prov:wasDerivedFrom <{iri}> .
  OPTIONAL {{ ?ob dg:action ?action }}
  OPTIONAL {{ ?ob dg:object ?object }}
  OPTIONAL {{ ?ob dg:sectionPath ?section }}
  OPTIONAL {{ ?ob dg:actor/skos:prefLabel ?actor FILTER(langMatches(LANG(?actor), "zh-Hans")) }}
  OPTIONAL {{ ?authority eli:is_part_of* ?art . ?art dg:articleNumber ?article }}
  OPTIONAL {{ ?authority dg:provisionLabel ?label }}
}}"""
ENFORCED = PREFIXES + """SELECT ?ob ?sanction ?article ?penalty WHERE {{
  ?sanction dg:enforcesObligation ?ob ; dg:authority ?authority .
  ?ob prov:wasDerivedFrom <{iri}> .
  OPTIONAL {{ ?authority eli:is_part_of* ?art . ?art dg:articleNumber ?article }}
  OPTIONAL {{ ?sanction dg:penalty ?penalty }}
}}"""


@dataclass(frozen=True)
class Instrument:
    iri: str
    id: str  # the IRI's last segment, decoded: what people type and links carry
    title: str
    source_file: str = ""
    jurisdiction: str = ""
    date: str = ""
    status: str = ""

    def as_dict(self) -> dict:
        return {"id": self.id, "iri": self.iri, "title": self.title, "source_file": self.source_file,
                "jurisdiction": self.jurisdiction, "date": self.date, "status": self.status}


def instrument_id(iri: str) -> str:
    return unquote(iri[len(DOC_PREFIX):]) if iri.startswith(DOC_PREFIX) else iri


def instruments(rows: Rows) -> list[Instrument]:
    found: dict[str, Instrument] = {}
    for row in rows(INSTRUMENTS):
        iri = row["instrument"]
        found.setdefault(iri, Instrument(iri, instrument_id(iri), row.get("title", row.get("simplified", "")),
                                         row.get("file", ""), row.get("jurisdiction", ""), row.get("date", ""),
                                         row.get("status", "")))
    return sorted(found.values(), key=lambda item: item.id)


def resolve(rows: Rows, reference: str) -> Instrument:
    """The one instrument whose id, IRI, source file or title is `reference`."""
    known = instruments(rows)
    for fields in (lambda i: (i.iri, i.id), lambda i: (i.source_file, Path(i.source_file).stem), lambda i: (i.title,)):
        matching = [item for item in known if reference in fields(item)]
        if len(matching) == 1:
            return matching[0]
        if matching:
            raise DutygraphError("DG-C006", reference, ", ".join(f"{i.id} ({i.date})" for i in matching))
    raise DutygraphError("DG-C005", reference)


def open_reference(reference: str, rows: Rows | None) -> tuple[Rows, Instrument]:
    """A file path is extracted into a store of its own; anything else is looked up in `rows`."""
    path = Path(reference)
    if path.is_file():
        from dutygraph.graph.ingest import extract
        from dutygraph.graph.rdf import build_graph
        from dutygraph.graph.vocabulary import ontology_quads

        document, units = extract(path)
        store = ox.Store()
        store.extend(build_graph(document, units))
        store.extend(ontology_quads())  # the actor scheme's labels
        own = store_rows(store)
        return own, instruments(own)[0]
    if rows is None:
        raise DutygraphError("DG-C005", reference)
    return rows, resolve(rows, reference)


def load_units(rows: Rows, instrument: Instrument) -> list[ComparedUnit]:
    """The instrument's units in document order, each with the sanctions that enforce it."""
    enforced: dict[str, dict[str, set[str]]] = {}
    for row in rows(ENFORCED.format(iri=instrument.iri)):
        where = f"第{row['article']}条" if "article" in row else instrument_id(row["sanction"])
        enforced.setdefault(row["ob"], {}).setdefault(where, set())
        if "penalty" in row:
            enforced[row["ob"]][where].add(row["penalty"])
    seen: dict[str, ComparedUnit] = {}
    for row in rows(UNITS.format(iri=instrument.iri)):
        if row["ob"] in seen:
            continue
        article = int(row["article"]) if "article" in row else None
        by = tuple(sorted(f"{where} {'、'.join(sorted(kinds))}".strip()
                          for where, kinds in enforced.get(row["ob"], {}).items()))
        seen[row["ob"]] = ComparedUnit(
            actor=row.get("actor"), modality=row["modality"].rsplit("#", 1)[-1],
            action=row.get("action", ""), object=row.get("object", ""), article=article,
            section=row.get("section") or _section(row["authority"], article),
            sentence=row["sentence"], provision=instrument_id(row["authority"]), enforced_by=by)
    ordered = sorted(seen.items(), key=lambda pair: _document_order(pair[0]))
    return [replace(unit, position=n) for n, (_, unit) in enumerate(ordered)]


def _section(authority: str, article: int | None) -> str:
    """第五条第二款第3项 from an authority path such as …/art/5/para/2/item/3."""
    parts = authority.split("/")
    labels = {"art": "第{}条", "para": "第{}款", "item": "第{}项", "sec": "{}"}
    found = [labels[kind].format(number) for kind, number in zip(parts, parts[1:], strict=False) if kind in labels]
    return "".join(found) or (f"第{article}条" if article is not None else "")


def _document_order(iri: str) -> list:
    """Provision paths compared part by part, numbers as numbers (art/10 after art/9)."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in iri.replace("-", "/").split("/")]


ENFORCEMENT_OF = PREFIXES + """SELECT ?ob ?sanction ?target ?article ?penalty WHERE {{
  VALUES ?ob {{ {obligations} }}
  {{ ?sanction dg:enforcesObligation ?ob BIND(?sanction AS ?by) }}
  UNION {{ ?ob dg:enforcesObligation ?target BIND(?ob AS ?by) }}
  ?by dg:authority ?authority .
  OPTIONAL {{ ?authority eli:is_part_of* ?art . ?art dg:articleNumber ?article }}
  OPTIONAL {{ ?by dg:penalty ?penalty }}
}}"""


def enforcement_of(rows: Rows, obligations: list[str]) -> dict[str, dict]:
    """For each obligation IRI: `enforced` and `enforced_by` (the sanctions enforcing it: obligation,
    article, penalties) and, for a sanction, `enforces` (the units it enforces) and `penalties`."""
    found: dict[str, dict] = {ob: {"enforced_by": {}, "enforces": set(), "penalties": set()} for ob in obligations}
    if not obligations:
        return {}
    values = " ".join(f"<{ob}>" for ob in obligations if "<" not in ob and ">" not in ob)
    for row in rows(ENFORCEMENT_OF.format(obligations=values)):
        entry = found[row["ob"]]
        if "sanction" in row:
            by = entry["enforced_by"].setdefault(row["sanction"], {"obligation": row["sanction"],
                                                                   "article": int(row["article"]) if "article" in row else None,
                                                                   "penalties": set()})
            if "penalty" in row:
                by["penalties"].add(row["penalty"])
        else:
            entry["enforces"].add(row["target"])
            if "penalty" in row:
                entry["penalties"].add(row["penalty"])
    return {ob: {"enforced": bool(entry["enforced_by"]),
                 "enforced_by": [{**by, "penalties": sorted(by["penalties"])} for _, by in sorted(entry["enforced_by"].items())],
                 "enforces": sorted(entry["enforces"]), "penalties": sorted(entry["penalties"])}
            for ob, entry in found.items()}
