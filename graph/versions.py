"""Versions of one instrument (same title, different dates) linked newest → oldest by
dg:previousVersion, in a graph of their own that every ingest recomputes."""
from __future__ import annotations

import hashlib
from collections import defaultdict

import pyoxigraph as ox

from dutygraph.graph.ids import ID, NS
from dutygraph.graph.rows import Rows

VERSIONS_GRAPH = ID + "graph/versions"
PREVIOUS = NS + "previousVersion"
DATED_INSTRUMENTS = """PREFIX dg: <https://w3id.org/dutygraph/ns#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?instrument ?title ?date WHERE {
  ?instrument a dg:Instrument ; dcterms:title ?title . FILTER(LANG(?title) = "")
  OPTIONAL { ?instrument eli:date_publication ?published }
  OPTIONAL { ?instrument eli:date_document ?passed }
  OPTIONAL { ?instrument eli:first_date_entry_in_force ?effective }
  BIND(COALESCE(?published, ?passed, ?effective) AS ?date)
  FILTER(BOUND(?date))
}"""


def version_links(rows: Rows) -> list[tuple[str, str]]:
    """(newer, previous) for every instrument whose title another, earlier-dated one shares."""
    by_title: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in rows(DATED_INSTRUMENTS):
        by_title[row["title"]].add((row["date"], row["instrument"]))
    links = []
    for versions in by_title.values():
        ordered = sorted(versions)
        links.extend((newer, older) for (_, older), (_, newer) in zip(ordered, ordered[1:], strict=False)
                     if older != newer)
    return sorted(links)


def link_versions(store, rows: Rows) -> int:
    """Rewrite the versions graph from what the store holds now; the number of links."""
    links = version_links(rows)
    if not links and store.graph_checksum(VERSIONS_GRAPH) is None:
        return 0
    quads = [ox.Quad(ox.NamedNode(newer), ox.NamedNode(PREVIOUS), ox.NamedNode(older), ox.NamedNode(VERSIONS_GRAPH))
             for newer, older in links]
    checksum = hashlib.sha256("\n".join(f"{a} {b}" for a, b in links).encode("utf-8")).hexdigest()
    if store.graph_checksum(VERSIONS_GRAPH) != checksum:
        store.replace_graph(VERSIONS_GRAPH, quads, checksum)
    return len(links)


def previous_versions(rows: Rows) -> dict[str, str]:
    """newer instrument IRI → its previous version's, as recorded in the graph."""
    query = f"SELECT ?newer ?older WHERE {{ ?newer <{PREVIOUS}> ?older }}"
    return {row["newer"]: row["older"] for row in rows(query)}
