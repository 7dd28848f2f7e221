"""The actor scheme (ontology/actors.ttl) as the graph and API stages use it."""
from __future__ import annotations

import hashlib
import re

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from dutygraph.extract.actors import ACTOR_BASE, actor_iri, canonical_actor_name, load_actor_scheme
from tests.shared import PROJECT, shared_path


def test_concept_is_found_by_every_kind_of_label() -> None:
    scheme = load_actor_scheme()
    market = scheme.concept_for("市场监督管理部门")
    assert market is not None and market.key == "market-regulation-department"
    assert scheme.concept_for("市场监管") is market
    assert scheme.concept_for("市場監督管理部門") is market
    assert scheme.concept_for(market.en) is market
    assert ("市場監督管理部門", "zh-Hant") in market.alt_labels


def test_abbreviations_resolve_to_their_canonical_names() -> None:
    for written, canonical in (("发展改革", "发展和改革部门"), ("住房城乡建设", "住房和城乡建设部门"),
                               ("水行政", "水利部门"), ("金融监管", "金融监督管理部门"), ("国资", "国有资产监督管理部门"),
                               ("科研机构", "科研院所"), ("检验机构", "检验检测机构"), ("银行业机构", "银行业金融机构")):
        assert canonical_actor_name(written) == canonical, written


def test_actor_iri_uses_the_scheme_key_or_a_name_hash() -> None:
    assert actor_iri("企业") == ACTOR_BASE + "enterprise"
    name = "节能服务机构"
    assert actor_iri(name) == ACTOR_BASE + "x-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]
    assert canonical_actor_name(name) == name


def test_predecessor_agencies_are_linked_not_merged() -> None:
    scheme = load_actor_scheme()
    former = scheme.concept_for("质量技术监督部门")
    assert former is not None and former.pref == "质量技术监督部门"
    assert former is not scheme.concept_for("市场监督管理部门")
    graph = Graph().parse(PROJECT / "ontology" / "actors.ttl")
    assert (URIRef(former.iri), DCTERMS.isReplacedBy, URIRef(ACTOR_BASE + "market-regulation-department")) in graph


def test_departments_sit_under_government() -> None:
    scheme = load_actor_scheme()
    by_key = {concept.key: concept for concept in scheme.concepts}
    department = scheme.concept_for("财政部门")
    assert department.broader == ("government-department",)
    assert "people-s-government" in by_key["government-department"].broader
    graph = Graph().parse(PROJECT / "ontology" / "actors.ttl")
    assert (URIRef(scheme.concept_for("经济和信息化部门").iri), SKOS.closeMatch,
            URIRef(scheme.concept_for("工业和信息化部门").iri)) in graph


def test_every_concept_has_an_english_label_and_unique_labels() -> None:
    scheme = load_actor_scheme()
    assert all(concept.en for concept in scheme.concepts)
    prefs = [concept.pref for concept in scheme.concepts]
    assert len(prefs) == len(set(prefs))


def test_every_canonical_name_of_the_guidelines_is_a_preferred_label() -> None:
    guidelines = shared_path("spec", "annotation-guidelines.md").read_text(encoding="utf-8")
    section = guidelines.split("## 8.", 1)[1].split("\n## ", 1)[0]
    names = [re.sub(r"\s*\(.*", "", part).strip() for part in re.split(r"·", section.split("\n", 1)[1])]
    scheme = load_actor_scheme()
    prefs = {concept.pref for concept in scheme.concepts}
    missing = [name for name in names if name and name not in prefs]
    assert not missing
