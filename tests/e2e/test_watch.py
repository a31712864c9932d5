"""After the move, `mastomove watch` follows the followers until all have arrived; during a run,
the watch-along overlay says which step is running and outlines what is about to be clicked."""
from __future__ import annotations

import io
import json

import pytest
from pydantic import SecretStr
from rich.console import Console

from mastomove.agent.accounts import accounts_for
from mastomove.agent.run import Run
from mastomove.agent.person import ConsolePerson
from mastomove.agent.settings import Settings
from mastomove.agent.steps import Role
from mastomove.agent.watchalong import read_overlay
from e2e_runs import account_env, in_thread, mastomove, move_by_hand
from mastomove.flows.pages.sign_in import SignInPage
from mastomove.flows.steps import sign_in as sign_in_module
from mastomove.flows.steps.sign_in import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def fresh_one_time_codes() -> None:
    """The cluster was reset: no code of this process has been used on it yet (the agent
    otherwise waits for the next code, as a code works once)."""
    sign_in_module._last_code_step.clear()


# remote.test moves its people's follows one at a time, three seconds apart: the watch sees them arrive.
@pytest.mark.fixture_config(remote={"move_batch_size": 1, "move_batch_interval": 3.0})
def test_watch_follows_the_followers_to_100_percent(mastodon, tmp_path):
    had = mastodon.old.state(account="alice")["account"]["followers_count"]
    move_by_hand(mastodon)
    migration = mastodon.old.state(account="alice")["account"]["migrations"][0]
    assert migration["followers_count"] == had

    # No run folder of a migration: the number to reach is read from the old account's migration page.
    run_dir = tmp_path / "run"
    watched = mastomove("watch", "--minutes", "3", env=account_env(mastodon, run_dir))
    output = watched.stdout + watched.stderr
    assert watched.returncode == 0, output

    readings = json.loads((run_dir / "watch" / "readings.json").read_text())
    assert readings[-1]["expected"] == had
    assert readings[-1]["percent"] == 100 and readings[-1]["arrived"] == had
    assert any(r["percent"] < 100 for r in readings), "the followers should have been seen on their way"
    assert [r["arrived"] for r in readings] == sorted(r["arrived"] for r in readings)
    assert "(100%)" in output and "Done:" in output
    new = mastodon.new.state(account="alice")["account"]
    assert new["followers_count"] == had
    assert len((run_dir / "watch" / "log.jsonl").read_text().splitlines()) >= len(readings)

    # Run again later: it says so at once (no sign-in needed: the number to reach was noted), and
    # the readings go on in the same file.
    again = mastomove("watch", "--minutes", "1", env=account_env(mastodon, run_dir, MASTOMOVE_OLD_PASSWORD=""))
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(json.loads((run_dir / "watch" / "readings.json").read_text())) == len(readings) + 1


def test_watch_before_any_move_says_there_is_nothing_to_watch(mastodon, tmp_path):
    # The run folder says how many followers to expect, so no sign-in is needed to find out.
    run_dir = tmp_path / "run"
    (run_dir).mkdir()
    (run_dir / "state.json").write_text(json.dumps({
        "version": 1, "old": mastodon.credentials["old"].acct, "new": mastodon.credentials["new"].acct,
        "steps": {"move": {"status": "pending", "result": {"followers_before": 3}}}}))
    watched = mastomove("watch", "--minutes", "1", env=account_env(mastodon, run_dir))
    assert watched.returncode == 3, watched.stdout + watched.stderr
    assert "nothing to watch yet" in watched.stdout + watched.stderr


def test_watch_along_banner_and_highlight(mastodon, tmp_path):
    """Headless, read from the injected overlay: the banner names the step, survives navigations,
    and the element the pointer is moved onto before a click is outlined, for at least the
    slow-mo delay before the press."""
    in_thread(lambda: watch_along(mastodon, tmp_path))


def watch_along(mastodon, tmp_path) -> None:
    old = mastodon.credentials["old"]
    settings = Settings(_env_file=None, old_handle=old.acct, old_url=mastodon.old.url, old_email=old.email,
                        old_password=SecretStr(old.password), old_otp_secret=SecretStr(old.otp_secret),
                        new_handle=mastodon.credentials["new"].acct, new_url=mastodon.new.url,
                        new_email=mastodon.credentials["new"].email,
                        new_password=SecretStr(mastodon.credentials["new"].password),
                        run_dir=tmp_path / "run", watch_along=True, slow_mo=250)
    person = ConsolePerson(interactive=False, console=Console(file=io.StringIO(), width=200))
    run = Run(settings, accounts_for(settings), person, settings.run_dir)
    fresh_one_time_codes()
    try:
        page = run.browser.page("old")
        person.step(5, 10, "Import the lists into the new account")
        person.progress("Importing follows", 12, 40)
        form = SignInPage(page, run.ctx.accounts[Role.OLD])
        form.open()
        shown = read_overlay(page)
        assert shown["banner"] == "Step 5 of 10: Import the lists into the new account · importing follows: 12 of 40"

        page.locator("#user_email").click()
        shown = read_overlay(page)
        assert shown["highlighted"].startswith("input#user_email")
        assert int(shown["lead_ms"]) >= 200, shown  # outlined for the slow-mo delay before the press

        # The real sign-in flow clicks its way through two pages; the banner follows every page.
        person.step(1, 10, "Sign in to both accounts")
        sign_in(run.ctx, Role.OLD)
        shown = read_overlay(page)
        assert shown["banner"] == "Step 1 of 10: Sign in to both accounts"
        # signed in: last on the profile page, where sign-in checks the account can use its settings
        assert page.url.endswith("/settings/profile")
        # The overlay is invisible to the page's own locators and to clicks.
        assert page.locator("text=Step 1 of 10").count() == 0
        assert page.evaluate("document.elementFromPoint(innerWidth / 2, innerHeight - 20).tagName") != "MASTOMOVE-OVERLAY"
    finally:
        run.close()
