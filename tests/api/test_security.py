"""The endpoint's safety: no outbound requests, read-only without the token, limits that stop work."""
from __future__ import annotations

import http.client
import http.server
import itertools
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from dutygraph.api.app import create_app
from dutygraph.api.workers import (
    INLINE_REPLY_BYTES,
    QueryJob,
    WorkerLimits,
    WorkerPool,
    network_isolation_available,
)
from tests.api.conftest import TOKEN, ServeProcess, ServerThread, fixture_folder, free_port

LIMIT = 1.5
NO_TIME_LIMIT = 500  # seconds: below pytest's own timeout, far above any honest run
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
DEEP_PATH = "SELECT (COUNT(*) AS ?n) WHERE { ?a (!<http://x/p>|^!<http://x/p>)* ?b }"
# 10 characters doubled 32 times: 40 GiB asked of a worker allowed far less.
DOUBLINGS = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(32))
JSON_RESULTS = "application/sparql-results+json"
HUGE_STRING = f'SELECT (STRLEN(?a32) AS ?n) WHERE {{ BIND("0123456789" AS ?a0) {DOUBLINGS} }}'


class Canary:
    """A loopback HTTP server that records every request it receives."""

    def __init__(self):
        self.hits: list[str] = []
        canary = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def record(self):
                canary.hits.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Content-Type", "text/turtle")
                self.end_headers()
                self.wfile.write(b"<http://canary/s> <http://canary/p> <http://canary/o> .\n")

            do_GET = do_POST = do_HEAD = record

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()


@pytest.fixture(scope="module")
def canary():
    with Canary() as server:
        httpx.get(server.url("/alive"))
        assert server.hits == ["GET /alive"]  # the canary itself hears requests
        server.hits.clear()
        yield server


@pytest.fixture(scope="module")
def limited(fixture_store):
    app = create_app(fixture_store, query_timeout=LIMIT, update_token=TOKEN, workers=2, max_result_mb=1,
                     max_body_kb=64)
    with TestClient(app) as client:
        yield client


REFUSED_QUERIES = [
    "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "select * where { service silent <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?x { <{url}> } SERVICE ?x { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <{url}> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("template", REFUSED_QUERIES)
def test_service_is_refused_before_execution(limited, canary, template):
    response = limited.get("/sparql", params={"query": template.replace("{url}", canary.url("/sparql"))})
    assert response.status_code == 403
    assert response.json()["error"] == "DG-A005"
    time.sleep(0.2)
    assert canary.hits == []


# The engine takes keywords without a word boundary (SERVICESILENT is SERVICE SILENT); a guard
# reading words out of the text took them for names and let them through. Refused as a syntax
# error (the guard's parser keeps word boundaries) or as SERVICE: never run either way.
@pytest.mark.parametrize("template", [
    "SELECT * WHERE { SERVICESILENT <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL{SERVICESILENT<{url}>{?s ?p ?o}} }",
    "ASK { FILTER EXISTS { SERVICESILENT <{url}> # }\n{ ?s ?p ?o } } }",
    # rdflib's grammar misses SERVICE right after a triple with a prefixed name: a syntax error, never run.
    "PREFIX s: <{url}#> SELECT * WHERE { ?x s:p ?y . SERVICE <{url}> { ?s ?p ?o } } # SERVICE in a comment",
])
def test_text_the_engine_reads_as_service_never_runs(limited, canary, template):
    response = limited.get("/sparql", params={"query": template.replace("{url}", canary.url("/sparql"))})
    assert response.json()["error"] in ("DG-A001", "DG-A005")
    time.sleep(0.2)
    assert canary.hits == []


@pytest.mark.parametrize("update", [
    "LOADSILENT <{url}>",
    "CLEAR SILENT GRAPH <http://example/none> ; LOADSILENT <{url}> INTO GRAPH <http://example/g>",
    "INSERT { <http://example/a> <http://example/b> ?o } WHERE { SERVICESILENT <{url}> { ?s ?p ?o } }",
    "INSERT { <http://example/a> <http://example/b> ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
])
def test_update_text_the_engine_reads_as_load_or_service_never_runs(limited, canary, update):
    response = limited.post("/sparql", content=update.replace("{url}", canary.url("/data.ttl")),
                            headers={"content-type": "application/sparql-update", "authorization": f"Bearer {TOKEN}"})
    assert response.json()["error"] in ("DG-A001", "DG-A005")
    time.sleep(0.2)
    assert canary.hits == []


@pytest.mark.parametrize("update", ["LOAD <{url}>", "LOAD SILENT <{url}> INTO GRAPH <http://example/g>"])
def test_load_is_refused_even_with_the_token(limited, canary, update):
    response = limited.post("/sparql", content=update.replace("{url}", canary.url("/data.ttl")),
                            headers={"content-type": "application/sparql-update", "authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 403
    assert response.json()["error"] == "DG-A005"
    time.sleep(0.2)
    assert canary.hits == []


@pytest.mark.parametrize("template", [
    "SELECT * FROM <{url}> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <{url}> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } FROM <file:///etc/passwd> FROM <{url}> WHERE { ?s ?p ?o }",
])
def test_from_selects_store_graphs_and_never_dereferences(limited, canary, template):
    response = limited.get("/sparql", params={"query": template.replace("{url}", canary.url("/data.ttl"))},
                           headers={"accept": "application/n-triples, application/sparql-results+json"})
    assert response.status_code == 200
    assert b"canary" not in response.content and b"root:" not in response.content
    time.sleep(0.2)
    assert canary.hits == []


def test_protocol_dataset_never_dereferences(limited, canary):
    response = limited.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": canary.url("/g"),
                                              "named-graph-uri": canary.url("/n")})
    assert response.status_code == 200
    assert response.json()["boolean"] is False
    time.sleep(0.2)
    assert canary.hits == []


@pytest.mark.parametrize("headers", [{}, {"authorization": "Bearer nope"}, {"authorization": TOKEN}])
def test_update_without_the_token_is_forbidden(limited, fixture_store, headers):
    before = len(fixture_store)
    response = limited.post("/sparql", content="INSERT DATA { <http://x/s> <http://x/p> <http://x/o> }",
                            headers={"content-type": "application/sparql-update", **headers})
    assert response.status_code == 403
    assert response.json()["error"] == "DG-A006"
    assert len(fixture_store) == before
    ask = limited.get("/sparql", params={"query": "ASK { <http://x/s> ?p ?o }"})
    assert ask.json()["boolean"] is False


def test_updates_are_refused_when_no_token_is_configured(fixture_store):
    with TestClient(create_app(fixture_store, workers=1)) as client:
        response = client.post("/sparql", data={"update": "CLEAR ALL"}, headers={"authorization": "Bearer "})
    assert response.status_code == 403


@pytest.mark.parametrize("query", [CROSS_PRODUCT, DEEP_PATH], ids=["cross-product", "deep-path"])
def test_pathological_query_is_stopped_while_trivial_queries_stay_fast(limited, query):
    # Decided by order, not by the clock (a busy machine stretches every latency): the heavy query
    # ends with the time-limit error, and trivial queries keep being answered while it runs.
    with ThreadPoolExecutor(1) as pool:
        heavy = pool.submit(limited.get, "/sparql", params={"query": query})
        answered_meanwhile = 0
        while not heavy.done():
            # a text of its own each time: a kept answer would need no worker
            ask = limited.get("/sparql", params={"query": f"ASK {{}} # {answered_meanwhile} {time.monotonic()}"})
            assert ask.status_code == 200 and ask.json()["boolean"] is True
            answered_meanwhile += not heavy.done()
            time.sleep(0.05)
        response = heavy.result()
    assert response.status_code == 504
    assert response.json()["error"] == "DG-A007"
    assert answered_meanwhile >= 3


def test_memory_limit_ends_in_an_error(fixture_store):
    # Only the memory limit may end this query: with a time limit in reach (it counts the worker's
    # start too), a busy machine turned the expected 503 into a 504.
    app = create_app(fixture_store, query_timeout=NO_TIME_LIMIT, workers=1, memory_limit_mb=700)
    with TestClient(app) as client:
        response = client.get("/sparql", params={"query": HUGE_STRING})
        assert response.status_code == 503
        assert response.json()["error"] == "DG-A008"
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_a_worker_leaves_its_address_space_to_queries(tmp_path):
    # The memory limit is on address space: a worker that reserves most of it before its first
    # query (glibc's per-thread arenas did: 600 MB for 30 MB resident) fails on start under a
    # modest limit instead of ending a heavy query.
    pool = WorkerPool(fixture_folder(tmp_path), size=1, limits=WorkerLimits(memory_bytes=700 << 20))
    try:
        pool.run(QueryJob("ASK {}", "application/sparql-results+json"), timeout=NO_TIME_LIMIT)
        (worker,) = pool.workers
        status = Path(f"/proc/{worker.process.pid}/status").read_text()
        peak_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmPeak:")))
        assert peak_kb < 350 << 10
    finally:
        pool.close()


def test_result_size_limit_ends_in_an_error_not_a_truncated_answer(limited):
    response = limited.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o . ?a ?b ?c } LIMIT 20000"})
    assert response.status_code == 507
    assert response.json()["error"] == "DG-A009"


def test_an_answer_too_big_to_read_on_the_event_loop_arrives_whole(fixture_store):
    app = create_app(fixture_store, workers=1, max_result_mb=16)
    with TestClient(app) as client:
        response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o . ?a ?b ?c } LIMIT 9000"})
    assert response.status_code == 200
    assert len(response.content) > INLINE_REPLY_BYTES
    assert len(response.json()["results"]["bindings"]) == 9000


def test_a_refused_query_sent_again_is_refused_again(limited, canary):
    query = REFUSED_QUERIES[0].replace("{url}", canary.url("/sparql"))
    for _ in range(2):
        response = limited.get("/sparql", params={"query": query})
        assert response.status_code == 403 and response.json()["error"] == "DG-A005"
    time.sleep(0.2)
    assert canary.hits == []


def test_small_answers_pass_the_result_size_limit(limited):
    response = limited.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 10"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 10


def test_oversize_body_is_refused(limited):
    query = "ASK {} #" + "x" * (65 << 10)
    response = limited.post("/sparql", content=query, headers={"content-type": "application/sparql-query"})
    assert response.status_code == 413
    assert response.json()["error"] == "DG-A010"


def test_oversize_body_without_content_length_is_refused(limited):
    def chunks():
        for _ in range(70):
            yield b"#" + b"x" * 1023

    response = limited.post("/sparql", content=chunks(), headers={"content-type": "application/sparql-query"})
    assert response.status_code == 413


def test_body_under_the_limit_is_answered(limited):
    query = "ASK {} #" + "x" * (60 << 10)
    response = limited.post("/sparql", content=query, headers={"content-type": "application/sparql-query"})
    assert response.status_code == 200


def test_cors_allows_any_origin_without_credentials(limited):
    response = limited.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://elsewhere.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    preflight = limited.options("/sparql", headers={
        "origin": "https://elsewhere.example", "access-control-request-method": "POST",
        "access-control-request-headers": "authorization"})
    assert "authorization" not in preflight.headers.get("access-control-allow-headers", "").lower()


def test_errors_that_echo_input_are_json_and_not_sniffed(limited):
    payload = "<script>alert(1)</script>"
    response = limited.get("/sparql", params={"query": payload})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"
    response = limited.get(f"/actors/{payload}/obligations")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")


def test_short_queries_get_an_extra_worker_when_every_worker_is_stuck(fixture_store):
    timeout = 6.0
    with TestClient(create_app(fixture_store, query_timeout=timeout, workers=1)) as client, ThreadPoolExecutor(1) as pool:
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200  # the warm worker is up
        heavy = pool.submit(client.get, "/sparql", params={"query": CROSS_PRODUCT})
        time.sleep(0.2)
        ask = client.get("/sparql", params={"query": "ASK { FILTER(true) }"})  # not a kept answer
        # decided by order, not by the clock: answered while the only warm worker was still busy
        assert not heavy.done()
        assert ask.status_code == 200
        assert heavy.result().status_code == 504


def test_only_another_query_gets_an_extra_worker_past_a_stuck_one(tmp_path):
    # The same query as the stuck one would be as slow: it waits for the warm worker instead of
    # starting a cold process beside it; another query gets the extra worker and is answered.
    pool = WorkerPool(fixture_folder(tmp_path), size=1)
    heavy, ask = QueryJob(CROSS_PRODUCT, JSON_RESULTS), QueryJob("ASK {}", JSON_RESULTS)
    try:
        with ThreadPoolExecutor(3) as threads:
            first = threads.submit(pool.run, heavy, 8.0)
            while not pool.all_stuck():
                time.sleep(0.05)
            same = threads.submit(pool.run, heavy, 8.0)
            other = threads.submit(pool.run, ask, 8.0)
            assert other.result() == b'{"head":{},"boolean":true}'
            assert not first.done() and not same.done()
            assert pool.extra == 0  # the one extra worker came and went; the same query got none
            assert first.exception().code == "DG-A007"
    finally:
        pool.close()


@pytest.fixture(scope="module")
def served(fixture_store):
    with ServerThread(create_app(fixture_store, update_token=TOKEN, workers=1)) as server:
        yield server


def raw_request(server, method: str, body: bytes, headers: dict[str, str]) -> int:
    """Send a request with exactly these headers (a client library would fix the Host header)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.putrequest(method, "/sparql", skip_host=True, skip_accept_encoding=True)
    for name, value in {**headers, "Content-Length": str(len(body))}.items():
        connection.putheader(name, value)
    connection.endheaders(body)
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.mark.parametrize("host", ["x> SERVICE <http://127.0.0.1:9", 'x"y', "x{y}"])
def test_a_forged_host_header_cannot_write_into_the_query(served, canary, host):
    query = raw_request(served, "POST", b"ASK {}", {"Host": host, "Content-Type": "application/sparql-query"})
    update = raw_request(served, "POST", b"CLEAR SILENT GRAPH <http://example/none>", {
        "Host": host, "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    # Refused (400) or ignored (the base IRI comes from the server's own address): never written in.
    assert query in (200, 400) and update in (204, 400)
    time.sleep(0.2)
    assert canary.hits == []


SERVE_ONCE = """
import sys
import pyoxigraph as ox
from fastapi.testclient import TestClient
from dutygraph.api.app import create_app
app = create_app(ox.Store(), workers=1)
for _ in range(2):  # started twice: said once
    with TestClient(app) as client:
        answer = client.get("/sparql", params={"query": "SELECT * { SERVICE <%s> { ?s ?p ?o } }"})
        print(answer.json()["error"])
"""


def run_server_once(canary, *wrapper: str):
    return subprocess.run([*wrapper, sys.executable, "-c", SERVE_ONCE % canary.url("/sparql")],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not shutil.which("setpriv"), reason="setpriv (util-linux) is not installed")
def test_without_network_isolation_the_server_says_so_once_and_still_refuses(canary):
    # Without CAP_SYS_ADMIN no worker can make a network namespace: an ordinary deployment.
    run = run_server_once(canary, "setpriv", "--bounding-set=-sys_admin")
    assert run.stdout.split() == ["DG-A005", "DG-A005"]
    assert run.stderr.count("DG-A101") == 1
    assert canary.hits == []


def test_with_network_isolation_there_is_no_warning(canary):
    if not network_isolation_available():
        pytest.skip("this machine gives no network namespace to the workers")
    run = run_server_once(canary)
    assert run.stdout.split() == ["DG-A005", "DG-A005"]
    assert "DG-A101" not in run.stderr


@pytest.fixture(scope="module")
def serve_process(tmp_path_factory):
    folder = fixture_folder(tmp_path_factory.mktemp("deep") / "store")
    with ServeProcess(folder, "--update-token", TOKEN, "--workers", "1") as server:
        yield server


@pytest.mark.parametrize("operation", ["query", "update"])
@pytest.mark.parametrize("open_, close", [("{", "}"), ("(", ")")], ids=["braces", "parentheses"])
def test_deep_nesting_is_refused_and_the_server_lives_on(serve_process, operation, open_, close):
    depth = 3000
    pattern = ("{" * depth + " ?s ?p ?o " + "}" * depth if open_ == "{"
               else "{ FILTER(" + "(" * depth + "1" + ")" * depth + ") }")
    text = (f"SELECT * WHERE {pattern}" if operation == "query"
            else f"DELETE WHERE {{ ?s ?p ?o }} ; INSERT {{ <http://a> <http://b> <http://c> }} WHERE {pattern}")
    headers = {"content-type": f"application/sparql-{operation}", "authorization": f"Bearer {TOKEN}"}
    response = httpx.post(serve_process.url + "/sparql", content=text, headers=headers, timeout=30)
    assert response.status_code == 400
    assert response.json()["error"] == "DG-A016"
    assert serve_process.alive()
    ask = httpx.get(serve_process.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert ask.json()["boolean"] is True


def client_from(address: str, base_url: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=60, transport=httpx.HTTPTransport(local_address=address))


def test_one_client_cannot_hold_every_worker(fixture_store):
    app = create_app(fixture_store, query_timeout=LIMIT * 2, workers=2, client_queries=1)
    with ServerThread(app) as server, client_from("127.0.0.1", server.url) as greedy, \
            client_from("127.0.0.2", server.url) as other, ThreadPoolExecutor(4) as pool:
        assert other.get("/sparql", params={"query": "ASK {}"}).status_code == 200  # the workers are up
        heavy = [pool.submit(greedy.get, "/sparql", params={"query": CROSS_PRODUCT}) for _ in range(4)]
        finished = [future.result() for future in itertools.islice(as_completed(heavy, timeout=60), 3)]
        assert [r.status_code for r in finished] == [429] * 3
        assert all(int(r.headers["retry-after"]) > 0 and r.json()["error"] == "DG-A018" for r in finished)
        answer = other.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert answer.status_code == 200 and answer.json()["boolean"] is True
        running = [future for future in heavy if not future.done()]
        assert len(running) == 1  # the other client was answered while the greedy one held a worker
        assert running[0].result().json()["error"] == "DG-A007"
