"""A loopback HTTP server for the fetcher tests: fixed pages plus scripted faults, started by the tests themselves.

``routes`` maps a path (``/robots.txt``) to page bytes or to a callable ``route(handler, hit)`` that answers the
request itself (``hit`` counts the requests to that path, from 1). ``server.hits`` counts requests per path.
"""
from __future__ import annotations

import collections
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):  # a client that timed out and left: nothing to report
        pass


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        path = urlsplit(self.path).path
        with self.server.lock:
            self.server.hits[path] += 1
            hit = self.server.hits[path]
        route = self.server.routes.get(path)
        try:
            if route is None:
                send(self, b"<html><body>Not Found</body></html>", status=404)
            elif callable(route):
                route(self, hit)
            else:
                send(self, route)
        except (BrokenPipeError, ConnectionResetError):
            pass


def send(handler, body: bytes, *, status: int = 200, content_type: str = "text/html", headers: dict | None = None,
         declared_length: int | None = None) -> None:
    """Answer with ``body``; ``declared_length`` announces a different Content-Length (truncation)."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body) if declared_length is None else declared_length))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def fail_first(n: int, body: bytes, *, status: int = 500):
    """Answer ``status`` to the first ``n`` requests, then the page."""
    def route(handler, hit):
        send(handler, b"busy" if hit <= n else body, status=status if hit <= n else 200)
    return route


def slow_first(n: int, body: bytes, *, seconds: float):
    """Wait ``seconds`` before answering the first ``n`` requests (longer than the client's timeout)."""
    def route(handler, hit):
        if hit <= n:
            time.sleep(seconds)
        send(handler, body)
    return route


def truncated(body: bytes, *, times: int | None = None):
    """Announce the full length but send half the body and close (the first ``times`` requests; None = always)."""
    def route(handler, hit):
        if times is None or hit <= times:
            send(handler, body[: len(body) // 2], declared_length=len(body))
            handler.close_connection = True
        else:
            send(handler, body)
    return route


def redirect(location: str, *, status: int = 302):
    """Redirect to ``location``."""
    def route(handler, hit):
        send(handler, b"", status=status, headers={"Location": location})
    return route


def page(body: bytes, *, content_type: str):
    """The page with a given Content-Type header (e.g. a charset)."""
    def route(handler, hit):
        send(handler, body, content_type=content_type)
    return route


class LoopbackServer:
    """``with LoopbackServer(routes) as server:`` serves on ``server.url`` (127.0.0.1, a free port)."""

    def __init__(self, routes: dict):
        self.routes = routes

    def __enter__(self) -> "LoopbackServer":
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.routes, self._server.hits, self._server.lock = self.routes, collections.Counter(), threading.Lock()
        self.hits = self._server.hits
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
