"""Page objects against small pages written from Mastodon's views (app/views/**), served at a
made-up origin with Playwright routing: locators, page states, and the HTTP outcomes the shared
base turns into agent errors."""
from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import threading

import pytest

from mastomove.agent.errors import ConnectionFailed, FormRejected, RateLimited, ServerError, SessionExpired, UnsafeOrigin
from mastomove.agent.steps import Account, Handle, Role
from mastomove.flows.csv_formats import BOOKMARKS, FOLLOWS, LISTS
from mastomove.flows.pages.account_settings import AccountSettingsPage
from mastomove.flows.pages.aliases import AliasesPage
from mastomove.flows.pages.base import MastodonPage, parse_retry_after
from mastomove.flows.pages.export import ExportPage
from mastomove.flows.pages.migration import MigrationPage
from mastomove.flows.pages.sign_in import SignInPage, SignInStage

NEW_HANDLE = Handle("alice", "new.example")


class Site:
    """A tiny HTTP server on loopback: answers[path] = (status, body, headers), for GET and POST."""

    def __init__(self):
        answers: dict[str, tuple[int, str, dict]] = {}
        self.answers = answers

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("content-length") or 0)
                if length:
                    self.rfile.read(length)
                status, body, headers = answers.get(self.path.split("?")[0], (404, "<h1>Not found</h1>", {}))
                data = body.encode()
                self.send_response(status)
                self.send_header("content-type", "text/html; charset=utf-8")
                self.send_header("content-length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add(self, pages: dict) -> None:
        for path, answer in pages.items():
            self.answers[path] = answer if isinstance(answer, tuple) else (200, answer, {})


@pytest.fixture
def site():
    running = Site()
    yield running
    running.server.shutdown()


@pytest.fixture
def serve(site):
    return site.add


@pytest.fixture
def account(site):
    return Account(Role.OLD, Handle("alice", "old.example"), site.origin, "alice@mail.example")


def html(body: str) -> str:
    return f"<!doctype html><html><head><meta name='csrf-token' content='t'></head><body>{body}</body></html>"


# --- the shared base ----------------------------------------------------------------------

class Settings(MastodonPage):
    PATH = "/settings/export"


def test_server_errors_and_rate_limits_become_transients(serve, page, account):
    serve({"/settings/export": (503, html("down"), {}),
           "/settings/aliases": (429, '{"error":"Too many requests"}', {"retry-after": "7"})})
    with pytest.raises(ServerError):
        Settings(page, account).open()
    with pytest.raises(RateLimited) as limited:
        Settings(page, account).open("/settings/aliases")
    assert limited.value.retry_after == 7


def test_landing_on_sign_in_means_the_session_expired(serve, page, account):
    serve({"/settings/export": (302, "", {"location": "/auth/sign_in"}),
           "/auth/sign_in": html("<form id='new_user'><input name='user[email]'></form>")})
    with pytest.raises(SessionExpired) as expired:
        Settings(page, account).open()
    assert expired.value.role == "old"


def test_security_token_page_is_form_rejected_but_a_rerendered_form_is_not(serve, page, account):
    serve({"/settings/export": (422, html("<h1>Security verification failed</h1>"), {}),
           "/settings/aliases": (422, html("<form><input name='authenticity_token'><div class='field_with_errors'>"
                                           "<span class='error'>x</span></div></form>"), {})})
    with pytest.raises(FormRejected):
        Settings(page, account).open()
    Settings(page, account).open("/settings/aliases")


def test_dropped_connection_is_connection_failed(page, account):
    page.route(f"{account.origin}/**", lambda route: route.abort("connectionreset"))
    with pytest.raises(ConnectionFailed):
        Settings(page, account).open()


def test_retry_after_forms():
    now = dt.datetime(2024, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
    assert parse_retry_after({"retry-after": "30"}, now) == 30
    assert parse_retry_after({"retry-after": "Mon, 01 Jan 2024 12:01:00 GMT"}, now) == 60
    assert parse_retry_after({"x-ratelimit-reset": "2024-01-01T12:05:00.000Z"}, now) == 300
    assert parse_retry_after({}, now) is None


def test_secrets_are_typed_only_on_the_accounts_origin(page, account):
    page.route("https://elsewhere.example/**", lambda route: route.fulfill(
        body=html("<form><input type=password name='user[password]'><button type=submit>Go</button></form>"),
        content_type="text/html"))
    page.goto("https://elsewhere.example/auth/sign_in")
    form = SignInPage(page, account)
    with pytest.raises(UnsafeOrigin):
        form.submit_secret(page.locator("input"), "hunter22", page.locator("button"), lambda p: contextlib.nullcontext())
    assert page.locator("input").input_value() == ""


def test_secret_fill_and_submit_happen_inside_secret_entry(serve, page, account):
    serve({"/auth/sign_in": html("<form method=post action='/auth/sign_in'><input name='user[email]'>"
                                 "<input type=password name='user[password]'><button type=submit>Log in</button></form>"),
           "/auth/edit": html("ok")})
    page.goto(f"{account.origin}/auth/sign_in")
    seen = []

    @contextlib.contextmanager
    def secret_entry(p):
        seen.append(("enter", p.locator("input[type=password]").input_value()))
        yield
        seen.append(("leave", p.url))

    SignInPage(page, account).submit_password("alice@mail.example", "hunter22", secret_entry)
    assert seen == [("enter", ""), ("leave", f"{account.origin}/auth/sign_in")]


# --- sign-in --------------------------------------------------------------------------------

PASSWORD_FORM = """
<form class="simple_form new_user" id="new_user" novalidate action="/auth/sign_in" method="post">
  <div class="fields-group"><div class="input with_label email required user_email"><div class="label_input">
    <label for="user_email">E-mail address</label><div class="label_input__wrapper">
    <input aria-label="E-mail address" type="email" name="user[email]" id="user_email"></div></div></div></div>
  <div class="fields-group"><div class="input with_label password required user_password"><div class="label_input">
    <label for="user_password">Password</label><div class="label_input__wrapper">
    <input type="password" name="user[password]" id="user_password" autocomplete="current-password"></div></div></div></div>
  <div class="actions"><button name="button" type="submit" class="btn">Anmelden</button></div>
</form>"""

OTP_FORM = """
<form class="simple_form" id="otp-authentication-form" action="/auth/sign_in" method="post">
  <p class="hint authentication-hint">Gib den Code ein</p>
  <div class="fields-group"><input type="number" name="user[otp_attempt]" id="user_otp_attempt" autocomplete="one-time-code"></div>
  <div class="actions"><button name="button" type="submit" class="btn">Anmelden</button></div>
</form>"""

WEBAUTHN_THEN_OTP = """
<form id="webauthn-form" action="/auth/sign_in" method="post"><h3 class="title">Sicherheitsschlüssel</h3>
  <a href="#" id="link-to-otp">Code eingeben</a></form>
<form class="simple_form hidden" style="display:none" id="otp-authentication-form" action="/auth/sign_in" method="post">
  <input type="number" name="user[otp_attempt]" id="user_otp_attempt"><button type="submit">Anmelden</button>
</form>
<script>document.getElementById('link-to-otp').onclick = () => {
  document.getElementById('webauthn-form').style.display = 'none';
  document.getElementById('otp-authentication-form').style.display = 'block'; return false; };</script>"""

ALERT = "<div class='flash-message alert'><strong>Ungültige E-Mail-Adresse oder Passwort.</strong></div>"


@pytest.mark.parametrize("body, stage, rejected", [
    (PASSWORD_FORM, SignInStage.PASSWORD, False),
    (ALERT + PASSWORD_FORM, SignInStage.PASSWORD, True),
    (OTP_FORM, SignInStage.ONE_TIME_CODE, False),
    (ALERT + OTP_FORM, SignInStage.ONE_TIME_CODE, True),
    (WEBAUTHN_THEN_OTP, SignInStage.ONE_TIME_CODE, False),
    ("<form id='webauthn-form'></form>", SignInStage.SECURITY_KEY, False),
    ("<div class='simple_form alternative-login'><h4>Log in with</h4></div>", SignInStage.EXTERNAL_ONLY, False),
])
def test_sign_in_stages_without_reading_text(serve, page, account, body, stage, rejected):
    serve({"/auth/sign_in": html(body)})
    form = SignInPage(page, account)
    form.open()
    assert form.stage() is stage
    assert form.rejected() is rejected


def test_account_settings_shows_email_and_redirect_notice(serve, page, account):
    serve({"/auth/edit": html(
        "<div class='flash-message warning'>Dein Konto ist inaktiv, weil es zu alice@new.example weitergeleitet wird."
        " <a href='/settings/migration'>Umleitung abbrechen</a></div>"
        "<form><input name='user[email]' value='alice@mail.example'></form>")})
    settings = AccountSettingsPage(page, account)
    assert settings.open_if_signed_in()
    assert settings.email() == "alice@mail.example"
    assert "alice@new.example" in settings.redirect_notice()


# --- migration --------------------------------------------------------------------------------

def migration_form(*, disabled=False, errors: dict | None = None, username=False) -> str:
    errors = errors or {}
    off = " disabled" if disabled else ""

    def field(attr, kind):
        wrapper = "field_with_errors" if attr in errors else ""
        error = f"<span class='error'>{errors[attr]}</span>" if attr in errors else ""
        return (f"<div class='input with_block_label {kind} required account_migration_{attr} {wrapper}'>"
                f"<label>{attr}</label><div class='label_input'><input type='{kind}' name='account_migration[{attr}]'"
                f" id='account_migration_{attr}'{off}></div>{error}</div>")

    challenge = field("current_username", "string") if username else field("current_password", "password")
    cooldown = ("<p class='hint'><span class='warning-hint'>Du hast dein Konto vor kurzem migriert. Diese Funktion wird"
                " in 29 Tagen wieder verfügbar sein.</span></p>") if disabled else (
        "<p class='hint'>Before proceeding</p><ul class='hint'><li class='warning-hint'>This action will move</li></ul>")
    summary = "<div class='flash-message alert' id='error_explanation'><strong>1 error</strong></div>" if errors else ""
    return (f"<h3>Move</h3><form class='simple_form new_account_migration' id='new_account_migration'"
            f" action='/settings/migration' method='post'>{cooldown}{summary}<div class='fields-row'>"
            f"{field('acct', 'string')}{challenge}</div><div class='actions'><button name='button' type='submit'"
            f" class='button button--destructive'{off}>Follower übertragen</button></div></form>")


NOT_REDIRECTING = "<div class='simple_form'><p class='hint'><span class='positive-hint'>Not redirecting</span></p></div>"
REDIRECTING = """
<div class="simple_form"><div class="fields-row">
  <div class="fields-row__column fields-group fields-row__column-6"><div class="card h-card">
    <a href="https://new.example/@alice"><div class="display-name"><bdi><strong>Alice</strong></bdi>
    <span>@alice@new.example</span></div></a></div></div>
  <div class="fields-row__column fields-group fields-row__column-6">
    <p class="hint"><span class="positive-hint">Dein Konto wird zu alice@new.example weitergeleitet.</span></p>
    <p class="hint"><a data-method="delete" href="/settings/migration/redirect">Umleitung abbrechen</a></p>
  </div></div></div>"""


def test_migration_page_states(serve, page, account):
    migration = MigrationPage(page, account)
    serve({"/settings/migration": html(NOT_REDIRECTING + migration_form())})
    migration.open()
    state = migration.state()
    assert not state.redirecting and not state.on_cooldown and state.challenge == "current_password"

    serve({"/settings/migration": html(REDIRECTING + migration_form(disabled=True))})
    migration.open()
    state = migration.state()
    assert state.redirecting and state.redirects_to(NEW_HANDLE)
    assert not state.redirects_to(Handle("bob", "new.example"))
    assert state.on_cooldown and state.cooldown_days == 29

    serve({"/settings/migration": html(NOT_REDIRECTING + migration_form(username=True))})
    migration.open()
    assert migration.state().challenge == "current_username"


def test_migration_errors_are_read_per_field(serve, page, account):
    serve({"/settings/migration": html(NOT_REDIRECTING + migration_form(
        errors={"acct": "referenziert nicht zurück auf dieses Konto"}))})
    migration = MigrationPage(page, account)
    migration.open()
    errors = migration.errors()
    assert errors.fields == {"acct": "referenziert nicht zurück auf dieses Konto"}
    assert errors.summary and not errors.acct_disabled

    serve({"/settings/migration": html(NOT_REDIRECTING + migration_form(errors={"current_password": "is invalid"}))})
    migration.open()
    assert migration.errors().fields == {"current_password": "is invalid"}


# --- aliases and export ----------------------------------------------------------------------

ALIASES = """
<form class="simple_form new_account_alias" id="new_account_alias" action="/settings/aliases" method="post">
  <div class="fields-group"><div class="input with_block_label string required account_alias_acct">
  <div class="label_input"><input name="account_alias[acct]" id="account_alias_acct"></div></div></div>
  <div class="actions"><button name="button" type="submit" class="button">Alias erstellen</button></div></form>
<div class="table-wrapper"><table class="table inline-table"><thead><tr><th>Handle</th><th></th></tr></thead><tbody>
  {rows}</tbody></table></div>"""


def test_alias_list(serve, page, account):
    serve({"/settings/aliases": html(ALIASES.format(rows="<tr><td class='muted-hint' colspan='2'>Keine</td></tr>"))})
    aliases = AliasesPage(page, account)
    aliases.open()
    assert aliases.listed() == []
    serve({"/settings/aliases": html(ALIASES.format(rows=(
        "<tr id='account_alias_3'><td>alice@old.example</td><td><a class='table-action-link' data-method='delete'"
        " href='/settings/aliases/3'>Entfernen</a></td></tr>")))})
    aliases.open()
    assert aliases.listed() == ["alice@old.example"]
    assert aliases.lists(Handle("alice", "old.example"))
    assert not aliases.lists(NEW_HANDLE)


def test_export_counts_and_links(serve, page, account):
    serve({"/settings/export": html("""<table class="table"><tbody>
      <tr><th>Medienspeicher</th><td>1,2 MB</td><td></td></tr>
      <tr><th>Folge ich</th><td>1.234</td><td><a class="table-action-link" href="/settings/exports/follows.csv">CSV</a></td></tr>
      <tr><th>Listen</th><td>2</td><td><a href="/settings/exports/lists.csv">CSV</a></td></tr>
      <tr><th>Follower</th><td>99</td><td></td></tr></tbody></table>""")})
    export = ExportPage(page, account)
    export.open()
    assert export.available() == [FOLLOWS, LISTS]
    assert export.count(FOLLOWS) == 1234 and export.count(LISTS) == 2
    assert export.count(BOOKMARKS) is None
