"""What a reader needs of one instrument (its parts, status, dates, versions) and of one provision
(its text, the units in it, the sanctions that enforce it, its neighbours), as plain dicts.

`run` is a function from SPARQL text to rows (dicts of strings), so the REST answers and the pages
share one set of queries whatever the backend.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from dutygraph.api.links import instrument_link, provision_link, resource_id
from dutygraph.api.safety import require_iri
from dutygraph.errors import DutygraphError
from dutygraph.model import MODALITIES

Rows = Callable[[str], list[dict[str, str]]]
PREFIXES = """PREFIX dg: <https://w3id.org/dutygraph/ns#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
NS = "https://w3id.org/dutygraph/ns#"
# Kinds a table of contents shows (with every part directly under the instrument); paragraphs and
# items are reached from their article or heading.
OUTLINE_KINDS = {"part", "chapter", "section", "subsection", "heading", "box", "article"}
DETAILS_QUERY = PREFIXES + """SELECT ?status ?type ?issuer ?number ?passed ?published ?effective ?inForce WHERE {{
  OPTIONAL {{ <{iri}> dg:status ?status }}
  OPTIONAL {{ <{iri}> dg:instrumentType ?type }}
  OPTIONAL {{ <{iri}> dg:issuer ?issuer }}
  OPTIONAL {{ <{iri}> dg:documentNumber ?number }}
  OPTIONAL {{ <{iri}> eli:date_document ?passed }}
  OPTIONAL {{ <{iri}> eli:date_publication ?published }}
  OPTIONAL {{ <{iri}> eli:first_date_entry_in_force ?effective }}
  OPTIONAL {{ <{iri}> eli:in_force ?inForce }}
}}"""
# Every provision of an instrument with what places it: one query, the tree is built here.
PARTS_QUERY = PREFIXES + """SELECT ?part ?parent ?kind ?label ?heading ?position ?article WHERE {{
  ?part eli:is_part_of+ <{iri}> ; eli:is_part_of ?parent .
  OPTIONAL {{ ?part dg:provisionKind ?kind }}
  OPTIONAL {{ ?part dg:provisionLabel ?label }}
  OPTIONAL {{ ?part dg:heading ?heading }}
  OPTIONAL {{ ?part dg:position ?position }}
  OPTIONAL {{ ?part dg:articleNumber ?article }}
}}"""
UNIT_COUNTS_QUERY = PREFIXES + """SELECT ?part (COUNT(?ob) AS ?count) WHERE {{
  ?ob dg:authority ?authority . ?authority eli:is_part_of* ?part . ?part eli:is_part_of+ <{iri}> .
}} GROUP BY ?part"""
SAME_TITLE_QUERY = PREFIXES + """SELECT ?other ?date ?status WHERE {{
  <{iri}> dcterms:title ?title . ?other a dg:Instrument ; dcterms:title ?title .
  OPTIONAL {{ ?other eli:date_document ?date }}
  OPTIONAL {{ ?other dg:status ?status }}
  FILTER(?other != <{iri}>)
}}"""
# The provision's own text, or the text of the nearest part above it that has one (an article's).
TEXT_QUERY = PREFIXES + """SELECT ?holder ?text ?depth WHERE {{
  {{ <{iri}> dg:text ?text BIND(<{iri}> AS ?holder) BIND(0 AS ?depth) }}
  UNION {{ <{iri}> eli:is_part_of ?holder . ?holder dg:text ?text BIND(1 AS ?depth) }}
  UNION {{ <{iri}> eli:is_part_of/eli:is_part_of ?holder . ?holder dg:text ?text BIND(2 AS ?depth) }}
  UNION {{ <{iri}> eli:is_part_of/eli:is_part_of/eli:is_part_of ?holder . ?holder dg:text ?text BIND(3 AS ?depth) }}
}}"""
UNITS_QUERY = PREFIXES + """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?ob ?modality ?sentence ?actor ?name ?action ?object ?authority WHERE {{
  ?ob dg:authority ?authority ; dg:modality ?modality . ?authority eli:is_part_of* <{iri}> .
  OPTIONAL {{ ?ob dg:sentence ?sentence }}
  OPTIONAL {{ ?ob dg:action ?action }}
  OPTIONAL {{ ?ob dg:object ?object }}
  OPTIONAL {{ ?ob dg:actor ?actor OPTIONAL {{ ?actor skos:prefLabel ?name }} }}
}}"""
# Sanction units point at the article they enforce (dg:enforces); a provision may also name its
# enforcers itself (dg:enforcedBy).
ENFORCED_BY_QUERY = PREFIXES + """SELECT DISTINCT ?sanction ?sentence ?authority WHERE {{
  {{ ?sanction dg:enforces <{iri}> }} UNION {{ <{iri}> dg:enforcedBy ?sanction }}
  OPTIONAL {{ ?sanction dg:sentence ?sentence }}
  OPTIONAL {{ ?sanction dg:authority ?authority }}
}}"""


def natural_key(text: str) -> list:
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text)]


def instrument_details(run: Rows, iri: str) -> dict:
    """Status, dates and the other versions (instruments with the same title) of one instrument."""
    rows = run(DETAILS_QUERY.format(iri=require_iri(iri)))
    first = rows[0] if rows else {}
    versions = sorted(
        ({"id": resource_id(row["other"]), "iri": row["other"], "date": row.get("date", ""),
          "status": row.get("status", ""), "link": instrument_link(row["other"])}
         for row in run(SAME_TITLE_QUERY.format(iri=require_iri(iri)))),
        key=lambda version: (version["date"], natural_key(version["id"])),
    )
    return {
        "status": first.get("status", ""),
        "in_force": first.get("inForce", "").rsplit("-", 1)[-1] if first.get("inForce") else "",
        "type": first.get("type", ""),
        "issuer": first.get("issuer", ""),
        "document_number": first.get("number", ""),
        "dates": {name: first[column] for name, column in
                  (("passed", "passed"), ("published", "published"), ("effective", "effective")) if column in first},
        "versions": list({version["iri"]: version for version in versions}.values()),
    }


def parts_of(run: Rows, iri: str) -> list[dict]:
    """Every provision of the instrument in document order, each with its `depth` below the instrument."""
    children: dict[str, list[dict]] = {}
    seen: set[str] = set()
    for row in run(PARTS_QUERY.format(iri=require_iri(iri))):
        if row["part"] in seen:
            continue
        seen.add(row["part"])
        children.setdefault(row["parent"], []).append({
            "iri": row["part"],
            "id": resource_id(row["part"]),
            "kind": row.get("kind", ""),
            "label": row.get("label", ""),
            "heading": row.get("heading", ""),
            "article": int(row["article"]) if "article" in row else None,
            "position": int(row["position"]) if "position" in row else None,
            "link": provision_link(row["part"]),
        })
    ordered: list[dict] = []

    def visit(parent: str, depth: int) -> None:
        for part in sorted(children.get(parent, []), key=lambda part: (part["position"] or 0, natural_key(part["iri"]))):
            ordered.append({**part, "depth": depth, "parent": parent})
            visit(part["iri"], depth + 1)

    visit(iri, 0)
    return ordered


def outline(run: Rows, iri: str, parts: list[dict]) -> list[dict]:
    """The table of contents: parts, chapters, sections and articles, each with its number of units."""
    counts = {row["part"]: int(row["count"]) for row in run(UNIT_COUNTS_QUERY.format(iri=require_iri(iri)))}
    shown = [part for part in parts if part["kind"] in OUTLINE_KINDS or part["article"] is not None or part["depth"] == 0]
    top = min((part["depth"] for part in shown), default=0)
    return [{**part, "depth": part["depth"] - top, "units": counts.get(part["iri"], 0)} for part in shown]


def articles(parts: list[dict]) -> list[dict]:
    """The articles of an instrument, chapters or not, in document order."""
    return [{"iri": part["iri"], "article": part["article"], "link": part["link"]}
            for part in parts if part["article"] is not None]


def instrument_of(run: Rows, iri: str) -> str | None:
    query = PREFIXES + f"SELECT ?doc WHERE {{ <{require_iri(iri)}> eli:is_part_of* ?doc . ?doc a dg:Instrument }}"
    rows = run(query)
    return rows[0]["doc"] if rows else None


def neighbours(parts: list[dict], iri: str) -> dict:
    """The previous and next provision of the same kind in document order (articles across chapters)."""
    here = next((part for part in parts if part["iri"] == iri), None)
    if here is None:
        return {"previous": None, "next": None}
    same = [part for part in parts if part["kind"] == here["kind"] and (part["depth"] == here["depth"] or here["kind"] == "article")]
    index = same.index(here)
    return {"previous": step(same[index - 1]) if index > 0 else None,
            "next": step(same[index + 1]) if index + 1 < len(same) else None}


def step(part: dict) -> dict:
    return {"id": part["id"], "label": part["label"] or part["id"].split("/", 1)[-1], "heading": part["heading"], "link": part["link"]}


def ancestors(parts: list[dict], iri: str) -> list[dict]:
    """The parts above the provision, outermost first (the instrument itself not included)."""
    by_iri = {part["iri"]: part for part in parts}
    chain, current = [], by_iri.get(iri)
    while current is not None and current["parent"] in by_iri:
        current = by_iri[current["parent"]]
        chain.append(step(current))
    return chain[::-1]


def provision_text(run: Rows, iri: str) -> dict:
    """The provision's text (or its article's) and which provision holds it."""
    rows = sorted(run(TEXT_QUERY.format(iri=require_iri(iri))), key=lambda row: int(row["depth"]))
    if not rows:
        return {"text": "", "text_of": None}
    return {"text": rows[0]["text"], "text_of": rows[0]["holder"]}


def provision_units(run: Rows, iri: str) -> list[dict]:
    """The units whose authority is the provision or a part of it, in document order, one per unit."""
    units: dict[str, dict] = {}
    for row in run(UNITS_QUERY.format(iri=require_iri(iri))):
        units.setdefault(row["ob"], {
            "obligation": row["ob"],
            "modality": row["modality"].removeprefix(NS),
            "sentence": row.get("sentence", ""),
            "actor": row.get("actor"),
            "actor_name": row.get("name", ""),
            "action": row.get("action", ""),
            "object": row.get("object", ""),
            "provision": row["authority"],
            "link": provision_link(row["authority"]),
        })
    return sorted(units.values(), key=lambda unit: natural_key(unit["obligation"]))


def enforced_by(run: Rows, iri: str) -> list[dict]:
    return [
        {"sanction": row["sanction"], "sentence": row.get("sentence", ""),
         "link": provision_link(row["authority"]) if "authority" in row else None}
        for row in run(ENFORCED_BY_QUERY.format(iri=require_iri(iri)))
    ]


def highlighted(text: str, units: list[dict]) -> list[dict]:
    """The text cut into pieces, each `{"text", "modality"}` (modality "" for plain text).

    A sentence is found in the text ignoring white space (the text keeps its line breaks); a
    sentence with units of several modalities takes the strongest, in the order of model.MODALITIES;
    sentences that overlap one already marked stay plain.
    """
    rank = {name: index for index, name in enumerate(MODALITIES)}
    strongest: dict[str, str] = {}
    for unit in units:
        sentence = unit["sentence"]
        if sentence and rank.get(unit["modality"], 99) < rank.get(strongest.get(sentence, ""), 100):
            strongest[sentence] = unit["modality"]
    spans = []
    for sentence, modality in strongest.items():
        found = re.search(r"\s*".join(re.escape(char) for char in sentence if not char.isspace()), text)
        if found:
            spans.append((found.start(), found.end(), modality))
    pieces, cursor = [], 0
    for start, end, modality in sorted(spans):
        if start < cursor:
            continue
        if start > cursor:
            pieces.append({"text": text[cursor:start], "modality": ""})
        pieces.append({"text": text[start:end], "modality": modality})
        cursor = end
    if cursor < len(text):
        pieces.append({"text": text[cursor:], "modality": ""})
    return pieces


def describe_instrument(run: Rows, summary: dict) -> dict:
    """An instrument summary (from the REST listing) with its details, outline and articles."""
    iri = summary["iri"]
    parts = parts_of(run, iri)
    return {**summary, **instrument_details(run, iri), "outline": outline(run, iri, parts), "articles": articles(parts)}


def describe_provision_page(run: Rows, iri: str) -> dict:
    """A provision as a reader sees it: where it is, its text marked by modality, its units, its enforcers."""
    instrument = instrument_of(run, iri)
    if instrument is None:
        raise DutygraphError("DG-A013", "rest", resource_id(iri))
    parts = parts_of(run, instrument)
    here = next((part for part in parts if part["iri"] == iri), None)
    units = provision_units(run, iri)
    text = provision_text(run, iri)
    return {
        "label": (here or {}).get("label", ""),
        "heading": (here or {}).get("heading", ""),
        "kind": (here or {}).get("kind", ""),
        "instrument": {"id": resource_id(instrument), "iri": instrument, "link": instrument_link(instrument)},
        "ancestors": ancestors(parts, iri),
        # What lies inside it, for a heading or chapter whose text is in its parts.
        "parts": [step(part) for part in parts if part["parent"] == iri and (here or {}).get("kind") != "article"],
        **text,
        "pieces": highlighted(text["text"], units),
        "enforced_by": enforced_by(run, iri),
        **neighbours(parts, iri),
    }
