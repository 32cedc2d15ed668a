"""Running the endpoint over HTTP with uvicorn, in the foreground or a thread.

uvicorn is an optional dependency (the ``server`` extra); it is imported only
when a server starts. Logging is left to the caller: uvicorn's own logging
configuration and access log are turned off, since the endpoint writes one
line per request itself.

Imports iamsim.server only.
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType
from typing import Any

from iamsim.errors import Unsupported
from iamsim.server._asgi import Application, create_app

LOOPBACK = "127.0.0.1"
#: How long a background server may take to start or stop.
START_TIMEOUT_SECONDS = 10.0
STOP_TIMEOUT_SECONDS = 10.0


def serve(backend: Any, host: str, port: int) -> None:
    """Serve ``backend`` on ``host``:``port`` until interrupted."""
    app = create_app(backend)
    server = _uvicorn_server(app, host, port)
    try:
        server.run()
    finally:
        app.endpoint.close()


class BackgroundServer:
    """The endpoint on a free loopback port, in a daemon thread.

    Use as a context manager, or call :meth:`start` and :meth:`stop`::

        with BackgroundServer(backend) as server:
            boto3.client("sts", endpoint_url=server.endpoint_url, ...)
    """

    def __init__(
        self,
        backend: Any,
        *,
        host: str = LOOPBACK,
        port: int = 0,
        **options: Any,
    ) -> None:
        self.app: Application = create_app(backend, **options)
        self._socket = socket.socket(
            socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP
        )
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.host, self.port = self._socket.getsockname()[:2]
        self._server = _uvicorn_server(self.app, self.host, self.port)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name=f"iamsim-server-{self.port}",
            daemon=True,
        )

    @property
    def endpoint_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> BackgroundServer:
        """Start serving; returns once the port accepts requests."""
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self._socket.close()
                raise RuntimeError(f"the server on {self.endpoint_url} did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread to finish."""
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(STOP_TIMEOUT_SECONDS)
        self._socket.close()
        self.app.endpoint.close()

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


def _uvicorn_server(app: Application, host: str, port: int) -> Any:
    try:
        import uvicorn
    except ImportError:
        raise Unsupported(
            "serving over HTTP needs uvicorn",
            hint="install iamsim[server]",
        ) from None
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=1,
    )
    return uvicorn.Server(config)
