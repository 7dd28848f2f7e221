"""REST lookup of duties: who must do what, by actor, instrument and provision (JSON or CSV)."""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from urllib.parse import quote

import fastapi
from fastapi import Query, Request
from fastapi.responses import JSONResponse, Response

from dutygraph.api import documents
from dutygraph.api.actors import (
    ACTOR_LABELS_QUERY,
    SUCCESSION_QUERY,
    ActorIndex,
    Succession,
    build_actor_index,
    build_succession,
    closest_actors,
    normalise,
    predecessors,
    resolve_actor,
)
from dutygraph.api.backends import select_rows
from dutygraph.api.document_pages import instrument_page, instruments_page, provision_page
from dutygraph.api.links import instrument_link, iri_of, provision_link, resource_id
from dutygraph.api.negotiation import parse_accept
from dutygraph.api.safety import require_iri
from dutygraph.errors import CATALOGUE, DutygraphError
from dutygraph.graph.filters import (
    JURISDICTIONS,
    jurisdiction_labels,
    match_jurisdiction,
    normalise_modality,
    unknown_value,
)
from dutygraph.graph.instruments import enforcement_of

router = fastapi.APIRouter(tags=["REST"])

DG = "https://w3id.org/dutygraph/ns#"
PREFIXES = """PREFIX dg: <https://w3id.org/dutygraph/ns#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
# Two steps, so a busy actor's answer stays small: the keys of every obligation (to filter, sort
# and count), then the texts of the page shown. {selector} narrows ?obligation.
OBLIGATION_KEYS_QUERY = PREFIXES + """SELECT ?obligation ?actor ?modality ?level ?provision ?instrument ?article
WHERE {{
  {selector}
  ?obligation a dg:Obligation ; dg:modality ?modality ; dg:authority ?provision .
  OPTIONAL {{ ?obligation dg:actor ?actor }}
  OPTIONAL {{ ?obligation dg:level ?level }}
  OPTIONAL {{ ?provision eli:is_part_of* ?instrument . ?instrument a dg:Instrument }}
  OPTIONAL {{ ?provision eli:is_part_of* ?part . ?part dg:articleNumber ?article }}
}}"""
OBLIGATION_TEXTS_QUERY = PREFIXES + """SELECT ?obligation ?sentence ?action ?object WHERE {{
  VALUES ?obligation {{ {obligations} }}
  OPTIONAL {{ ?obligation dg:sentence ?sentence }}
  OPTIONAL {{ ?obligation dg:action ?action }}
  OPTIONAL {{ ?obligation dg:object ?object }}
}}"""
BY_ACTORS = "VALUES ?named {{ {actors} }} ?obligation dg:actor ?named ."
UNDER_PROVISION = "?obligation dg:authority ?authority . ?authority eli:is_part_of* <{iri}> ."
INSTRUMENTS_QUERY = PREFIXES + """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?instrument ?title ?jurisdiction ?jurisdictionEn ?sourceFile WHERE {
  ?instrument a dg:Instrument .
  OPTIONAL { ?instrument dcterms:title ?title FILTER(LANG(?title) = "") }
  OPTIONAL { ?instrument dg:jurisdictionName ?jurisdiction }
  OPTIONAL { ?instrument eli:jurisdiction ?place . ?place rdfs:label ?jurisdictionEn FILTER(LANG(?jurisdictionEn) = "en") }
  OPTIONAL { ?instrument dg:sourceFile ?sourceFile }
}"""
LEVELS_QUERY = PREFIXES + "SELECT DISTINCT ?level WHERE { ?obligation dg:level ?level }"
OBLIGATION_COUNTS_QUERY = PREFIXES + """SELECT ?instrument ?modality (COUNT(DISTINCT ?obligation) AS ?count) WHERE {
  ?obligation a dg:Obligation ; dg:modality ?modality ; dg:authority ?provision .
  ?provision eli:is_part_of* ?instrument . ?instrument a dg:Instrument .
} GROUP BY ?instrument ?modality"""
ACTOR_COUNTS_QUERY = PREFIXES + """SELECT ?actor (COUNT(DISTINCT ?obligation) AS ?count) WHERE {
  ?obligation dg:actor ?actor .
} GROUP BY ?actor"""
PROVISION_QUERY = PREFIXES + """SELECT ?type ?parent ?article ?child WHERE {{
  <{iri}> a ?type .
  OPTIONAL {{ <{iri}> eli:is_part_of ?parent }}
  OPTIONAL {{ <{iri}> dg:articleNumber ?article }}
  OPTIONAL {{ ?child eli:is_part_of <{iri}> }}
}}"""
CSV_COLUMNS = (
    "obligation", "actor", "actor_name", "modality", "sentence", "action", "object", "level", "article",
    "provision", "link", "instrument_id", "instrument_title", "jurisdiction",
)


def run_select(request: Request, query: str) -> list[dict[str, str]]:
    settings = request.app.state.settings
    return select_rows(settings.backend, query, settings.query_timeout)


def local_name(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def natural_key(text: str) -> list:
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text)]


def actor_index(request: Request) -> ActorIndex:
    return build_actor_index(run_select(request, ACTOR_LABELS_QUERY))


def actor_succession(request: Request) -> Succession:
    return build_succession(run_select(request, SUCCESSION_QUERY))


def actor_reference(index: ActorIndex, actor: str) -> dict:
    return {"iri": actor, "name": index.names.get(actor, local_name(actor)),
            "link": f"/actors/{quote(local_name(actor), safe='')}/obligations"}


def actor_summary(index: ActorIndex, succession: Succession, actor: str) -> dict:
    """Names, link, and the succession: `replaced_by` (a former agency's successors), `replaces` (its predecessors)."""
    return {
        **actor_reference(index, actor),
        "english": index.english.get(actor, ""),
        "replaced_by": [actor_reference(index, other) for other in succession.replaced_by.get(actor, ())],
        "replaces": [actor_reference(index, other) for other in succession.replaces.get(actor, ())],
    }


def instrument_summaries(request: Request) -> dict[str, dict]:
    summaries: dict[str, dict] = {}
    for row in run_select(request, INSTRUMENTS_QUERY):
        summary = summaries.setdefault(row["instrument"], {
            "id": resource_id(row["instrument"]),
            "iri": row["instrument"],
            "title": "",
            "jurisdiction": "",
            "jurisdiction_en": "",
            "source_file": "",
            "link": instrument_link(row["instrument"]),
        })
        for field, column in (("title", "title"), ("jurisdiction", "jurisdiction"), ("jurisdiction_en", "jurisdictionEn"),
                              ("source_file", "sourceFile")):
            summary[field] = summary[field] or row.get(column, "")
    return summaries


def obligation_items(request: Request, selector: str, index: ActorIndex) -> list[dict]:
    """Every obligation the selector picks, sorted by instrument, article and IRI; no texts yet."""
    instruments = instrument_summaries(request)
    items: dict[str, dict] = {}
    for row in run_select(request, OBLIGATION_KEYS_QUERY.format(selector=selector)):
        article = int(row["article"]) if "article" in row else None
        known = items.get(row["obligation"])
        if known is not None:
            if article is not None and (known["article"] is None or article < known["article"]):
                known["article"] = article
            continue
        items[row["obligation"]] = {
            "obligation": row["obligation"],
            "actor": row.get("actor"),
            "actor_name": index.names.get(row.get("actor", ""), ""),
            "modality": local_name(row["modality"]),
            "sentence": "",
            "action": "",
            "object": "",
            "level": row.get("level", ""),
            "article": article,
            "provision": row["provision"],
            "link": provision_link(row["provision"]),
            "instrument": instruments.get(row.get("instrument", "")),
        }
    return sorted(items.values(), key=lambda item: (
        natural_key((item["instrument"] or {}).get("id", "")),
        item["article"] is None,
        item["article"] or 0,
        natural_key(item["obligation"]),
    ))


def with_texts(request: Request, items: list[dict]) -> list[dict]:
    """The items with their sentence, action and object filled in."""
    if not items:
        return items
    values = " ".join(f"<{require_iri(item['obligation'])}>" for item in items)
    texts = {row["obligation"]: row for row in run_select(request, OBLIGATION_TEXTS_QUERY.format(obligations=values))}
    enforcement = enforcement_of(lambda query: run_select(request, query), [item["obligation"] for item in items])
    return [
        {**item, **{field: texts.get(item["obligation"], {}).get(field, "") for field in ("sentence", "action", "object")},
         **enforcement.get(item["obligation"], {})}
        for item in items
    ]


def keep_matching(request: Request, items: list[dict], modality: str | None, jurisdiction: str | None,
                  instrument: str | None, level: str | None) -> list[dict]:
    """The items every given filter keeps; a value the store does not know is a coded error naming
    the allowed ones (DG-G052 for a modality, DG-G053 otherwise), as in the exports."""
    modality = normalise_modality(modality) if modality else None
    places = match_jurisdiction(jurisdiction, jurisdiction_labels(run_select(request, JURISDICTIONS))) if jurisdiction else ()
    if instrument:
        known = instrument_summaries(request)
        if iri_of(instrument) not in known:
            raise unknown_value("instrument", instrument, sorted((summary["id"] for summary in known.values()), key=natural_key))
        instrument = iri_of(instrument)
    if level:
        levels = sorted({row["level"] for row in run_select(request, LEVELS_QUERY)})
        if normalise(level) not in {normalise(known) for known in levels}:
            raise unknown_value("level", level, levels)

    def matches(item: dict) -> bool:
        source = item["instrument"] or {}
        return (
            (not modality or item["modality"] == modality)
            and (not places or source.get("jurisdiction", "") in places)
            and (not instrument or instrument == source.get("iri"))
            and (not level or normalise(item["level"]) == normalise(level))
        )

    return [item for item in items if matches(item)]


def wants_csv(request: Request, format_param: str | None) -> bool:
    if format_param:
        if format_param.lower() not in ("csv", "json", "html"):
            raise DutygraphError("DG-A004", "rest", f"format={format_param!r}; use json, csv or html")
        return format_param.lower() == "csv"
    ranges = dict(parse_accept(request.headers.get("accept", "")))
    return ranges.get("text/csv", 0) > max(ranges.get("application/json", 0), ranges.get("*/*", 0))


def wants_html(request: Request, format_param: str | None) -> bool:
    """A browser (text/html preferred over JSON) or `format=html` gets the page; anything else JSON."""
    if format_param:
        if format_param.lower() not in ("json", "html"):
            raise DutygraphError("DG-A004", "rest", f"format={format_param!r}; use json or html")
        return format_param.lower() == "html"
    ranges = dict(parse_accept(request.headers.get("accept", "")))
    return ranges.get("text/html", 0) > ranges.get("application/json", 0)


def csv_response(items: list[dict]) -> Response:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for item in items:
        source = item["instrument"] or {}
        writer.writerow({
            **item,
            "article": "" if item["article"] is None else item["article"],
            "instrument_id": source.get("id", ""),
            "instrument_title": source.get("title", ""),
            "jurisdiction": source.get("jurisdiction", ""),
        })
    return Response(buffer.getvalue().encode("utf-8"), media_type="text/csv; charset=utf-8")


@router.get("/actors")
def list_actors(request: Request) -> list[dict]:
    """Every actor with its preferred and English names and how many obligations it has."""
    index, succession = actor_index(request), actor_succession(request)
    counts = {row["actor"]: int(row["count"]) for row in run_select(request, ACTOR_COUNTS_QUERY)}
    actors = [{**actor_summary(index, succession, actor), "obligations": counts.get(actor, 0)} for actor in index.names]
    return sorted(actors, key=lambda actor: (-actor["obligations"], actor["name"]))


@router.get("/actors/{name:path}/obligations")
def actor_obligations(
    request: Request,
    name: str,
    modality: str | None = Query(None, description="Duty, Prohibition, Permission, Encouragement, Support, Commitment "
                                                   "(or their Chinese labels: 义务, 禁止…)"),
    jurisdiction: str | None = Query(None, description="e.g. 四川省 (any script), Sichuan Province, 全国 or national"),
    instrument: str | None = Query(None, description="instrument id (file stem) or IRI"),
    level: str | None = Query(None, description="e.g. 县级以上"),
    include: str | None = Query(None, description="predecessors: add the duties of the former agencies this actor "
                                                  "took over (dcterms:isReplacedBy in the actor scheme)"),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
    format: str | None = Query(None, description="json or csv (default: by Accept, else json)"),
):
    """The obligations of one actor, named in any form (simplified, traditional, abbreviation, English, IRI)."""
    index = actor_index(request)
    actor = resolve_actor(index, name)
    if actor is None:
        return JSONResponse(
            {"error": "DG-A012", "message": CATALOGUE["DG-A012"], "name": name, "closest": closest_actors(index, name)},
            status_code=404,
        )
    succession = actor_succession(request)
    if include not in (None, "", "predecessors"):
        raise DutygraphError("DG-G053", "rest", f"include={include!r}; allowed: predecessors")
    included = [actor, *predecessors(succession, actor)] if include else [actor]
    actors = " ".join(f"<{require_iri(iri)}>" for iri in included)
    items = obligation_items(request, BY_ACTORS.format(actors=actors), index)
    items = keep_matching(request, items, modality, jurisdiction, instrument, level)
    page = with_texts(request, items[offset:offset + limit])
    if wants_csv(request, format):
        return csv_response(page)
    return {
        "actor": {**actor_summary(index, succession, actor),
                  "included": [actor_reference(index, iri) for iri in included[1:]]},
        "total": len(items),
        "limit": limit,
        "offset": offset,
        "items": page,
    }


@router.get("/instruments")
def list_instruments(request: Request, format: str | None = Query(None, description="json or html (default: by Accept)")):
    """Every instrument with its title, jurisdiction and obligation counts by modality (a page for a browser)."""
    instruments = instrument_listing(request)
    return instruments_page(instruments) if wants_html(request, format) else instruments


def instrument_listing(request: Request) -> list[dict]:
    summaries = instrument_summaries(request)
    counts: dict[str, Counter] = {iri: Counter() for iri in summaries}
    for row in run_select(request, OBLIGATION_COUNTS_QUERY):
        counts.setdefault(row["instrument"], Counter())[local_name(row["modality"])] += int(row["count"])
    return [
        {**summary, "obligations": sum(counts[iri].values()), "by_modality": dict(counts[iri])}
        for iri, summary in sorted(summaries.items(), key=lambda pair: natural_key(pair[1]["id"]))
    ]


@router.get("/instruments/{instrument_id:path}")
def show_instrument(request: Request, instrument_id: str,
                    format: str | None = Query(None, description="json or html (default: by Accept)")):
    """One instrument: metadata, status, dates, other versions, its outline (parts, chapters, articles) and articles."""
    matching = [item for item in instrument_listing(request) if item["iri"] == iri_of(instrument_id)]
    if not matching:
        raise DutygraphError("DG-A013", "rest", instrument_id)
    instrument = documents.describe_instrument(lambda query: run_select(request, query), matching[0])
    return instrument_page(instrument) if wants_html(request, format) else instrument


def describe_provision(request: Request, iri: str) -> dict:
    rows = run_select(request, PROVISION_QUERY.format(iri=require_iri(iri)))
    if not rows:
        raise DutygraphError("DG-A013", "rest", resource_id(iri))
    children = sorted({row["child"] for row in rows if "child" in row}, key=natural_key)
    article_of = child_articles(request, children)
    return {
        "id": resource_id(iri),
        "iri": iri,
        "types": sorted({local_name(row["type"]) for row in rows}),
        "article": next((int(row["article"]) for row in rows if "article" in row), None),
        "parent": next((row["parent"] for row in rows if "parent" in row), None),
        "children": [
            {"iri": child, "article": article_of.get(child), "link": provision_link(child)}
            for child in children
        ],
    }


def child_articles(request: Request, children: list[str]) -> dict[str, int]:
    if not children:
        return {}
    values = " ".join(f"<{require_iri(child)}>" for child in children)
    query = PREFIXES + f"SELECT ?child ?article WHERE {{ VALUES ?child {{ {values} }} ?child dg:articleNumber ?article }}"
    return {row["child"]: int(row["article"]) for row in run_select(request, query)}


@router.get("/provisions/{provision_id:path}")
def show_provision(request: Request, provision_id: str,
                   format: str | None = Query(None, description="json, csv or html (default: by Accept)")):
    """One provision (e.g. `001_18aaf2e0bf01b38b/art/5`): its place, full text marked by modality, the
    sanctions that enforce it, previous/next, and every obligation under it."""
    iri = iri_of(provision_id)
    provision = describe_provision(request, iri)
    items = with_texts(request, obligation_items(request, UNDER_PROVISION.format(iri=require_iri(iri)), actor_index(request)))
    if format != "html" and wants_csv(request, format):
        return csv_response(items)
    reading = documents.describe_provision_page(lambda query: run_select(request, query), iri)
    title = instrument_summaries(request).get(reading["instrument"]["iri"], {}).get("title", "")
    answer = {**provision, **reading, "instrument": {**reading["instrument"], "title": title}, "obligations": items}
    return provision_page(answer) if wants_html(request, format) else answer
