"""The ingest, export, validate, query and stats verbs, end to end over the fixture pipeline."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pyoxigraph as ox
import pytest

from dutygraph.cli import main
from dutygraph.errors import DutygraphError
from dutygraph.graph import ids
from dutygraph.graph.query import display_width, syntax_position, with_prefixes
from tests.graph.fixtures import TEXT

FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
           "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}


@pytest.fixture
def ingested(tmp_path, fake_extract, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "900_example.txt").write_text(TEXT, encoding="utf-8")
    store = str(tmp_path / "store")
    assert main(["ingest", str(tmp_path / "in"), "--store", store]) == 0
    capsys.readouterr()
    return store


def test_ingest_summary_counts_documents_and_units(tmp_path, fake_extract, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "900_example.txt").write_text(TEXT, encoding="utf-8")
    assert main(["ingest", str(tmp_path / "in"), "--store", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out
    assert "1 added, 0 replaced, 0 skipped (unchanged), 0 failed" in out
    assert "Duty 4, Prohibition 1, Permission 0, Encouragement 1" in out
    assert main(["ingest", str(tmp_path / "in"), "--store", str(tmp_path / "s")]) == 0
    assert "0 added, 0 replaced, 1 skipped" in capsys.readouterr().out


def test_ingest_exits_1_and_names_the_failed_file(tmp_path, fake_extract, monkeypatch, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "900_example.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "in" / "904_bad.txt").write_text(TEXT, encoding="utf-8")

    def extract(path):
        if path.name == "904_bad.txt":
            raise DutygraphError("DG-R001", path.name)
        return fake_extract(path)

    monkeypatch.setattr("dutygraph.graph.ingest.extract_lazily", extract)
    assert main(["ingest", str(tmp_path / "in"), "--store", str(tmp_path / "s")]) == 1
    out = capsys.readouterr().out
    assert "1 added" in out and "1 failed" in out and "904_bad.txt: DG-R001" in out


def test_ingest_leaves_no_spool_files_whatever_happens_to_a_document(tmp_path, fake_extract, monkeypatch, capsys):
    """Each document's graph waits in an N-Quads file between extraction and the store: it goes
    once stored, and also when extraction or the store write fails."""
    from dutygraph.graph.store import EmbeddedStore

    spools = tmp_path / "tmp"
    spools.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(spools))
    (tmp_path / "in").mkdir()
    for name in ("900_example.txt", "904_bad.txt", "905_refused.txt"):
        (tmp_path / "in" / name).write_text(TEXT + name, encoding="utf-8")

    def extract(path):
        if path.name == "904_bad.txt":
            raise DutygraphError("DG-R001", path.name)
        return fake_extract(path)

    load_graph = EmbeddedStore.load_graph

    def refusing_store(self, graph, ntriples, checksum, *, new):
        if graph.endswith("905_refused"):
            assert list(spools.iterdir()), "the document's graph should be waiting in a spool file"
            raise DutygraphError("DG-G001", "store", "disk full")
        load_graph(self, graph, ntriples, checksum, new=new)

    monkeypatch.setattr("dutygraph.graph.ingest.extract_lazily", extract)
    monkeypatch.setattr(EmbeddedStore, "load_graph", refusing_store)
    assert main(["ingest", str(tmp_path / "in"), "--store", str(tmp_path / "s")]) == 1
    out = capsys.readouterr().out
    assert "1 added" in out and "2 failed" in out
    assert not list(spools.iterdir())


def test_ingest_without_inputs_is_a_coded_error(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["ingest", str(tmp_path / "empty"), "--store", str(tmp_path / "s")]) == 2
    assert "DG-C001" in capsys.readouterr().err


@pytest.mark.parametrize("name", FORMATS)
def test_export_writes_parseable_rdf(ingested, tmp_path, name):
    out = tmp_path / f"graph.{name}"
    assert main(["export", "--store", ingested, "--format", name, "--out", str(out)]) == 0
    parsed = list(ox.parse(path=str(out), format=FORMATS[name]))
    doc = ox.NamedNode(ids.instrument_iri("900_example"))
    assert any(q.subject == doc and q.predicate.value == ids.NS + "sourceFile" for q in parsed)


def test_validate_store_conforms_and_a_broken_file_does_not(ingested, tmp_path, capsys):
    assert main(["validate", "--store", ingested]) == 0
    assert "conforms" in capsys.readouterr().out
    dump = tmp_path / "g.nq"
    main(["export", "--store", ingested, "--format", "nquads", "--out", str(dump)])
    article = f"{ids.instrument_iri('900_example')}/art/2"
    broken = dump.read_text(encoding="utf-8").replace(
        f'<{article}> <{ids.NS}articleNumber> "2"^^<http://www.w3.org/2001/XMLSchema#integer>',
        f'<{article}> <{ids.NS}articleNumber> "two"')
    (tmp_path / "broken.nq").write_text(broken, encoding="utf-8")
    assert main(["validate", "--data", str(tmp_path / "broken.nq")]) == 1
    report = capsys.readouterr().out
    assert "900_example.txt, article 2: article number must be one xsd:integer" in report


def test_query_formats(ingested, tmp_path, capsys):
    sparql = "SELECT ?file WHERE { ?d a dg:Instrument ; dg:sourceFile ?file }"
    assert main(["query", "--store", ingested, sparql]) == 0
    assert "900_example.txt" in capsys.readouterr().out
    main(["query", "--store", ingested, sparql, "--format", "json"])
    answer = json.loads(capsys.readouterr().out)
    assert [b["file"]["value"] for b in answer["results"]["bindings"]] == ["900_example.txt"]
    (tmp_path / "q.rq").write_text(sparql, encoding="utf-8")
    main(["query", "--store", ingested, f"@{tmp_path / 'q.rq'}", "--format", "csv"])
    assert capsys.readouterr().out.split() == ["file", "900_example.txt"]


def test_stats_json(ingested, capsys):
    assert main(["stats", "--store", ingested, "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["documents"] == 1 and stats["units"] == 6
    assert stats["units_by_modality"]["Duty"] == 4 and stats["units_by_modality"]["Prohibition"] == 1
    assert stats["top_actors"][0]["label"] == "企业" and stats["top_actors"][0]["units"] == 3
    assert stats["triples"] > 100


def test_a_query_error_points_at_the_users_own_line(ingested, capsys):
    """The prefixes the CLI supplies are not counted: line and column are those of the text typed."""
    typed = "SELECT ?ob WHERE {\n  ?ob dg:modality ?m\n  FILTER(?m = )\n}"
    declared = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in ids.PREFIXES.items())
    with pytest.raises(SyntaxError) as raised:  # the engine, on the same text with the prefixes on lines of their own
        ox.Store().query(declared + typed)
    expected = syntax_position(str(raised.value))
    assert main(["query", "--store", ingested, typed]) == 2
    err = capsys.readouterr().err
    assert "DG-G002" in err
    assert f"line {expected.line - len(ids.PREFIXES)}, column {expected.column}" in err


def test_options_are_never_abbreviated(ingested, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["stats", "--stor", ingested])
    assert exited.value.code == 2 and "--stor" in capsys.readouterr().err


def test_ingest_of_a_missing_path_leaves_no_store_behind(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["ingest", str(tmp_path / "no-such-folder"), "--store", str(store)]) == 2
    assert "DG-C002" in capsys.readouterr().err
    assert not store.exists()


@pytest.mark.parametrize("verb", [["stats"], ["query", "SELECT * { ?s ?p ?o }"], ["export", "--format", "turtle"],
                                  ["validate"], ["serve", "--port", "0"]])
def test_reading_a_missing_store_says_how_to_make_one(tmp_path, capsys, verb):
    store = tmp_path / "nothing-here"
    assert main([verb[0], "--store", str(store), *verb[1:]]) == 2
    assert "DG-G007" in capsys.readouterr().err
    assert not store.exists()


def test_a_table_fits_the_terminal(ingested, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    sparql = "SELECT ?ob ?sentence WHERE { ?ob dg:sentence ?sentence }"
    rows = open_store_rows(ingested, sparql)
    assert max(len(row["ob"].value) + 2 + display_width(row["sentence"].value) for row in rows) > 60  # too wide
    assert main(["query", "--store", ingested, sparql]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(display_width(line) <= 60 for line in lines)
    assert len(lines) == len(rows) + 3 and any(line.endswith("…") for line in lines)


def open_store_rows(location: str, sparql: str):
    from dutygraph.graph.store import open_store

    store = open_store(location, read_only=True)
    try:
        return list(store.query(with_prefixes(sparql)))
    finally:
        store.close()


def big_and_small(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "900_example.txt").write_text(TEXT, encoding="utf-8")
    (folder / "905_big.txt").write_text(TEXT * (3 * (1 << 20) // len(TEXT.encode())), encoding="utf-8")
    return folder


@pytest.mark.parametrize("how", ["option", "environment"])
def test_files_over_the_size_limit_fail_with_a_code_and_the_rest_go_through(tmp_path, fake_extract, monkeypatch,
                                                                             capsys, how):
    read = []
    monkeypatch.setattr("dutygraph.graph.ingest.extract_lazily", lambda path: read.append(path.name) or fake_extract(path))
    options = ["--max-file-mb", "2"] if how == "option" else []
    if how == "environment":
        monkeypatch.setenv("DUTYGRAPH_MAX_FILE_MB", "2")
    assert main(["ingest", str(big_and_small(tmp_path)), "--store", str(tmp_path / "s"), *options]) == 1
    out = capsys.readouterr().out
    assert "1 added, 0 replaced, 0 skipped (unchanged), 1 failed" in out
    assert "905_big.txt: DG-R008" in out
    assert read == ["900_example.txt"]


def test_the_default_size_limit_lets_a_few_megabytes_through(tmp_path, fake_extract, capsys):
    assert main(["ingest", str(big_and_small(tmp_path)), "--store", str(tmp_path / "s")]) == 0
    assert "2 added" in capsys.readouterr().out


def test_files_named_explicitly_are_checked_before_anything_is_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    other_fifo = tmp_path / "scan.pdf"
    os.mkfifo(other_fifo)
    run = subprocess.run([sys.executable, "-m", "dutygraph", "ingest", str(fifo), str(other_fifo),
                          "--store", str(tmp_path / "s")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "pipe.txt: DG-R005" in run.stdout and "scan.pdf: DG-R005" in run.stdout


def test_a_named_file_of_an_unsupported_kind_is_refused_unread(tmp_path, fake_extract, monkeypatch, capsys):
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7")
    monkeypatch.setattr("dutygraph.graph.ingest.file_checksum", lambda path: pytest.fail(f"{path} was read"))
    assert main(["ingest", str(tmp_path / "scan.pdf"), "--store", str(tmp_path / "s")]) == 1
    assert "scan.pdf: DG-R004" in capsys.readouterr().out


@pytest.mark.parametrize("verb", [["stats"], ["stats", "--json"], ["query", "SELECT * WHERE { ?s ?p ?o }"],
                                  ["export", "--format", "turtle"]])
def test_a_reader_that_went_away_gets_no_traceback(ingested, verb):
    # `dutygraph stats | head -1`: the reading end closes before everything is written.
    read_end, write_end = os.pipe()
    os.close(read_end)
    run = subprocess.run([sys.executable, "-m", "dutygraph", *verb, "--store", ingested], stdout=write_end,
                         stderr=subprocess.PIPE, text=True, timeout=300)
    os.close(write_end)
    assert "Traceback" not in run.stderr and "BrokenPipeError" not in run.stderr, run.stderr
    assert run.returncode == 141


def test_compact_csv_names_iris_as_the_table_does(ingested, capsys):
    sparql = "SELECT ?modality (COUNT(*) AS ?units) WHERE { ?ob dg:modality ?modality } GROUP BY ?modality ORDER BY ?modality"
    assert main(["query", "--store", ingested, sparql]) == 0
    table = capsys.readouterr().out
    assert main(["query", "--store", ingested, sparql, "--format", "csv", "--compact"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["modality", "units"] and ["dg:Duty", "4"] in rows and "dg:Duty" in table
    assert main(["query", "--store", ingested, sparql, "--format", "csv"]) == 0
    assert "https://w3id.org/dutygraph/ns#Duty" in capsys.readouterr().out
    assert main(["query", "--store", ingested, sparql, "--format", "json", "--compact"]) != 0
    assert "DG-C008" in capsys.readouterr().err
