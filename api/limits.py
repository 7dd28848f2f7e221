"""ASGI middleware: a request-body size limit and `nosniff` on every response."""
from __future__ import annotations

import json

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
