"""Saved sign-ins (what `mastomove login` keeps): later runs reuse them, and notice when the
server has ended them."""
from __future__ import annotations

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

    planned = run_agent(mastodon, "plan", **no_password)
    assert planned.code == 0, planned.output
    assert "saved session" in (planned.run_dir / "plan" / "log.jsonl").read_text().replace("_", " ") or \
        "reused" in (planned.run_dir / "plan" / "log.jsonl").read_text()
    assert stat.S_IMODE(next(sessions.glob("*.json")).stat().st_mode) == 0o600

    # The server ends every session (what an expiry or "log out everywhere" looks like).
    before = mastodon.new.state(account="alice")
    mastodon.new.fault("/", "sign_out", count=None)
    expired = run_agent(mastodon, "plan", **no_password)
    mastodon.new.clear_faults()
    assert expired.code == 3, expired.output
    assert "mastomove login new" in expired.output
    assert mastodon.new.state(account="alice")["account"]["follows"] == before["account"]["follows"]
