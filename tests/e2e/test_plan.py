"""`mastomove plan`: signs in to both accounts, reads them, says what migrate would do, changes
nothing, and exits 3 when migrate would stop before the move."""
from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.e2e

LISTS = ["follows", "lists", "blocks", "mutes", "domain_blocks", "bookmarks", "aliases", "statuses"]


def holdings(cluster) -> dict:
    """What the two accounts hold (not their sign-in times, which signing in changes)."""
    return {role: {name: getattr(cluster, role).account("alice", LISTS)[name] for name in LISTS}
            for role in ("old", "new")}


def test_plan_reads_both_accounts_and_changes_nothing(mastodon, run_agent):
    before = holdings(mastodon)
    planned = run_agent(mastodon, "plan")
    assert planned.code == 0, planned.output
    report = json.loads((planned.run_dir / "plan" / "plan.json").read_text())
    old = before["old"]
    # the counts it read from the export page are what the old server holds
    assert report["old"]["counts"]["follows"] == len(old["follows"])
    assert report["old"]["counts"]["blocks"] == len(old["blocks"])
    assert report["new"]["exists"] is True and report["new"]["alias_present"] is False
    assert report["stops"] == []
    assert f"follows {len(old['follows'])}" in planned.output
    assert holdings(mastodon) == before


def test_plan_says_migrate_would_stop_for_a_new_account_that_does_not_exist(mastodon, run_agent):
    before = holdings(mastodon)
    planned = run_agent(mastodon, "plan", MASTOMOVE_NEW_HANDLE="nobody@new.test")
    assert planned.code == 3, planned.output
    assert "nobody@new.test does not exist" in planned.output
    assert holdings(mastodon) == before
