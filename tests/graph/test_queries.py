"""Each query of docs/queries/ answers what the extracted units say (seeds, and the fixture for sanctions)."""
from __future__ import annotations

from collections import Counter

import pytest

from dutygraph.graph.ingest import load_ontology
from dutygraph.graph.rdf import build_graph
from dutygraph.graph.store import MEMORY, open_store
from tests.graph.fixtures import make_document, make_units
from tests.graph.seedstore import seed_extractions, seed_store
from tests.shared import PROJECT

QUERIES = PROJECT / "docs" / "queries"
MARKET = "市场监督管理部门"


def run(store, name: str) -> list[dict]:
    results = store.query((QUERIES / f"{name}.rq").read_text(encoding="utf-8"))
    names = [v.value for v in results.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in results]


def canonical(name):
    from dutygraph.extract.actors import canonical_actor_name

    return canonical_actor_name(name) if name else None


@pytest.fixture(scope="module")
def seeds():
    return seed_store(), seed_extractions()


def all_units(extractions):
    for file, (document, units) in extractions.items():
        for unit in units:
            yield file, document.instrument, unit


def test_duties_in_province(seeds):
    store, extractions = seeds
    expected = Counter((file, unit.article, unit.sentence) for file, meta, unit in all_units(extractions)
                       if meta.jurisdiction == "四川省" and unit.modality == "Duty" and canonical(unit.actor) == MARKET)
    assert expected, "the Sichuan seeds give 市场监督管理部门 duties"
    rows = run(store, "duties-in-province")
    assert Counter((r["file"], int(r["article"]) if r["article"] else None, r["sentence"]) for r in rows) == expected


def test_department_across_provinces(seeds):
    store, extractions = seeds
    duties, instruments = Counter(), {}
    for file, meta, unit in all_units(extractions):
        if unit.modality == "Duty" and canonical(unit.actor) == MARKET:
            duties[meta.jurisdiction] += 1
            instruments.setdefault(meta.jurisdiction, set()).add(file)
    rows = run(store, "department-across-provinces")
    assert {r["jurisdiction"]: int(r["duties"]) for r in rows} == dict(duties)
    assert {r["jurisdiction"]: int(r["instruments"]) for r in rows} == {k: len(v) for k, v in instruments.items()}


def expected_prohibitions(extractions):
    prohibitions = Counter()
    enforced = set()
    for file, _, unit in all_units(extractions):
        if unit.modality != "Prohibition":
            continue
        prohibitions[(file, unit.article, unit.sentence)] += 1
        for _, _, sanction in all_units({file: extractions[file]}):
            if unit.article in sanction.enforces and sanction.actor:
                enforced.add((file, unit.article, canonical(sanction.actor)))
    return prohibitions, enforced


def check_prohibitions(store, extractions):
    rows = run(store, "prohibitions-and-enforcers")
    distinct = {r["prohibition"]: r for r in rows}.values()
    prohibitions, enforced = expected_prohibitions(extractions)
    article = lambda r: int(r["article"]) if r["article"] else None  # noqa: E731
    assert Counter((r["file"], article(r), r["sentence"]) for r in distinct) == prohibitions
    assert {(r["file"], article(r), r["enforcer"]) for r in rows if r["enforcer"]} == enforced
    return prohibitions, enforced


def test_prohibitions_and_enforcers_on_seeds(seeds):
    """The seeds (quality-promotion texts) may hold no prohibition; the fixture test below has one."""
    check_prohibitions(*seeds)


def test_prohibitions_and_enforcers_on_a_sanctioned_fixture():
    store = open_store(MEMORY)
    load_ontology(store)
    document = make_document()
    store.replace_graph("https://w3id.org/dutygraph/id/doc/900_example",
                        build_graph(document, make_units()), document.source.checksum)
    prohibitions, enforced = check_prohibitions(store, {"900_example.txt": (document, make_units())})
    assert len(prohibitions) == 1 and enforced == {("900_example.txt", 2, MARKET)}


def test_encouragements_versus_duties(seeds):
    store, extractions = seeds
    expected = {file: (sum(u.modality == "Duty" for u in units), sum(u.modality == "Encouragement" for u in units))
                for file, (_, units) in extractions.items()}
    rows = run(store, "encouragements-vs-duties")
    assert {r["file"]: (int(r["duties"]), int(r["encouragements"])) for r in rows} == expected
    assert any(encouragements for _, encouragements in expected.values())

