"""The sandbox over real HTTP on loopback, for the CLI's ``sandbox serve`` and for benchmarks.

It reuses ``SandboxAPI.respond`` so a real socket sees exactly what the in-process transport
sees. The standard library's threading server is enough: pages are slices of cached id lists,
and keep-alive (HTTP/1.1 with Content-Length) spares a benchmark a TCP handshake per page.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from cleverwizard.sandbox.api import SandboxAPI


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SandboxServer

    def _serve(self) -> None:
        api = self.server.api
        length = int(self.headers.get("Content-Length") or 0)
        content = self.rfile.read(length) if length else b""
        if api.faults.latency > 0:
            time.sleep(api.faults.latency)
        host = self.headers.get("Host") or f"{self.server.host}:{self.server.port}"
        request = httpx.Request(
            self.command, f"http://{host}{self.path}", headers=list(self.headers.items()), content=content
        )
        response = api.respond(request)
        body = response.content
        self.send_response(response.status_code)
        for name, value in response.headers.items():
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a benchmark serving thousands of pages should not flood standard error."""


class SandboxServer(ThreadingHTTPServer):
    """A threading HTTP server bound to one ``SandboxAPI``; ``close()`` stops it cleanly."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, api: SandboxAPI, host: str, port: int) -> None:
        self._thread: threading.Thread | None = None  # first: a failed bind calls server_close()
        super().__init__((host, port), _Handler)
        self.api = api
        self.host = host
        self.port = int(self.server_address[1])
        self.base_url = f"http://{host}:{self.port}{api.base_path}"

    def start(self) -> None:
        """Serve from a daemon thread; returns at once."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self.serve_forever, kwargs={"poll_interval": 0.05}, name="sandbox-server", daemon=True
            )
            self._thread.start()

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Serve until shut down; if a background thread already serves, just wait for it.

        So a caller that got a started server from ``serve()`` may still call
        ``serve_forever()`` (the CLI does) and stop it with ctrl+c.
        """
        thread = self._thread
        if thread is None or thread is threading.current_thread():
            super().serve_forever(poll_interval)
            return
        while thread.is_alive():
            thread.join(0.2)

    def server_close(self) -> None:
        """Stop the background thread, if any, then release the socket."""
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread() and thread.is_alive():
            self.shutdown()
            thread.join(timeout=5)
        super().server_close()

    def close(self) -> None:
        """Stop serving and release the port; safe to call twice."""
        self.server_close()

    def __enter__(self) -> SandboxServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def serve(
    api: SandboxAPI, host: str = "127.0.0.1", port: int = 0, *, background: bool = True
) -> tuple[SandboxServer, str]:
    """Bind the sandbox to ``host:port`` (0 picks a free port) and return it with its base URL.

    With ``background`` (the default) it already serves from a daemon thread; call
    ``server.close()`` (or ``server_close()``) when done. ``serve_forever()`` works either way:
    it serves in the calling thread, or waits on the background one until ctrl+c.
    """
    server = SandboxServer(api, host, port)
    if background:
        server.start()
    return server, server.base_url
