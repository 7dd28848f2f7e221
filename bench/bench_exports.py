"""Network views and exports on a synthetic store, as ratios against baselines measured in the same run.

    .venv/bin/python bench/bench_exports.py [--instruments 300] [--articles 30] [--per-article 4]

Baselines: reading every obligation with one plain SPARQL SELECT (what any view must at least do),
and networkx's own GraphML / GEXF writers on the same view graph.
"""
from __future__ import annotations

import argparse
import io
import random
import time

import networkx as nx
import pyoxigraph as ox

from dutygraph.graph.ids import DCTERMS, ELI, ID, NS, RDF, SKOS, XSD
from dutygraph.graph.netexport import write_graphml, write_network, xml_safe
from dutygraph.graph.views import VIEWS, build_view
from dutygraph.model import MODALITIES

PLAIN_READ = f"""SELECT ?ob ?modality ?actor ?sentence WHERE {{
  ?ob a <{NS}Obligation> ; <{NS}modality> ?modality ; <{NS}actor> ?actor ; <{NS}sentence> ?sentence }}"""


def synthetic_store(instruments: int, articles: int, per_article: int, actors: int = 120) -> ox.Store:
    pick = random.Random(7)
    quads = []

    def add(subject: str, predicate: str, value) -> None:
        quads.append(ox.Quad(ox.NamedNode(subject), ox.NamedNode(predicate),
                             value if isinstance(value, ox.Literal) else ox.NamedNode(value)))

    for number in range(actors):
        add(f"{ID}actor/a{number}", RDF + "type", NS + "Actor")
        add(f"{ID}actor/a{number}", SKOS + "prefLabel", ox.Literal(f"部门{number}", language="zh-Hans"))
    for document in range(instruments):
        instrument = f"{ID}doc/d{document}"
        add(instrument, RDF + "type", NS + "Instrument")
        add(instrument, DCTERMS + "title", ox.Literal(f"质量条例{document}"))
        add(instrument, NS + "jurisdictionName", ox.Literal(f"省{document % 10}"))
        for article in range(1, articles + 1):
            article_iri, paragraph = f"{instrument}/art/{article}", f"{instrument}/art/{article}/para/1"
            add(article_iri, RDF + "type", NS + "Provision")
            add(article_iri, ELI + "is_part_of", instrument)
            add(article_iri, NS + "articleNumber", ox.Literal(str(article), datatype=ox.NamedNode(XSD + "integer")))
            add(paragraph, RDF + "type", NS + "Provision")
            add(paragraph, ELI + "is_part_of", article_iri)
            for n in range(1, per_article + 1):
                obligation = f"{paragraph}/ob/{n}"
                add(obligation, RDF + "type", NS + "Obligation")
                add(obligation, NS + "modality", NS + pick.choice(MODALITIES))
                add(obligation, NS + "authority", paragraph)
                add(obligation, NS + "actor", f"{ID}actor/a{pick.randrange(actors)}")
                add(obligation, NS + "sentence", ox.Literal(f"第{article}条所列部门应当履行质量职责{document}。"))
    store = ox.Store()
    store.extend(quads)
    return store


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instruments", type=int, default=300)
    parser.add_argument("--articles", type=int, default=30)
    parser.add_argument("--per-article", type=int, default=4)
    args = parser.parse_args()
    store = synthetic_store(args.instruments, args.articles, args.per_article)
    obligations = args.instruments * args.articles * args.per_article
    read = timed(lambda: list(store.query(PLAIN_READ)))
    print(f"{obligations} obligations, {len(store)} quads; plain SPARQL read of all obligations: {read:.2f} s")
    for view in VIEWS:
        seconds = timed(lambda view=view: build_view(store, view))
        print(f"view {view:12} {seconds:6.2f} s  = {seconds / read:5.1f} × plain read")
    for fmt in ("graphml", "gexf", "cytoscape", "csv"):
        seconds = timed(lambda fmt=fmt: write_network(store, fmt, io.BytesIO()))
        print(f"export {fmt:10} {seconds:6.2f} s  = {seconds / read:5.1f} × plain read")
    graph = xml_safe(build_view(store, "obligations"))
    ours = timed(lambda: write_graphml(graph, io.BytesIO()))
    stock = timed(lambda: nx.write_graphml(graph, io.BytesIO()))
    print(f"GraphML writing alone: ours {ours:.2f} s vs networkx.write_graphml {stock:.2f} s = {ours / stock:.2f} ×")


if __name__ == "__main__":
    main()
