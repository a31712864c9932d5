"""A trace of a whole run never holds a password or the OTP secret, nor a one-time code that was
typed: the trace is unzipped and searched, every chunk of it. A video cannot be searched; what
keeps it clean is checked on a page: secrets are drawn as discs while they are typed."""
from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest

from mastomove.agent.evidence import hide_typed_secrets
from e2e_runs import traced_migration, unzipped

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def migrated(fixture_cluster, tmp_path_factory):
    return traced_migration(fixture_cluster, tmp_path_factory.mktemp("shared"))


def one_time_codes_around(secret: str, start: dt.datetime, end: dt.datetime) -> set[str]:
    totp = pyotp.TOTP(secret)
    step = dt.timedelta(seconds=totp.interval)
    codes, moment = set(), start - 2 * step
    while moment <= end + 2 * step:
        codes.add(totp.at(moment))
        moment += step
    return codes


def test_the_trace_holds_no_password_nor_otp_secret(migrated):
    assert migrated.code == 0, migrated.output
    zips = sorted((migrated.run_dir / "trace").glob("*.zip"))
    names = {z.name for z in zips}
    assert {"old.zip", "new.zip"} <= names, names

    contents = {f"{z.name}/{name}": data for z in zips for name, data in unzipped(z).items()}
    events = b"\n".join(data for name, data in contents.items() if name.endswith((".trace", ".network")))
    # The trace is worth searching: it holds the actions, and the text the agent typed that is not a
    # secret (the announcement), so a typed password would be there too if it were recorded.
    assert b"settings/export" in events and b"settings/migration" in events
    assert migrated.announcement.encode() in events
    assert any(name.endswith((".jpeg", ".png")) for name in contents)

    for secret in migrated.secrets:
        for variant in {secret, secret.lower(), secret.upper()}:
            hits = [name for name, data in contents.items() if variant.encode() in data]
            assert not hits, f"a secret is readable in {hits}"
    # nor any one-time code of the run's minutes, as typed text
    stamps = [dt.datetime.fromisoformat(m.decode().replace("Z", "+00:00"))
              for m in re.findall(rb'"timestamp": "([^"]+)"', (migrated.run_dir / "log.jsonl").read_bytes())]
    assert migrated.otp_secret, "the old account signs in with two-factor"
    for code in one_time_codes_around(migrated.otp_secret, min(stamps), max(stamps)):
        assert f'"{code}"'.encode() not in events, "a one-time code is readable in the trace"
    # nor the web app's session token the followers' pages were asked for with (past the first page)
    import json
    saved = json.loads((migrated.run_dir / "followers.json").read_text())
    followers = saved["followers"] if isinstance(saved, dict) else saved
    assert len(followers) > 80, "the followers fit one page: the token's pages were not asked for"
    assert re.search(rb"bearer\s", events, re.IGNORECASE) is None, "an Authorization header is readable in the trace"
    # the trace was cut around each secret: the parts before are kept as chunks
    assert any(name.startswith("chunk-") for name in names), names


@pytest.mark.parametrize("policy", [None, "default-src 'none'; style-src 'self'; script-src 'self'"],
                         ids=["no CSP", "Mastodon's CSP (no injected styles)"])
def test_typed_secrets_are_drawn_as_discs_for_the_video(page, policy):
    """A video records the screen as is: while secrets are typed, password and one-time-code fields
    show discs (Chromium's text security), which a screenshot of the field shows too; also under
    Mastodon's Content-Security-Policy, which refuses a <style> element put in by a script."""
    body = ('<input id="otp" name="user[otp_attempt]" autocomplete="one-time-code">'
            '<input id="plain" name="user[email]">')
    headers = {"content-type": "text/html", **({"content-security-policy": policy} if policy else {})}
    page.route("http://form.test/", lambda route: route.fulfill(status=200, headers=headers, body=body))
    page.goto("http://form.test/")
    shown_before = page.locator("#otp").evaluate("e => getComputedStyle(e).webkitTextSecurity")
    hide_typed_secrets(page)
    page.fill("#otp", "123456")
    assert shown_before == "none"
    assert page.locator("#otp").evaluate("e => getComputedStyle(e).webkitTextSecurity") == "disc"
    assert page.locator("#plain").evaluate("e => getComputedStyle(e).webkitTextSecurity") == "none"
