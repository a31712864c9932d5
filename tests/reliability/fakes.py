"""Things that are not Mastodon, for bad-input and origin tests: a plain web server and an address
where nothing listens."""
from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import urlsplit


@dataclass
class Request:
    method: str
    path: str
    body: bytes


# A route answers (status, headers, body); `server` lets it name its own address.
Route = Callable[["FakeServer", Request], tuple[int, dict[str, str], bytes]]


@dataclass
class FakeServer:
    """A tiny HTTP server on a loopback address that records every request it gets."""

    host: str = "127.0.0.1"
    routes: dict[str, Route] = field(default_factory=dict)
    default: Route | None = None
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                request = Request(self.command, self.path, self.rfile.read(length) if length else b"")
                fake.requests.append(request)
                route = fake.routes.get(urlsplit(self.path).path) or fake.default
                status, headers, body = route(fake, request) if route else (404, {}, b"Not Found")
                self.send_response(status)
                for name, value in {"content-type": "text/html; charset=utf-8", **headers}.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

            def log_message(self, *args) -> None:  # quiet
                pass

        self.httpd = ThreadingHTTPServer((self.host, 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def nothing_listening(host: str = "127.0.0.1") -> str:
    """The address of a loopback port where nothing listens (bound, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port = sock.getsockname()[1]
    return f"http://{host}:{port}"
