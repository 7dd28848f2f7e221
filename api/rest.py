"""REST lookup of duties: who must do what, by actor, instrument and provision (JSON or CSV)."""
from __future__ import annotations

import csv
import io
import re
from collections import Counter

import fastapi
from fastapi import Query, Request
from fastapi.responses import JSONResponse, Response

from dutygraph.api.actors import (
    ACTOR_LABELS_QUERY,
    ActorIndex,
    build_actor_index,
    closest_actors,
    normalise,
    resolve_actor,
)
from dutygraph.api.backends import select_rows
from dutygraph.api.negotiation import parse_accept
from dutygraph.api.safety import require_iri
from dutygraph.errors import CATALOGUE, DutygraphError
from dutygraph.graph.instruments import enforcement_of

router = fastapi.APIRouter(tags=["REST"])

DOC_NAMESPACE = "https://w3id.org/dutygraph/id/doc/"
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
BY_ACTOR = "?obligation dg:actor <{iri}> ."
UNDER_PROVISION = "?obligation dg:authority ?authority . ?authority eli:is_part_of* <{iri}> ."
INSTRUMENTS_QUERY = PREFIXES + """SELECT ?instrument ?title ?jurisdiction ?sourceFile WHERE {
  ?instrument a dg:Instrument .
  OPTIONAL { ?instrument dcterms:title ?title FILTER(LANG(?title) = "") }
  OPTIONAL { ?instrument dg:jurisdictionName ?jurisdiction }
  OPTIONAL { ?instrument dg:sourceFile ?sourceFile }
}"""
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


def resource_id(iri: str) -> str:
    return iri[len(DOC_NAMESPACE):] if iri.startswith(DOC_NAMESPACE) else iri


def actor_index(request: Request) -> ActorIndex:
    return build_actor_index(run_select(request, ACTOR_LABELS_QUERY))


def instrument_summaries(request: Request) -> dict[str, dict]:
    summaries: dict[str, dict] = {}
    for row in run_select(request, INSTRUMENTS_QUERY):
        summary = summaries.setdefault(row["instrument"], {
            "id": resource_id(row["instrument"]),
            "iri": row["instrument"],
            "title": "",
            "jurisdiction": "",
            "source_file": "",
            "link": f"/instruments/{resource_id(row['instrument'])}",
        })
        for field, column in (("title", "title"), ("jurisdiction", "jurisdiction"), ("source_file", "sourceFile")):
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
            "link": f"/provisions/{resource_id(row['provision'])}",
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


def keep_matching(items: list[dict], modality: str | None, jurisdiction: str | None, instrument: str | None,
                  level: str | None) -> list[dict]:
    def matches(item: dict) -> bool:
        source = item["instrument"] or {}
        return (
            (not modality or item["modality"].casefold() == local_name(modality).casefold())
            and (not jurisdiction or normalise(source.get("jurisdiction", "")) == normalise(jurisdiction))
            and (not instrument or instrument in (source.get("id"), source.get("iri")))
            and (not level or normalise(item["level"]) == normalise(level))
        )

    return [item for item in items if matches(item)]


def wants_csv(request: Request, format_param: str | None) -> bool:
    if format_param:
        if format_param.lower() not in ("csv", "json"):
            raise DutygraphError("DG-A004", "rest", f"format={format_param!r}; use json or csv")
        return format_param.lower() == "csv"
    ranges = dict(parse_accept(request.headers.get("accept", "")))
    return ranges.get("text/csv", 0) > max(ranges.get("application/json", 0), ranges.get("*/*", 0))


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
    index = actor_index(request)
    counts = {row["actor"]: int(row["count"]) for row in run_select(request, ACTOR_COUNTS_QUERY)}
    actors = [
        {
            "iri": actor,
            "name": name,
            "english": index.english.get(actor, ""),
            "obligations": counts.get(actor, 0),
            "link": f"/actors/{local_name(actor)}/obligations",
        }
        for actor, name in index.names.items()
    ]
    return sorted(actors, key=lambda actor: (-actor["obligations"], actor["name"]))


@router.get("/actors/{name:path}/obligations")
def actor_obligations(
    request: Request,
    name: str,
    modality: str | None = Query(None, description="Duty, Prohibition, Permission, Encouragement, Support, Commitment"),
    jurisdiction: str | None = Query(None, description="e.g. 四川省 (any script)"),
    instrument: str | None = Query(None, description="instrument id (file stem) or IRI"),
    level: str | None = Query(None, description="e.g. 县级以上"),
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
    items = obligation_items(request, BY_ACTOR.format(iri=require_iri(actor)), index)
    items = keep_matching(items, modality, jurisdiction, instrument, level)
    page = with_texts(request, items[offset:offset + limit])
    if wants_csv(request, format):
        return csv_response(page)
    return {
        "actor": {"iri": actor, "name": index.names[actor], "english": index.english.get(actor, "")},
        "total": len(items),
        "limit": limit,
        "offset": offset,
        "items": page,
    }


@router.get("/instruments")
def list_instruments(request: Request) -> list[dict]:
    """Every instrument with its title, jurisdiction and obligation counts by modality."""
    summaries = instrument_summaries(request)
    counts: dict[str, Counter] = {iri: Counter() for iri in summaries}
    for row in run_select(request, OBLIGATION_COUNTS_QUERY):
        counts.setdefault(row["instrument"], Counter())[local_name(row["modality"])] += int(row["count"])
    return [
        {**summary, "obligations": sum(counts[iri].values()), "by_modality": dict(counts[iri])}
        for iri, summary in sorted(summaries.items(), key=lambda pair: natural_key(pair[1]["id"]))
    ]


@router.get("/instruments/{instrument_id}")
def show_instrument(request: Request, instrument_id: str) -> dict:
    """One instrument: metadata, obligation counts and its articles."""
    matching = [item for item in list_instruments(request) if instrument_id in (item["id"], item["iri"])]
    if not matching:
        raise DutygraphError("DG-A013", "rest", instrument_id)
    instrument = matching[0]
    provision = describe_provision(request, instrument["iri"])
    articles = sorted(
        (child for child in provision["children"] if child["article"] is not None), key=lambda child: child["article"]
    )
    return {**instrument, "articles": articles}


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
            {"iri": child, "article": article_of.get(child), "link": f"/provisions/{resource_id(child)}"}
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
def show_provision(request: Request, provision_id: str, format: str | None = Query(None, description="json or csv")):
    """One provision (e.g. `001_18aaf2e0bf01b38b/art/5`) with every obligation under it."""
    iri = DOC_NAMESPACE + provision_id
    provision = describe_provision(request, iri)
    items = with_texts(request, obligation_items(request, UNDER_PROVISION.format(iri=require_iri(iri)), actor_index(request)))
    if wants_csv(request, format):
        return csv_response(items)
    return {**provision, "obligations": items}
