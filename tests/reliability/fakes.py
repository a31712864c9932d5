"""Things that are not Mastodon, for bad-input and origin tests: a plain web server, an address
where nothing listens, and a person's browser-less session on the fixture servers (to set up an
account that has already moved, or is in its cooldown, the way a person would have)."""
from __future__ import annotations

import re
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import urlsplit

import httpx

TOKEN = re.compile(r'name="authenticity_token" value="([^"]+)"')
META_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


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


class Person:
    """A signed-in session without a browser, submitting forms as a browser would."""

    def __init__(self, cred, *, otp: str | None = None):
        self.cred = cred
        self.http = httpx.Client(base_url=cred.url, follow_redirects=False, timeout=30.0, trust_env=False)
        page = self.http.get("/auth/sign_in").text
        response = self.http.post("/auth/sign_in", data={"authenticity_token": TOKEN.search(page).group(1),
                                                         "user[email]": cred.email, "user[password]": cred.password})
        if "user[otp_attempt]" in response.text:
            response = self.http.post("/auth/sign_in", data={
                "authenticity_token": TOKEN.search(response.text).group(1),
                "user[otp_attempt]": otp or cred.recovery_codes[0]})  # a recovery code spares the TOTP window
        assert response.status_code in (302, 303), response.text[:500]

    def submit(self, page_path: str, action: str, data: dict[str, str], method: str = "post") -> httpx.Response:
        html = self.http.get(page_path).text
        token = (TOKEN.search(html) or META_TOKEN.search(html)).group(1)
        body = {"authenticity_token": token, **data}
        if method != "post":
            body["_method"] = method
        response = self.http.post(action, data=body)
        assert response.status_code in (200, 302, 303), f"{action}: {response.status_code} {response.text[:500]}"
        return response

    def close(self) -> None:
        self.http.close()
