"""`dutygraph export` narrows every format with the same filters as GET /export/{format}."""
from __future__ import annotations

import networkx as nx
import pyoxigraph as ox

from dutygraph.cli import main
from tests.graph.seedstore import seed_store

DG = "https://w3id.org/dutygraph/ns#"


def test_filters_narrow_a_network_export(tmp_path):
    folder = tmp_path / "store"
    seed_store(folder).close()
    out = tmp_path / "duties.graphml"
    assert main(["export", "--store", str(folder), "--format", "graphml", "--view", "bipartite",
                 "--actor", "市場監督管理部門", "--jurisdiction", "湖北省", "--out", str(out)]) == 0
    graph = nx.read_graphml(out)
    actors = {data["label"] for _, data in graph.nodes(data=True) if data["kind"] == "actor"}
    instruments = {data["label"] for _, data in graph.nodes(data=True) if data["kind"] == "instrument"}
    assert actors == {"市场监督管理部门"}
    assert instruments == {"湖北省质量促进条例（草案）"}


def test_filters_narrow_an_rdf_export(tmp_path):
    folder = tmp_path / "store"
    seed_store(folder).close()
    out = tmp_path / "support.nt"
    assert main(["export", "--store", str(folder), "--format", "ntriples", "--modality", "Support",
                 "--out", str(out)]) == 0
    exported = ox.Store()
    exported.load(path=str(out), format=ox.RdfFormat.N_TRIPLES)
    modalities = {row["m"].value for row in exported.query(f"SELECT DISTINCT ?m {{ ?o <{DG}modality> ?m }}")}
    assert modalities == {DG + "Support"}
