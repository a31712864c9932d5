"""Saved sign-ins (what `mastomove login` keeps): later runs reuse them, and notice when the
server has ended them."""
from __future__ import annotations

import json
import os
import stat

import pytest

pytestmark = pytest.mark.e2e


def save_new_session(browser, cluster, path) -> None:
    """A person signing in to the new account by hand, as `mastomove login new` lets them."""
    cred = cluster.credentials["new"]
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{cluster.new.url}/auth/sign_in")
    page.fill("#user_email", cred.email)
    page.fill("#user_password", cred.password)
    page.locator("form#new_user button[type=submit]").click()
    page.wait_for_url(lambda url: "/auth/sign_in" not in url)
    path.parent.mkdir(parents=True, exist_ok=True)
    context.storage_state(path=str(path))
    os.chmod(path, 0o600)
    context.close()


def test_a_saved_session_is_used_and_its_expiry_noticed(mastodon, run_agent, browser, tmp_path):
    sessions = tmp_path / "sessions"
    save_new_session(browser, mastodon, sessions / f"new-{mastodon.credentials['new'].acct}.json")
    no_password = {"MASTOMOVE_SESSION_DIR": str(sessions), "MASTOMOVE_NEW_PASSWORD": ""}

    sessions_before = mastodon.new.account("alice", [])["sessions"]
    planned = run_agent(mastodon, "plan", **no_password)
    assert planned.code == 0, planned.output
    events = [json.loads(line) for line in planned.log_lines_of("plan").splitlines()]
    assert any(e["event"] == "sign_in.reused_session" and e.get("account") == "new" for e in events), events
    # no sign-in through the form: the server holds no new session for the account
    assert mastodon.new.account("alice", [])["sessions"] == sessions_before
    assert stat.S_IMODE(next(sessions.glob("*.json")).stat().st_mode) == 0o600

    # The server ends every session (what an expiry or "log out everywhere" looks like).
    mastodon.new.fault("/", "sign_out", count=None)
    expired = run_agent(mastodon, "plan", **no_password)
    mastodon.new.clear_faults()
    assert expired.code == 3, expired.output
    assert "mastomove login new" in expired.output
