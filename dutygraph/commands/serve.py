"""`dutygraph serve`: the SPARQL endpoint, REST API and pages over the store, with uvicorn."""
from __future__ import annotations

import argparse
import os


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    parser.add_argument("--query-timeout", type=float, default=30.0, metavar="SECONDS",
                        help="each SPARQL query is stopped after this many seconds (default: 30)")
    parser.add_argument("--update-token", default=os.environ.get("DUTYGRAPH_UPDATE_TOKEN"), metavar="TOKEN",
                        help="accept SPARQL updates sent with 'Authorization: Bearer TOKEN' "
                             "(default: $DUTYGRAPH_UPDATE_TOKEN; none: read-only)")
    parser.add_argument("--workers", type=int, default=None,
                        help="query worker processes (default: twice the CPU count, at most 16)")
    parser.add_argument("--client-queries", type=int, default=None, metavar="N",
                        help="queries one client address may run at once; more get 429 with Retry-After "
                             "(default: half the workers, at least 2)")
    parser.add_argument("--answer-cache-mb", type=int, default=64, metavar="MB",
                        help="answers to repeated deterministic queries kept until the store changes "
                             "(default: 64; 0: every query runs)")
    parser.add_argument("--access-log", action="store_true",
                        help="print one line per request (off by default: it costs a tenth of a short query)")


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from dutygraph.api.app import create_app
    from dutygraph.graph.store import open_store

    # Without a token nothing writes, so the server holds the store read-only like its workers.
    store = open_store(args.store, read_only=not args.update_token)
    app = create_app(store, query_timeout=args.query_timeout, update_token=args.update_token, workers=args.workers,
                     client_queries=args.client_queries, answer_cache_mb=args.answer_cache_mb)
    uvicorn.run(app, host=args.host, port=args.port, access_log=args.access_log)
    store.close()
    return 0
