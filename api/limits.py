"""ASGI middleware: a request-body size limit, a cap on each client's running queries, and
`nosniff` on every response."""
from __future__ import annotations

import json
import threading
from collections import Counter

from dutygraph.errors import CATALOGUE


async def refuse_body(send, max_bytes: int) -> None:
    body = json.dumps(
        {"error": "DG-A010", "message": CATALOGUE["DG-A010"], "detail": f"limit {max_bytes} bytes"}
    ).encode()
    await send({"type": "http.response.start", "status": 413, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    """Refuse bodies over `max_bytes` with 413, whether or not Content-Length announces them.

    The body is read up front (it is small by construction) and replayed to the app, so the app
    never starts on a request it would have to abandon halfway.
    """

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            return await refuse_body(send, self.max_bytes)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                return await refuse_body(send, self.max_bytes)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        return await self.app(scope, replay, send)


class NoSniff:
    """Browsers must take each response for its declared type (no HTML guessed from JSON/text)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_header(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"x-content-type-options", b"nosniff")]
            await send(message)

        return await self.app(scope, receive, send_with_header)


# Routes whose requests hold a query worker while they run.
QUERY_ROUTES = ("/sparql", "/store", "/actors", "/instruments", "/provisions")
RETRY_AFTER_SECONDS = 1


class ClientFairness:
    """At most `per_client` requests that run queries at once from one client address; beyond
    that 429 with Retry-After, so one client cannot hold every worker while others wait."""

    def __init__(self, app, per_client: int):
        self.app = app
        self.per_client = per_client
        self.running: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith(QUERY_ROUTES):
            return await self.app(scope, receive, send)
        client = (scope.get("client") or ("-", 0))[0]
        with self.lock:
            admitted = self.running[client] < self.per_client
            if admitted:
                self.running[client] += 1
        if not admitted:
            return await refuse_busy_client(send, self.per_client)
        try:
            return await self.app(scope, receive, send)
        finally:
            with self.lock:
                self.running[client] -= 1
                if not self.running[client]:
                    del self.running[client]


async def refuse_busy_client(send, per_client: int) -> None:
    body = json.dumps({"error": "DG-A018", "message": CATALOGUE["DG-A018"],
                       "detail": f"at most {per_client} at once from one client"}).encode()
    await send({"type": "http.response.start", "status": 429, "headers": [
        (b"content-type", b"application/json"), (b"retry-after", str(RETRY_AFTER_SECONDS).encode())]})
    await send({"type": "http.response.body", "body": body})
