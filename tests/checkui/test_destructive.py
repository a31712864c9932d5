"""`mastomove check-ui --destructive`: the non-destructive checks, then a whole migration between
the two named accounts by the agent's own steps, checked on the servers themselves."""
from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_destructive_run_moves_the_test_account(mastodon, run_check):
    old, new = mastodon.credentials["old"], mastodon.credentials["new"]
    assert mastodon.old.state(account="alice")["account"]["moved_to"] is None
    # the non-destructive checks are proven green in test_green.py; here only the move itself
    run = run_check(mastodon, "--destructive", "-k", "end_to_end", timeout=600,
                    MASTOMOVE_NEW_EMAIL=new.email, MASTOMOVE_NEW_PASSWORD=new.password,
                    # test speed: the alias and the followers show up within seconds here
                    MASTOMOVE_ALIAS_FIRST_WAIT_SECONDS="1", MASTOMOVE_ALIAS_WAIT_CAP_SECONDS="5",
                    MASTOMOVE_ALIAS_WAIT_SECONDS="120", MASTOMOVE_FOLLOWER_WATCH_SECONDS="30")
    assert run.code == 0, run.output
    assert run.outcomes() == {"test_full_migration_end_to_end[chromium]": "passed"}, run.outcomes()
    moved = mastodon.old.state(account="alice")["account"]
    assert moved["moved_to"] in (new.acct, f"@{new.acct}") and len(moved["migrations"]) == 1
    assert [a["acct"] for a in mastodon.new.state(account="alice")["account"]["aliases"]] == [old.acct]
    # the agent's own run folder, inside the check's output folder
    assert (run.folder / "destructive-migration" / "summary.md").is_file()
    assert not list((run.folder / "destructive-migration-sessions").glob("*.json")), "a saved session was left behind"
