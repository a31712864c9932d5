"""Steps against two tiny scripted servers (old and new) that answer like Mastodon's pages do:
the move retried while the alias is not seen, never re-sent after a lost answer; the alias and
the announcement made once; an import uploaded, confirmed and polled, and stopped on the type
warning; sign-in with a one-time code; the checks before the pause."""
from __future__ import annotations

import contextlib
import http.server
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from pydantic import SecretStr

from mastomove.agent.errors import ImportRejected, MoveRejected, NeedsPerson, PreflightFailed, SignInRejected
from mastomove.agent.results import from_json, to_json
from mastomove.agent.steps import Account, Handle, Role, StepResult
from mastomove.flows.plan import migration_plan
from mastomove.flows.steps.alias import AliasStep
from mastomove.flows.steps.announce import AnnounceStep
from mastomove.flows.steps.export import ExportedFile, ExportResult, ExportStep
from mastomove.flows.steps.imports import ImportsStep
from mastomove.flows.steps.move import MoveStep
from mastomove.flows.steps.preflight import PreflightStep
from mastomove.flows.steps.sign_in import SignedIn, sign_in

Answer = tuple[int, str, dict]

# Mastodon's script turns `data-method` links into form posts; these pages carry the same behaviour.
DATA_METHOD_JS = """<script>
document.addEventListener('click', e => {
  const a = e.target.closest('a[data-method]'); if (!a) return; e.preventDefault();
  const f = document.createElement('form'); f.method = 'post'; f.action = a.getAttribute('href');
  const m = document.createElement('input'); m.type = 'hidden'; m.name = '_method'; m.value = a.dataset.method;
  f.appendChild(m); document.body.appendChild(f); f.submit(); });
</script>"""


def html(body: str) -> str:
    return f"<!doctype html><html><body>{body}{DATA_METHOD_JS}</body></html>"


class Site:
    """A loopback HTTP server; `routes[(method, path)] = fn(form) -> (status, body, headers)`."""

    def __init__(self):
        self.routes: dict[tuple[str, str], Callable[[dict], Answer | None]] = {}
        self.requests: list[tuple[str, str]] = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self, method: str):
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                urlencoded = "urlencoded" in (self.headers.get("content-type") or "")
                form = parse_qs(raw.decode("utf-8")) if urlencoded else {"_raw": [raw]}
                path = urlsplit(self.path).path
                form.update(parse_qs(urlsplit(self.path).query))
                form["_cookie"] = [self.headers.get("cookie") or ""]
                if "_method" in form:
                    method = form["_method"][0].upper()
                site.requests.append((method, path))
                route = site.routes.get((method, path))
                answer = route(form) if route else (404, html("<h1>404</h1>"), {})
                if answer is None:  # drop the connection without an answer
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                status, body, headers = answer
                data = body.encode()
                self.send_response(status)
                headers = {"content-type": "text/html; charset=utf-8", **headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._answer("GET")

            def do_POST(self):
                self._answer("POST")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def on(self, method: str, path: str):
        def register(fn):
            self.routes[(method, path)] = fn
            return fn

        return register

    def count(self, method: str, path: str) -> int:
        return sum(1 for r in self.requests if r == (method, path))


def redirect(path: str) -> Answer:
    return 302, "", {"location": path}


def as_json(data: Any) -> Answer:
    return 200, json.dumps(data), {"content-type": "application/json"}


@dataclass
class Evidence:
    root: Path
    shots: list[str] = field(default_factory=list)
    entered_secret: int = 0

    class Log:
        def __init__(self):
            self.events: list[str] = []

        def bind(self, **_):
            return self

        def info(self, event, **_):
            self.events.append(event)

        warning = info

    def __post_init__(self):
        self.log = self.Log()

    def screenshot(self, page, action, *, mask=()):
        self.shots.append(action)

    def path(self, *parts):
        target = self.root.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    @contextlib.contextmanager
    def secret_entry(self, page):
        self.entered_secret += 1
        yield


@dataclass
class Person:
    waits: list[float] = field(default_factory=list)

    def say(self, text, style=None, **_label):
        pass

    def progress(self, label, done, total):
        pass

    def waiting(self, what, seconds):
        self.waits.append(seconds)


class Ctx:
    def __init__(self, old: Site, new: Site, pages: dict, tmp: Path, **settings):
        self.accounts = {
            Role.OLD: Account(Role.OLD, Handle("alice", "old.example"), old.origin, "a@mail.example", SecretStr("pw-old-1")),
            Role.NEW: Account(Role.NEW, Handle("alice", "new.example"), new.origin, "a@mail.example", SecretStr("pw-new-1")),
        }
        defaults = dict(alias_wait_seconds=30, alias_first_wait_seconds=0.01, alias_wait_cap_seconds=0.02,
                        import_mode="merge", import_timeout_seconds=20)
        self.settings = SimpleNamespace(**{**defaults, **settings})
        self.evidence = Evidence(tmp)
        self.person = Person()
        self._pages = pages
        self._notes: dict[str, dict] = {}
        self.results: dict[str, StepResult] = {}  # by step name, as the runner keeps them
        self.step = ""
        self.saved = 0

    def page(self, role):
        return self._pages[role]

    @property
    def notes(self):
        return self._notes.setdefault(self.step, {})

    def save_notes(self):
        self.saved += 1

    def result_of(self, kind):
        # Through the state file's JSON, as the runner hands them over.
        found = self.results.get(kind.step)
        return None if found is None else from_json(kind, to_json(found))


@pytest.fixture
def sites():
    old, new = Site(), Site()
    yield old, new
    old.server.shutdown()
    new.server.shutdown()


@pytest.fixture
def ctx(sites, browser, browser_context_args, tmp_path):
    # One context per account, as the agent has them (a second page in the same context is a
    # background tab to Chromium, whose form posts then wait a second or two).
    old, new = sites
    contexts = [browser.new_context(**browser_context_args) for _ in range(2)]
    pages = {Role.OLD: contexts[0].new_page(), Role.NEW: contexts[1].new_page()}
    yield Ctx(old, new, pages, tmp_path)
    for context in contexts:
        context.close()


# --- the move ------------------------------------------------------------------------------

def migration_page(*, redirecting: bool, acct_error: str | None = None, password_error: bool = False) -> str:
    status = ("<div class='simple_form'><p class='hint'><span class='positive-hint'>Redirecting to alice@new.example."
              "</span></p><p class='hint'><a data-method='delete' href='/settings/migration/redirect'>Cancel</a></p></div>"
              if redirecting else "<div class='simple_form'><p class='hint'><span class='positive-hint'>Not redirecting"
                                  "</span></p></div>")
    off = " disabled" if redirecting else ""

    def field_(attr, kind, error):
        wrapper = " field_with_errors" if error else ""
        message = f"<span class='error'>{error}</span>" if error else ""
        return (f"<div class='input with_block_label{wrapper}'><div class='label_input'><input type='{kind}'"
                f" name='account_migration[{attr}]' id='account_migration_{attr}'{off}></div>{message}</div>")

    return html(status + "<form class='simple_form' action='/settings/migration' method='post'>"
                + field_("acct", "text", acct_error)
                + field_("current_password", "password", "ungültig" if password_error else None)
                + f"<button type='submit' class='button button--destructive'{off}>Move followers</button></form>")


def publish_accounts(old: Site, new: Site, *, alias: bool = True):
    old_actor = f"{old.origin}/users/alice"
    new_actor = f"{new.origin}/users/alice"
    old.on("GET", "/.well-known/webfinger")(lambda f: as_json(
        {"subject": "acct:alice@old.example", "links": [{"rel": "self", "type": "application/activity+json", "href": old_actor}]}))
    new.on("GET", "/.well-known/webfinger")(lambda f: as_json(
        {"subject": "acct:alice@new.example", "links": [{"rel": "self", "type": "application/activity+json", "href": new_actor}]}))
    new.on("GET", "/users/alice")(lambda f: as_json({"id": new_actor, "alsoKnownAs": [old_actor] if alias else []}))
    old.on("GET", "/api/v1/accounts/lookup")(lambda f: as_json({"id": "1", "acct": "alice", "followers_count": 12}))


def test_move_waits_for_the_alias_then_moves_once(sites, ctx):
    old, new = sites
    publish_accounts(old, new)
    state = {"moved": False, "refusals": 2}
    old.on("GET", "/settings/migration")(lambda f: (200, migration_page(redirecting=state["moved"]), {}))

    @old.on("POST", "/settings/migration")
    def move(form):
        assert form["account_migration[current_password]"] == ["pw-old-1"]
        if state["refusals"]:
            state["refusals"] -= 1
            return 200, migration_page(redirecting=False, acct_error="これは別名ではありません"), {}
        state["moved"] = True
        return redirect("/settings/migration")

    ctx.step = "move"
    result = MoveStep().run(ctx)
    assert result.moved_to == "alice@new.example" and not result.already
    assert old.count("POST", "/settings/migration") == 3
    assert len(ctx.person.waits) == 2  # told when each next try comes
    assert ctx.notes["followers_before"] == 12
    assert ctx.evidence.entered_secret == 3
    assert MoveStep().verify(ctx)


def test_move_after_a_lost_answer_reads_the_page_before_anything_else(sites, ctx):
    old, new = sites
    publish_accounts(old, new)
    state = {"moved": False}
    old.on("GET", "/settings/migration")(lambda f: (200, migration_page(redirecting=state["moved"]), {}))

    @old.on("POST", "/settings/migration")
    def move(form):
        state["moved"] = True
        return None  # the server moved, but the answer never arrives

    ctx.step = "move"
    result = MoveStep().run(ctx)
    assert result.moved_to == "alice@new.example"
    # The flow sent the form once and then read the page. (Chromium itself may resend a POST whose
    # connection closed without an answer; Mastodon refuses a second move, so that is harmless.)
    assert ctx.evidence.log.events.count("move.submitting") == 1 and ctx.notes["attempts"] == 1
    assert old.requests[-1] == ("GET", "/settings/migration")


def test_wrong_password_stops_without_a_second_try(sites, ctx):
    old, new = sites
    publish_accounts(old, new)
    old.on("GET", "/settings/migration")(lambda f: (200, migration_page(redirecting=False), {}))
    old.on("POST", "/settings/migration")(lambda f: (200, migration_page(redirecting=False, password_error=True), {}))
    ctx.step = "move"
    with pytest.raises(MoveRejected, match="password"):
        MoveStep().run(ctx)
    assert old.count("POST", "/settings/migration") == 1


def test_not_an_alias_for_too_long_stops_before_anything_moved(sites, ctx):
    old, new = sites
    publish_accounts(old, new, alias=False)
    old.on("GET", "/settings/migration")(lambda f: (200, migration_page(redirecting=False), {}))
    old.on("POST", "/settings/migration")(lambda f: (200, migration_page(
        redirecting=False, acct_error="is not an alias of this account"), {}))
    ctx.settings.alias_wait_seconds = 0
    ctx.step = "move"
    with pytest.raises(MoveRejected, match="alias"):
        MoveStep().run(ctx)


def test_already_redirecting_is_done_without_a_post(sites, ctx):
    old, new = sites
    publish_accounts(old, new)
    old.on("GET", "/settings/migration")(lambda f: (200, migration_page(redirecting=True), {}))
    ctx.step = "move"
    assert MoveStep().run(ctx).already
    assert old.count("POST", "/settings/migration") == 0


# --- the alias -------------------------------------------------------------------------------

def test_alias_is_created_once(sites, ctx):
    old, new = sites
    aliases: list[str] = []

    def page(_form):
        rows = "".join(f"<tr><td>{a}</td><td><a data-method='delete' href='/settings/aliases/{i}'>x</a></td></tr>"
                       for i, a in enumerate(aliases, 1))
        return 200, html("<form action='/settings/aliases' method='post'><div class='input'>"
                         "<input name='account_alias[acct]' id='account_alias_acct'></div>"
                         f"<button type='submit'>Create</button></form><table><tbody>{rows}</tbody></table>"), {}

    new.on("GET", "/settings/aliases")(page)

    @new.on("POST", "/settings/aliases")
    def create(form):
        aliases.append(form["account_alias[acct]"][0])
        return redirect("/settings/aliases")

    ctx.step = "alias"
    assert AliasStep().run(ctx).created
    assert not AliasStep().run(ctx).created
    assert aliases == ["alice@old.example"]
    assert AliasStep().verify(ctx)


# --- imports --------------------------------------------------------------------------------

class BulkImports:
    """The 4.2+ import pages of the new server, with one import at a time in flight."""

    def __init__(self, site: Site, *, mismatch: bool = False, polls_until_done: int = 2):
        self.site = site
        self.imports: dict[str, dict] = {}
        self.mismatch = mismatch
        self.polls_until_done = polls_until_done
        site.on("GET", "/settings/imports")(self.index)
        site.on("POST", "/settings/imports")(self.upload)

    def index(self, _form):
        rows = ""
        for import_id, item in sorted(self.imports.items(), reverse=True):
            if item["state"] == "scheduled":
                item["polls"] += 1
                if item["polls"] >= self.polls_until_done:
                    item["state"] = "finished"
            status = (f"<a href='/settings/imports/{import_id}'>Unconfirmed</a>" if item["state"] == "unconfirmed"
                      else item["state"])
            done = item["state"] == "finished"
            imported = item["total"] - 1 if done else 0
            failures = f"<a href='/settings/imports/{import_id}/failures.csv'>1</a>" if done else ""
            rows += (f"<tr id='bulk_import_{import_id}'><td>{item['type']}</td><td>{status}</td>"
                     f"<td>{imported} / {item['total']}</td><td><time>now</time></td><td>{failures}</td></tr>")
        form = ("<form action='/settings/imports' method='post' enctype='multipart/form-data'>"
                "<select name='form_import[type]'><option value='following'>F</option><option value='lists'>L</option>"
                "<option value='blocking'>B</option></select><input type='file' name='form_import[data]'>"
                "<input type='radio' name='form_import[mode]' value='merge' checked>"
                "<input type='radio' name='form_import[mode]' value='overwrite'><button type='submit'>Upload</button></form>")
        return 200, html(form + f"<table><tbody>{rows}</tbody></table>"), {}

    def upload(self, form):
        body = form["_raw"][0].decode()
        kind = "following" if 'value="following"' in body or "following" in body.split("form_import[type]")[1][:40] else "?"
        import_id = str(len(self.imports) + 1)
        self.add(import_id, kind, "unconfirmed", total=body.count("@remote.example"))
        return redirect(f"/settings/imports/{import_id}")

    def add(self, import_id, kind, state, *, total):
        self.imports[import_id] = {"type": kind, "state": state, "total": total, "polls": 0}
        self.site.on("GET", f"/settings/imports/{import_id}")(lambda f, i=import_id: self.show(i))
        self.site.on("POST", f"/settings/imports/{import_id}/confirm")(lambda f, i=import_id: self.confirm(i))
        self.site.on("DELETE", f"/settings/imports/{import_id}")(lambda f, i=import_id: self.cancel(i))
        self.site.on("GET", f"/settings/imports/{import_id}/failures.csv")(lambda f: (
            200, "Account address,Show boosts,Notify on new posts,Languages\ngone@remote.example,true,false,\n",
            {"content-type": "text/csv", "content-disposition": "attachment; filename=following_accounts_failures.csv"}))

    def show(self, import_id):
        if self.imports.get(import_id, {}).get("state") != "unconfirmed":
            return 404, html("gone"), {}
        warning = "<div class='flash-message warning'>Wrong type?</div>" if self.mismatch else ""
        return 200, html(f"{warning}<p class='hint'>follow up to N accounts from follows.csv</p>"
                         f"<div class='simple_form'><div class='actions'>"
                         f"<a class='button button-tertiary' data-method='delete' href='/settings/imports/{import_id}'>Cancel</a>"
                         f"<a class='button' data-method='post' href='/settings/imports/{import_id}/confirm'>Confirm</a>"
                         "</div></div>"), {}

    def confirm(self, import_id):
        self.imports[import_id]["state"] = "scheduled"
        return redirect("/settings/imports")

    def cancel(self, import_id):
        del self.imports[import_id]
        return redirect("/settings/imports")


FOLLOWS = ("Account address,Show boosts,Notify on new posts,Languages\n"
           "a@remote.example,true,false,\nlocked@remote.example,true,false,\ngone@remote.example,true,false,\n")


def exported(ctx, tmp_path):
    path = tmp_path / "follows.csv"
    path.write_text(FOLLOWS)
    ctx.results["export"] = ExportResult(files={"follows": ExportedFile(path=str(path), rows=3)})


def serve_new_follows_export(new: Site):
    new.on("GET", "/settings/export")(lambda f: (200, html(
        "<table><tbody><tr><th>Follows</th><td>1</td><td><a href='/settings/exports/follows.csv'>CSV</a></td></tr>"
        "</tbody></table>"), {}))
    new.on("GET", "/settings/exports/follows.csv")(lambda f: (
        200, "Account address,Show boosts,Notify on new posts,Languages\na@remote.example,true,false,\n",
        {"content-type": "text/csv", "content-disposition": "attachment; filename=follows.csv"}))


def test_import_is_confirmed_polled_and_checked_once(sites, ctx, tmp_path):
    old, new = sites
    server = BulkImports(new)
    serve_new_follows_export(new)
    exported(ctx, tmp_path)
    ctx.step = "imports"
    result = ImportsStep().run(ctx)
    follows = result.lists["follows"]
    assert (follows.imported, follows.total, follows.failures, follows.finished) == (2, 3, 1, True)
    assert follows.follow_requests == ["locked@remote.example"]
    assert Path(follows.failures_file).read_text().startswith("Account address")
    assert any("wait for approval" in line for line in result.report)
    assert ImportsStep().verify(ctx)
    # a rerun imports nothing again
    ImportsStep().run(ctx)
    assert new.count("POST", "/settings/imports") == 1 and len(server.imports) == 1


def test_a_confirmation_lost_in_an_interruption_is_not_confirmed_twice(sites, ctx, tmp_path):
    old, new = sites
    server = BulkImports(new)
    serve_new_follows_export(new)
    exported(ctx, tmp_path)
    # an earlier run uploaded and confirmed import 1, then stopped before writing "confirmed" down
    server.add("1", "following", "scheduled", total=3)
    ctx.step = "imports"
    ctx.notes["follows"] = {"state": "uploaded", "import_id": "1", "uploaded_at": 0}
    result = ImportsStep().run(ctx)
    assert result.lists["follows"].finished
    assert new.count("POST", "/settings/imports") == 0


def test_type_warning_cancels_the_upload_and_stops(sites, ctx, tmp_path):
    old, new = sites
    server = BulkImports(new, mismatch=True)
    exported(ctx, tmp_path)
    ctx.step = "imports"
    with pytest.raises(ImportRejected, match="does not look like"):
        ImportsStep().run(ctx)
    assert server.imports == {}
    assert new.count("POST", "/settings/imports/1/confirm") == 0


# --- sign-in ---------------------------------------------------------------------------------

OTP_SECRET = pyotp.random_base32()


def sign_in_server(site: Site, *, otp: bool):
    password_form = ("<form id='new_user' action='/auth/sign_in' method='post'><input type='email' name='user[email]'>"
                     "<input type='password' name='user[password]'><button type='submit'>Log in</button></form>")
    otp_form = ("<form id='otp-authentication-form' action='/auth/sign_in' method='post'>"
                "<input type='number' name='user[otp_attempt]' autocomplete='one-time-code'>"
                "<button type='submit'>Log in</button></form>")
    alert = "<div class='flash-message alert'><strong>Nope.</strong></div>"
    signed_in = ("<form><input name='user[email]' value='a@mail.example'></form>", {})

    @site.on("GET", "/auth/edit")
    def edit(form):
        if "session=ok" in form["_cookie"][0]:
            return 200, html(signed_in[0]), {}
        return redirect("/auth/sign_in")

    site.on("GET", "/auth/sign_in")(lambda f: (200, html(password_form), {}))

    @site.on("POST", "/auth/sign_in")
    def post(form):
        if "user[otp_attempt]" in form:
            if form["user[otp_attempt]"][0] == pyotp.TOTP(OTP_SECRET).now():
                return 302, "", {"location": "/auth/edit", "set-cookie": "session=ok; path=/"}
            return 200, html(alert + otp_form), {}
        if form.get("user[password]") != ["pw-old-1"]:
            return 200, html(alert + password_form), {}
        if otp:
            return 200, html(otp_form), {}
        return 302, "", {"location": "/auth/edit", "set-cookie": "session=ok; path=/"}


def test_sign_in_with_two_factor_then_reuse_the_session(sites, ctx):
    old, _ = sites
    sign_in_server(old, otp=True)
    ctx.accounts[Role.OLD].otp_secret = SecretStr(OTP_SECRET)
    first = sign_in(ctx, Role.OLD)
    assert first == SignedIn(reused_session=False, two_factor=True)
    assert ctx.evidence.entered_secret == 2  # the password, then the code
    assert sign_in(ctx, Role.OLD).reused_session
    assert old.count("POST", "/auth/sign_in") == 2


def test_refused_password_is_not_retried(sites, ctx):
    old, _ = sites
    sign_in_server(old, otp=False)
    ctx.accounts[Role.OLD].password = SecretStr("wrong-one")
    with pytest.raises(SignInRejected):
        sign_in(ctx, Role.OLD)
    assert old.count("POST", "/auth/sign_in") == 1


def test_two_factor_without_a_secret_needs_a_person(sites, ctx):
    old, _ = sites
    sign_in_server(old, otp=True)
    with pytest.raises(NeedsPerson, match="two-factor"):
        sign_in(ctx, Role.OLD)


# --- announcement, export, preflight ------------------------------------------------------------

COMPOSE = """<div id="mastodon-compose"><form class="compose-form"><div class="autosuggest-textarea">
  <textarea class="autosuggest-textarea__textarea"></textarea></div>
  <div class="compose-form__submit"><button type="submit" class="button">Beitrag</button></div></form></div>
<script>
const params = new URLSearchParams(location.search);
document.querySelector('textarea').value = params.get('text') || '';
document.querySelector('form').addEventListener('submit', e => { e.preventDefault();
  fetch('/api/v1/statuses', {method: 'POST', headers: {'content-type': 'application/json'},
        body: JSON.stringify({status: document.querySelector('textarea').value})}); });
</script>"""


def test_announcement_is_posted_once(sites, ctx):
    _, new = sites
    posted: list[dict] = []
    new.on("GET", "/share")(lambda f: (200, html(COMPOSE), {}))
    new.on("GET", "/api/v1/accounts/lookup")(lambda f: as_json({"id": "9", "acct": "alice", "followers_count": 0}))
    new.on("GET", "/api/v1/accounts/9/statuses")(lambda f: as_json(posted))

    @new.on("POST", "/api/v1/statuses")
    def post(form):
        text = json.loads(form["_raw"][0])["status"]
        status = {"id": str(len(posted) + 1), "url": f"{new.origin}/@alice/1", "visibility": "public",
                  "content": f"<p>{text.replace('@alice@old.example', '<a>@<span>alice</span></a>')}</p>"}
        posted.append(status)
        return as_json(status)

    ctx.settings.post_announcement = True
    ctx.settings.announcement = "Moving from @{old} to @{new}, see you there!"
    ctx.step = "announce"
    assert AnnounceStep().run(ctx).posted_now
    assert AnnounceStep().verify(ctx)
    assert not AnnounceStep().run(ctx).posted_now
    ctx._notes["announce"] = {"state": "posting"}  # interrupted while posting: the post is looked for
    again = AnnounceStep().run(ctx)
    assert not again.posted_now and len(posted) == 1


def test_export_downloads_and_counts(sites, ctx):
    old, _ = sites
    old.on("GET", "/settings/export")(lambda f: (200, html(
        "<table><tbody><tr><th>Follows</th><td>3</td><td><a href='/settings/exports/follows.csv'>CSV</a></td></tr>"
        "<tr><th>Blocks</th><td>1</td><td><a href='/settings/exports/blocks.csv'>CSV</a></td></tr></tbody></table>"), {}))
    old.on("GET", "/settings/exports/follows.csv")(lambda f: (200, FOLLOWS, {
        "content-type": "text/csv", "content-disposition": "attachment; filename=follows.csv"}))
    old.on("GET", "/settings/exports/blocks.csv")(lambda f: (200, "x@y.example\n", {"content-type": "text/csv"}))
    ctx.step = "export"
    result = ExportStep().run(ctx)
    assert result.files["follows"].rows == 3 and result.files["blocks"].rows == 1
    assert Path(result.files["blocks"].path).read_text() == "x@y.example\n"
    assert "lists" in result.not_offered
    ctx.results["export"] = result
    assert ExportStep().verify(ctx)


def preflight_servers(old: Site, new: Site, *, locked: dict, cooldown: bool = False):
    publish_accounts(old, new)
    old.on("GET", "/settings/migration")(lambda f: (200, migration_page(redirecting=False).replace(
        "name='account_migration[acct]'", "name='account_migration[acct]'" + (" disabled" if cooldown else "")), {}))
    old.on("GET", "/api/v2/search")(lambda f: as_json({"accounts": [{"acct": "alice@new.example"}]}))
    new.on("GET", "/settings/aliases")(lambda f: (200, html(
        "<table><tbody><tr><td>alice@old.example</td><td><a data-method='delete' href='/settings/aliases/1'>x</a>"
        "</td></tr></tbody></table>"), {}))
    new.on("GET", "/api/v1/accounts/lookup")(lambda f: as_json({"id": "9", "acct": "alice", "locked": locked["on"]}))
    new.on("GET", "/settings/profile")(lambda f: (200, html("<form><input name='account[display_name]'></form>"), {}))
    checked = lambda: "" if locked["on"] else " checked"  # noqa: E731
    new.on("GET", "/settings/privacy")(lambda f: (200, html(
        "<form action='/settings/privacy' method='post'><input type='hidden' name='account[unlocked]' value='0'>"
        f"<input type='checkbox' name='account[unlocked]' value='1'{checked()}><button type='submit'>Save</button></form>"), {}))

    @new.on("POST", "/settings/privacy")
    def save(form):
        locked["on"] = form["account[unlocked]"][-1] != "1"
        return redirect("/settings/privacy")


def test_preflight_unlocks_the_new_account_when_allowed(sites, ctx):
    old, new = sites
    locked = {"on": True}
    preflight_servers(old, new, locked=locked)
    ctx.step = "preflight"
    ctx.settings.unlock_new_account = False
    with pytest.raises(PreflightFailed, match="follow approval"):
        PreflightStep().run(ctx)
    ctx.settings.unlock_new_account = True
    result = PreflightStep().run(ctx)
    assert not locked["on"] and result.unlocked_new_account and result.checks["new_unlocked"] == "unlocked"
    assert result.checks["alias_published"] and result.old_actor.endswith("/users/alice")
    assert PreflightStep().verify(ctx)


def test_preflight_stops_on_cooldown(sites, ctx):
    old, new = sites
    preflight_servers(old, new, locked={"on": False}, cooldown=True)
    ctx.step = "preflight"
    ctx.settings.unlock_new_account = False
    with pytest.raises(PreflightFailed, match="moved recently"):
        PreflightStep().run(ctx)


def test_plan_inspection_reads_both_accounts(sites, ctx):
    old, new = sites
    preflight_servers(old, new, locked={"on": True})
    export_page = (200, html("<table><tbody><tr><th>F</th><td>1.234</td><td>"
                             "<a href='/settings/exports/follows.csv'>CSV</a></td></tr></tbody></table>"), {})
    old.on("GET", "/settings/export")(lambda f: export_page)
    new.on("GET", "/settings/export")(lambda f: export_page)
    BulkImports(new)
    ctx.settings.unlock_new_account = False
    report = migration_plan().inspect(ctx)
    assert report["old"]["counts"] == {"follows": 1234} and not report["old"]["redirecting"]
    assert report["new"] == {"handle": "alice@new.example", "counts": {"follows": 1234}, "exists": True,
                             "locked": True, "alias_present": True, "import_version": "bulk", "profile": "form",
                             "imports_filters": False}
    assert any("requires follow approval" in line for line in report["report"])


# --- unreadable answers are unknown, never the safe case ---------------------------------------

def test_an_actor_that_cannot_be_read_is_unknown_not_unaliased(sites, ctx):
    from mastomove.flows.pages.public import PublicSide

    old, new = sites
    publish_accounts(old, new, alias=True)
    public, new_account = PublicSide(ctx.page(Role.NEW)), ctx.accounts[Role.NEW]
    old_actor = f"{old.origin}/users/alice"
    assert public.names_alias(new_account, new_account.handle, old_actor) is True
    answers = {
        "401 under AUTHORIZED_FETCH": (401, json.dumps({"error": "Request not signed"}), {"content-type": "application/json"}),
        "a challenge page": (200, html("<h1>Checking your browser</h1>"), {}),
        "JSON that is no actor": as_json({"error": "nope"}),
    }
    for why, answer in answers.items():
        new.on("GET", "/users/alice")(lambda f, answer=answer: answer)
        assert public.names_alias(new_account, new_account.handle, old_actor) is None, why
    publish_accounts(old, new, alias=False)
    assert public.names_alias(new_account, new_account.handle, old_actor) is False


def test_a_migration_page_without_the_form_is_not_free_to_move(sites, ctx):
    from mastomove.flows.steps.precheck import check_old_account_free

    old, new = sites
    old.on("GET", "/settings/migration")(lambda f: (200, html("<h1>Checking your browser</h1>"), {}))
    with pytest.raises(PreflightFailed, match="Could not read whether"):
        check_old_account_free(ctx)
    old.on("GET", "/settings/migration")(lambda f: (200, migration_page(redirecting=False), {}))
    assert "free to move" in check_old_account_free(ctx)[0]
