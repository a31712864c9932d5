"""File links as real servers answer them (BackupsController#download, media): a redirect to a
storage host of its own (a signed URL that expires, or /system/... on the media host). The browser
follows; the server's cookies never reach the storage; a refusal by the storage is a
StorageRefused; the backup step asks again and checks the zip."""
from __future__ import annotations

import http.server
import io
import threading
import zipfile

import pytest

from mastomove.agent.errors import PageChanged, SessionExpired
from mastomove.agent.steps import Account, Handle, Role
from mastomove.flows.pages.base import StorageRefused
from mastomove.flows.pages.export import ExportPage
from mastomove.flows.steps.backup import zip_problem


def a_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("actor.json", '{"id": "x"}')
        archive.writestr("outbox.json", '{"orderedItems": []}')
    return buffer.getvalue()


ZIP = a_zip()


class Host:
    """A loopback HTTP host: answers[path] = (status, body bytes, headers); remembers the Cookie
    header of every request."""

    def __init__(self, address: str):
        self.answers: dict[str, list[tuple[int, bytes, dict]]] = {}
        self.cookies: list[str | None] = []
        host = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                host.cookies.append(self.headers.get("cookie"))
                queue = host.answers.get(self.path.split("?")[0]) or [(404, b"<h1>Not found</h1>", {})]
                status, body, headers = queue.pop(0) if len(queue) > 1 else queue[0]
                self.send_response(status)
                headers = {"content-type": "text/html; charset=utf-8", **headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer((address, 0), Handler)
        self.origin = f"http://{address}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, path: str, *answers: tuple[int, bytes, dict]) -> None:
        self.answers[path] = list(answers)


@pytest.fixture
def hosts():
    server, storage = Host("127.0.0.1"), Host("127.0.0.5")
    yield server, storage
    server.server.shutdown()
    storage.server.shutdown()


EXPORT = """<!doctype html><html><body><table class="table"><tbody>
<tr id="backup_7"><td><time class="formatted" datetime="2026-10-01T10:00:00Z">1 Oct</time></td><td>1 KB</td>
<td><a class="table-action-link" href="{origin}/backups/7/download">Download</a></td></tr></tbody></table></body></html>"""
ZIP_HEADERS = {"content-type": "application/zip"}


def export_page(page, server: Host) -> ExportPage:
    account = Account(Role.OLD, Handle("alice", "old.example"), server.origin, "alice@mail.example")
    page.context.add_cookies([{"name": "_session_id", "value": "secret-session", "url": server.origin}])
    server.answer("/settings/export", (200, EXPORT.format(origin=server.origin).encode(), {}))
    export = ExportPage(page, account)
    export.open()
    return export


def test_the_archive_is_followed_to_the_storage_host_without_the_servers_cookies(page, hosts, tmp_path):
    server, storage = hosts
    server.answer("/backups/7/download", (302, b"", {"location": f"{storage.origin}/backups/dumps/7/original/archive.zip?X-Amz-Signature=abc"}))
    storage.answer("/backups/dumps/7/original/archive.zip", (200, ZIP, ZIP_HEADERS))
    export = export_page(page, server)
    row = export.archives()[0]
    saved = export.download_archive(row, tmp_path / "archive.zip")
    assert saved.read_bytes() == ZIP and zip_problem(saved) is None
    assert any(c and "secret-session" in c for c in server.cookies), "the server's own pages get its cookie"
    assert storage.cookies and not any(c and "secret-session" in c for c in storage.cookies), storage.cookies


def test_an_expired_signed_link_is_a_storage_refusal_and_a_fresh_one_works(page, hosts, tmp_path):
    server, storage = hosts
    server.answer("/backups/7/download", (302, b"", {"location": f"{storage.origin}/archive.zip?Expires=1"}),
                  (302, b"", {"location": f"{storage.origin}/archive.zip?Expires=2"}))
    storage.answer("/archive.zip", (403, b"<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
                                    {"content-type": "application/xml"}), (200, ZIP, ZIP_HEADERS))
    export = export_page(page, server)
    row = export.archives()[0]
    with pytest.raises(StorageRefused):
        export.download_archive(row, tmp_path / "archive.zip")
    export.open()  # what the backup step does before its next try
    assert export.download_archive(row, tmp_path / "archive.zip").read_bytes() == ZIP


def test_local_storage_on_the_servers_own_host(page, hosts, tmp_path):
    server, _ = hosts
    server.answer("/backups/7/download", (302, b"", {"location": "/system/backups/dumps/7/original/archive.zip"}))
    server.answer("/system/backups/dumps/7/original/archive.zip", (200, ZIP, ZIP_HEADERS))
    export = export_page(page, server)
    assert export.download_archive(export.archives()[0], tmp_path / "a.zip").read_bytes() == ZIP


def test_a_link_that_ends_on_the_sign_in_page_or_an_error_is_no_file(page, hosts, tmp_path):
    server, _ = hosts
    server.answer("/backups/7/download", (302, b"", {"location": "/auth/sign_in"}))
    server.answer("/auth/sign_in", (200, b"<form><input name='user[email]'></form>", {}))
    export = export_page(page, server)
    with pytest.raises(SessionExpired):
        export.download_archive(export.archives()[0], tmp_path / "a.zip")
    server.answer("/backups/7/download", (404, b"<h1>Not found</h1>", {}))
    export.open()
    with pytest.raises(PageChanged):
        export.download_archive(export.archives()[0], tmp_path / "a.zip")


def test_zip_problems(tmp_path):
    whole = tmp_path / "whole.zip"
    whole.write_bytes(ZIP)
    assert zip_problem(whole) is None
    cut = tmp_path / "cut.zip"
    cut.write_bytes(ZIP[: len(ZIP) // 2])
    assert zip_problem(cut)
    page = tmp_path / "page.zip"
    page.write_bytes(b"<html>error</html>")
    assert zip_problem(page) == "not a zip file"
