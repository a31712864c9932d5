"""What a follower's server says about itself, and whether it answers at all: its public nodeinfo
(`/.well-known/nodeinfo` lists the documents; the 2.1 or 2.0 one names the software and its
version). Public data only: no cookie, no session, nothing of the person's is sent.

Several servers are asked at once (a few at a time), each with short timeouts and at most the two
requests nodeinfo takes; an answer is read only from http(s) addresses, and a private or loopback
address is asked only when the person's own servers are on such addresses too (a local test
setup): a stranger's profile address must not make mastomove reach into the person's network.

The browser's request client cannot run requests side by side (Playwright's sync API), so this
uses the standard library's HTTP client in a small thread pool.
"""
from __future__ import annotations

import ipaddress
import json
import socket
import ssl
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urljoin, urlsplit

from mastomove.flows.followers import GONE, ServerAnswer

WELL_KNOWN = "/.well-known/nodeinfo"
SCHEMAS = ("http://nodeinfo.diaspora.software/ns/schema/2.1", "http://nodeinfo.diaspora.software/ns/schema/2.0")
TIMEOUT = 5.0  # seconds per request: a server that takes longer is reported as not answering in time
AT_ONCE = 6
MAX_BYTES = 256 * 1024
USER_AGENT = "mastomove (who came along after a Mastodon move; reads public nodeinfo)"


def _private(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host.lower() in ("localhost",) or host.lower().endswith(".localhost")
    return address.is_private or address.is_loopback or address.is_link_local or address.is_reserved


class _NoRedirectOutsideWeb(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001 - urllib's signature
        if urlsplit(newurl).scheme not in ("http", "https"):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(*, direct: bool) -> urllib.request.OpenerDirector:
    # Only http(s) handlers: no file://, ftp:// or data: reached through a redirect. A local
    # address is asked directly, never through a proxy of the environment.
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler({} if direct else None), urllib.request.HTTPHandler(),
                    urllib.request.HTTPSHandler(context=ssl.create_default_context()),
                    _NoRedirectOutsideWeb(), urllib.request.HTTPDefaultErrorHandler(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


class _Failed(Exception):
    def __init__(self, failure: str, detail: str, status: int | None = None):
        super().__init__(detail)
        self.failure, self.detail, self.status = failure, detail, status


def _get_json(opener: urllib.request.OpenerDirector, url: str, timeout: float) -> Any:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": USER_AGENT})
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as error:
        if error.code == 410:
            raise _Failed(GONE, "HTTP 410 Gone", 410) from None
        raise _Failed("http", f"HTTP {error.code} at {urlsplit(url).path}", error.code) from None
    except urllib.error.URLError as error:
        raise _classify(error.reason) from None
    except (TimeoutError, socket.timeout, ConnectionError, OSError) as error:
        raise _classify(error) from None
    if len(body) > MAX_BYTES:
        raise _Failed("http", f"{urlsplit(url).path} is not a nodeinfo document (too large)")
    try:
        return json.loads(body)
    except ValueError:
        raise _Failed("http", f"{urlsplit(url).path} is not JSON") from None


def _classify(reason: Any) -> _Failed:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return _Failed("timeout", "no answer in time")
    if isinstance(reason, ConnectionRefusedError):
        return _Failed("refused", "connection refused")
    if isinstance(reason, socket.gaierror):
        return _Failed("unresolved", "the name does not resolve")
    if isinstance(reason, ssl.SSLError):
        return _Failed("tls", f"TLS error: {reason}")
    if isinstance(reason, ConnectionError):
        return _Failed("refused", str(reason) or type(reason).__name__)
    return _Failed("other", str(reason) or type(reason).__name__)


def ask_server(server: str, address: str | None, *, allow_private: bool, timeout: float = TIMEOUT) -> ServerAnswer:
    """Ask one server what it runs."""
    parts = urlsplit(address or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ServerAnswer(server, address, None, "not_asked", detail="no web address is known for it")
    if _private(parts.hostname) and not allow_private:
        return ServerAnswer(server, address, False, "refused_address", detail="a private address")
    if parts.scheme == "http" and not _private(parts.hostname):
        address = f"https://{parts.netloc}"  # public servers speak https
    opener = _opener(direct=_private(parts.hostname))
    try:
        index = _get_json(opener, address.rstrip("/") + WELL_KNOWN, timeout)
        href = None
        for schema in SCHEMAS:
            href = next((link.get("href") for link in (index or {}).get("links") or []
                         if isinstance(link, dict) and link.get("rel") == schema and link.get("href")), None)
            if href:
                break
        if not href:
            return ServerAnswer(server, address, True, None, 200, detail="no nodeinfo 2.x document listed")
        href = urljoin(address, href)
        target = urlsplit(href)
        if target.scheme not in ("http", "https") or (_private(target.hostname or "") and not allow_private):
            return ServerAnswer(server, address, True, None, 200, detail="its nodeinfo points elsewhere")
        document = _get_json(opener, href, timeout)
    except _Failed as failed:
        # An HTTP error other than 410 is an answer (the server is up) without what it runs.
        return ServerAnswer(server, address, failed.failure == "http", failed.failure, failed.status,
                            detail=failed.detail)
    software = (document or {}).get("software") if isinstance(document, dict) else None
    if not isinstance(software, dict) or not software.get("name"):
        return ServerAnswer(server, address, True, None, 200, detail="its nodeinfo names no software")
    return ServerAnswer(server, address, True, None, 200, software=str(software["name"])[:60],
                        version=str(software.get("version") or "")[:40] or None)


def ask_servers(where: dict[str, str | None], *, allow_private: bool, at_once: int = AT_ONCE,
                timeout: float = TIMEOUT) -> dict[str, ServerAnswer]:
    """Ask each server (name -> web address) what it runs, `at_once` at a time."""
    if not where:
        return {}
    with ThreadPoolExecutor(max_workers=max(1, min(at_once, len(where))), thread_name_prefix="nodeinfo") as pool:
        futures = {server: pool.submit(ask_server, server, address, allow_private=allow_private, timeout=timeout)
                   for server, address in where.items()}
        return {server: future.result() for server, future in futures.items()}
