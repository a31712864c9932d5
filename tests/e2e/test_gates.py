"""Pages that stand between signing in and the settings: the agent recognises each, stops before
changing anything (exit 3), says what the server asks with a screenshot, and the agent's hint says
how to go on (flows name it, they never name commands or variables)."""
from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e]

HELD = ["follows", "lists", "blocks", "mutes", "domain_blocks", "bookmarks", "aliases", "statuses", "filters",
        "display_name", "note", "fields", "avatar", "imports", "moved_to", "migrations"]


def holdings(cluster) -> dict:
    return {role: {name: getattr(cluster, role).state(account="alice")["account"].get(name) for name in HELD}
            for role in ("old", "new")}


def screenshot_named(run_dir: Path, words: str) -> bool:
    return any(words in shot.name for shot in (run_dir / "screenshots").glob("*.png"))


def stopped_with_nothing_changed(cluster, run, before) -> None:
    assert run.code == 3, run.output
    assert holdings(cluster) == before, "the run changed something before it stopped"
    assert "Traceback" not in run.output


@pytest.mark.parametrize("version", ["4.6", "4.7"])
def test_an_admin_requires_two_factor_authentication(mastodon_factory, run_agent, version):
    cluster = mastodon_factory(version=version, new={"require_2fa": True})
    before = holdings(cluster)
    run = run_agent(cluster, "migrate", "--confirm-move", cluster.credentials["new"].acct)
    stopped_with_nothing_changed(cluster, run, before)
    flat = " ".join(run.output.split())
    assert "The new server requires two-factor authentication for alice@new.test" in flat
    assert "MASTOMOVE_NEW_OTP_SECRET" in flat  # the agent's hint
    assert screenshot_named(run.run_dir, "new-two-factor-setup")


@pytest.mark.parametrize("role, extra", [("new", {}), ("old", {"login_challenge_with_2fa": True})],
                         ids=["password-only", "after-two-factor"])
def test_the_emailed_sign_in_code_after_a_long_inactivity(mastodon_factory, run_agent, role, extra):
    cluster = mastodon_factory(version="4.7", **{role: {"login_challenge_days": 1, **extra}})
    before = holdings(cluster)
    run = run_agent(cluster, "migrate", "--confirm-move", cluster.credentials["new"].acct)
    stopped_with_nothing_changed(cluster, run, before)
    flat = " ".join(run.output.split())
    assert "needs the security code the server just e-mailed" in flat
    assert f"mastomove login {role}" in flat
    assert screenshot_named(run.run_dir, f"{role}-emailed-code")


def test_changed_terms_of_service_in_front_of_the_web_app(mastodon_factory, run_agent):
    cluster = mastodon_factory(version="4.5", new={"tos_interstitial": True})
    before = holdings(cluster)
    run = run_agent(cluster, "migrate", "--confirm-move", cluster.credentials["new"].acct)
    stopped_with_nothing_changed(cluster, run, before)
    flat = " ".join(run.output.split())
    assert "shows alice@new.test its changed terms of service" in flat
    assert screenshot_named(run.run_dir, "new-terms-changed")


def test_an_unknown_page_after_signing_in(mastodon_factory, run_agent):
    cluster = mastodon_factory(version="4.7", old={"unknown_interstitial": "Please confirm your birthday"})
    before = holdings(cluster)
    run = run_agent(cluster, "migrate", "--confirm-move", cluster.credentials["new"].acct)
    stopped_with_nothing_changed(cluster, run, before)
    flat = " ".join(run.output.split())
    assert "a page mastomove does not know" in flat and "screenshot:" in flat
