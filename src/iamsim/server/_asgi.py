"""The endpoint as an ASGI application.

The application reads the whole body, hands the request to the
:class:`~iamsim.server._endpoint.Endpoint` and sends its reply. Operations
run on the event loop's thread, one at a time: the store behind them is a
single transactional file, and an operation takes well under a millisecond,
so serial execution costs nothing and needs no locking.

Imports iamsim.server only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from iamsim.server._endpoint import Endpoint, WireRequest
from iamsim.server._trail_writer import TrailWriter

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Bodies past this size are refused; AWS's largest IAM input (a policy
#: document) is 131,072 characters.
MAX_BODY_BYTES = 4 * 1024 * 1024


class Application:
    """ASGI 3 application serving one :class:`Endpoint`."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            self.endpoint.close()
            return
        if scope["type"] != "http":
            return
        body = await _read_body(receive)
        if body is None:
            await _send(send, 413, (("Content-Type", "text/plain"),), b"too large")
            return
        response = self.endpoint.handle(_wire_request(scope, body))
        await _send(send, response.status, response.headers, response.body)


def create_app(backend: Any, **options: Any) -> Application:
    """An ASGI application serving AWS's IAM, STS, Organizations and CloudTrail
    APIs over ``backend``; ``options`` go to :class:`Endpoint` (``clock``).

    Trail records are stored by a background :class:`TrailWriter`; call
    ``app.endpoint.close()`` (or run the ASGI lifespan) to store the last
    ones before the backend closes.
    """
    if "trail_writer" not in options:
        options["trail_writer"] = TrailWriter(backend)
    return Application(Endpoint(backend, **options))


def _wire_request(scope: Scope, body: bytes) -> WireRequest:
    raw_path = scope.get("raw_path")
    path = raw_path.decode("latin-1") if raw_path else str(scope.get("path", "/"))
    client = scope.get("client")
    headers = tuple(
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, value in scope.get("headers", ())
    )
    return WireRequest(
        method=str(scope.get("method", "GET")),
        path=path.partition("?")[0],
        query=bytes(scope.get("query_string", b"")).decode("latin-1"),
        headers=headers,
        body=body,
        source_ip=str(client[0]) if client else "127.0.0.1",
        secure=scope.get("scheme") == "https",
    )


async def _read_body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _send(
    send: Send, status: int, headers: tuple[tuple[str, str], ...], body: bytes
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (name.encode("latin-1"), value.encode("latin-1"))
                for name, value in headers
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
