"""The web app factory: SPARQL endpoint, REST lookup, exports and pages over one store."""
from __future__ import annotations

import contextlib
import os
import weakref
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import fastapi
from fastapi import Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from dutygraph import __version__
from dutygraph.api import compare, exports, graph_store, pages, rest, sparql
from dutygraph.api.backends import Backend, open_backend
from dutygraph.api.limits import BodySizeLimit, ClientFairness, NoSniff
from dutygraph.api.workers import WorkerLimits, warn_once_if_not_isolated
from dutygraph.errors import CATALOGUE, DutygraphError
from dutygraph.graph.query import syntax_position

# HTTP status of each coded error; codes of other stages that reach the API are the store's.
STATUS_BY_CODE = {
    "DG-A001": 400,
    "DG-A002": 400,
    "DG-A003": 415,
    "DG-A004": 406,
    "DG-A005": 403,
    "DG-A006": 403,
    "DG-A007": 504,
    "DG-A008": 503,
    "DG-A009": 507,
    "DG-A010": 413,
    "DG-A011": 503,
    "DG-A012": 404,
    "DG-A013": 404,
    "DG-A014": 502,
    "DG-A015": 500,
    "DG-A016": 400,
    "DG-A017": 500,
    "DG-A018": 429,
    "DG-A019": 400,
    "DG-G002": 400,
    "DG-G052": 400,
    "DG-G053": 400,
    "DG-C005": 404,
    "DG-C006": 409,
    "DG-C007": 400,
}
SYNTAX_CODES = {"DG-A001", "DG-G002"}


@dataclass(frozen=True)
class Settings:
    store: object
    backend: Backend
    query_timeout: float
    update_token: str | None


def error_response(request: Request, error: DutygraphError) -> JSONResponse:
    problem = error.problem
    body = {"error": problem.code, "message": CATALOGUE[problem.code], "detail": problem.detail}
    # The endpoint sends the user's text to the engine unchanged, so its positions are the user's.
    position = syntax_position(problem.detail) if problem.code in SYNTAX_CODES else None
    if position is not None:
        body.update(detail=str(position), line=position.line, column=position.column)
    return JSONResponse(body, status_code=STATUS_BY_CODE.get(problem.code, 500))


def create_app(
    store,
    *,
    query_timeout: float = 30.0,
    update_token: str | None = None,
    workers: int | None = None,
    memory_limit_mb: int = 2048,
    max_result_mb: int = 64,
    max_body_kb: int = 1024,
    client_queries: int | None = None,
    answer_cache_mb: int = 64,
) -> fastapi.FastAPI:
    """The app over `store` (a dutygraph Store or a pyoxigraph.Store).

    Queries run in `workers` warm processes (default: twice the CPU count, at most 16), each stopped at
    `query_timeout` seconds, `memory_limit_mb` of address space and `max_result_mb` of answer;
    updates need `update_token` (none: read-only). One client address runs at most
    `client_queries` queries at once (default: half the workers, at least 2). Answers to repeated
    deterministic queries are kept, `answer_cache_mb` of them, until the store changes (0: none).
    """
    limits = WorkerLimits(memory_bytes=memory_limit_mb << 20, result_bytes=max_result_mb << 20,
                          kept_answer_bytes=answer_cache_mb << 20)
    workers = workers or min(16, 2 * (os.cpu_count() or 1))
    backend = open_backend(store, workers=workers, limits=limits)
    # Threads only wait on workers (the work is in processes), so there can be many.
    executor = ThreadPoolExecutor(max_workers=64, thread_name_prefix="sparql")

    @contextlib.asynccontextmanager
    async def lifespan(app: fastapi.FastAPI):
        warn_once_if_not_isolated()
        backend.start()
        yield
        backend.close()

    def shutdown() -> None:
        backend.close()
        executor.shutdown(wait=False, cancel_futures=True)

    app = fastapi.FastAPI(
        title="dutygraph",
        version=__version__,
        description="Obligations in Chinese quality-governance regulations: SPARQL 1.1 endpoint and REST lookup.",
        lifespan=lifespan,
        # /docs is the pages router's, with Swagger UI bundled; ReDoc would need a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = Settings(store, backend, query_timeout, update_token)
    app.state.store = store
    app.state.executor = executor
    weakref.finalize(app, shutdown)
    app.add_exception_handler(DutygraphError, error_response)
    app.add_middleware(
        CORSMiddleware, allow_origins=["*"], allow_credentials=False, allow_methods=["GET", "POST"], allow_headers=["Content-Type", "Accept"]
    )
    app.add_middleware(NoSniff)
    app.add_middleware(BodySizeLimit, max_bytes=max_body_kb << 10)
    app.add_middleware(ClientFairness, per_client=client_queries or max(2, workers // 2))
    app.include_router(sparql.router)
    app.include_router(graph_store.router)
    app.include_router(rest.router)
    app.include_router(exports.router)
    app.include_router(pages.router)
    app.include_router(compare.router)
    return app
