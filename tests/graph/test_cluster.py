"""Extraction on a Dask cluster (two worker processes on loopback) builds the graph a local ingest builds."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from dutygraph.errors import DutygraphError
from dutygraph.graph.ingest import ingest_paths
from dutygraph.graph.store import MEMORY, open_store
from tests.graph.conftest import free_port
from tests.graph.rdfcompare import isomorphic_datasets
from tests.graph.seedstore import seed_nquads
from tests.shared import SEEDS

distributed = pytest.importorskip("distributed", reason="dask[distributed] is not installed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as local, distributed.Client(local) as client:
        yield local.scheduler_address, client


def executed_on_workers(client) -> int:
    return sum(client.run(lambda dask_worker: dask_worker.state.executed_count).values())


def test_cluster_ingest_is_isomorphic_to_a_local_ingest(cluster):
    address, client = cluster
    before = executed_on_workers(client)
    store = open_store(MEMORY)
    report = ingest_paths([SEEDS], store, scheduler=address)
    assert report.ok and len(report.added) == 5
    assert executed_on_workers(client) - before == 5  # one task per document, run by the workers
    assert isomorphic_datasets(store.dump(ox.RdfFormat.N_QUADS), seed_nquads())


def test_a_bad_file_on_the_cluster_is_reported_and_the_rest_go_on(cluster, tmp_path):
    address, _ = cluster
    (tmp_path / "900_empty.txt").write_bytes(b"")
    (tmp_path / "901_seed.txt").write_bytes((SEEDS / "001_18aaf2e0bf01b38b.txt").read_bytes())
    report = ingest_paths([tmp_path], open_store(MEMORY), scheduler=address)
    assert report.added == ["901_seed.txt"] and report.failed == ["900_empty.txt"]
    assert [problem.code for problem in report.problems if problem.source == "900_empty.txt"] == ["DG-R001"]


def test_an_unreachable_scheduler_is_a_coded_error(tmp_path, monkeypatch):
    monkeypatch.setattr("dutygraph.graph.cluster.CONNECT_TIMEOUT", "2s")
    with pytest.raises(DutygraphError) as caught:
        ingest_paths([SEEDS], open_store(MEMORY), scheduler=f"tcp://127.0.0.1:{free_port()}")
    assert caught.value.code == "DG-G060"


def test_the_cli_reads_the_scheduler_from_the_environment(cluster, tmp_path, monkeypatch, capsys):
    from dutygraph.cli import main

    address, client = cluster
    monkeypatch.setenv("DUTYGRAPH_SCHEDULER", address)
    before = executed_on_workers(client)
    assert main(["ingest", str(SEEDS / "000_1c62b5ba5ae13ae9.txt"), "--store", str(tmp_path / "store")]) == 0
    assert executed_on_workers(client) - before == 1
    assert "1 added" in capsys.readouterr().out
