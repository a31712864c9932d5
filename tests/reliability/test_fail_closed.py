"""Fail closed: where an answer cannot be read, it is unknown, and unknown is never the safe case.

- check-ui's "not an alias" check types the account's real password into the move form with a
  second account that must not list the first as an alias (if it did, the account would move).
  That second account here IS an alias, and its actor answers 401 (AUTHORIZED_FETCH) or a 403
  page (a WAF): the check must not submit, say why it skipped, and leave both accounts unchanged.
- A persistent 503 on the alias form: the form is sent at most five times in all (one retry
  budget per action, whoever retries), then the run stops with exit 3 and one clear line.
"""
from __future__ import annotations

import pytest

from harness import SMALL_SEED, run_agent
from mastomove.fixtures.store import AccountAlias
from servers import changes, snapshot
from tests.checkui.checkui_runs import run_check_ui

pytestmark = pytest.mark.fixture_seed(**SMALL_SEED)
NOT_AN_ALIAS_CHECK = "test_move_form_refuses_a_handle_that_is_not_an_alias[chromium]"


def alias_the_old_account_on_the_new_one(cluster) -> None:
    """White-box: the new account lists the old one as an alias (as its Account aliases page would
    after a person added it), published at once."""
    new_server = cluster.server("new")
    new = new_server.store.local_account("alice")
    old = cluster.server("old").store.local_account("alice")
    alias = AccountAlias(new_server.store.next_id(), new.id, cluster.credentials["old"].acct, old.uri,
                         new_server.clock.now())
    new_server.store.aliases[alias.id] = alias
    new.also_known_as.append(old.uri)


@pytest.mark.parametrize("status", [401, 403], ids=["401 AUTHORIZED_FETCH", "403 WAF page"])
def test_check_ui_never_submits_the_move_when_the_alias_cannot_be_read(mastodon, tmp_path, status, figures):
    alias_the_old_account_on_the_new_one(mastodon)
    assert mastodon.credentials["old"].acct in [a["acct"] for a in mastodon.new.state(account="alice")["account"]["aliases"]]
    # Only the check's own, unsigned, request meets it: the old server's signed fetch of the actor
    # (what it does when the move form is sent) is answered, as under AUTHORIZED_FETCH.
    mastodon.new.fault("/users/alice", "status", count=1, status=status, method="GET")
    before = snapshot(mastodon)
    try:
        run = run_check_ui(mastodon, tmp_path / "check-ui", "-k", "not_an_alias")
        asked = next(f["hits"] for f in mastodon.new.faults() if f["path"] == "/users/alice")
    finally:
        mastodon.new.clear_faults()
    assert asked == 1, "the check never asked for the second account's actor"
    old = mastodon.old.state(account="alice")["account"]
    held = old["moved_to"] is None and old["migrations"] == [] and not changes(before, snapshot(mastodon))
    figures.failed_closed(f"check-ui alias check, actor answers {status}", held,
                          f"moved_to={old['moved_to']}, migrations={old['migrations']}")
    assert held, "the test account moved"
    assert run.outcomes() == {NOT_AN_ALIAS_CHECK: "skipped"}, run.output[-3000:]
    assert "could not be read" in run.cases[NOT_AN_ALIAS_CHECK].message
    assert run.code == 0, run.output[-3000:]  # a skip is not a failure


def test_a_persistent_503_on_the_alias_form_sends_it_at_most_five_times(mastodon, tmp_path, figures):
    mastodon.new.fault("/settings/aliases", "status", count=None, status=503, method="POST")
    try:
        result = run_agent(mastodon, tmp_path / "run", "migrate", "--confirm-move", mastodon.credentials["new"].acct)
        sent = next(f["hits"] for f in mastodon.new.faults() if f["path"] == "/settings/aliases")
    finally:
        mastodon.new.clear_faults()
    figures.sends("alias form under a persistent 503", sent)
    assert 1 <= sent <= 5, f"the alias form was sent {sent} times"
    assert result.code == 3, result.output[-3000:]
    assert "gave up after 5 tries" in result.stop_line(), result.output[-3000:]
    assert mastodon.old.state(account="alice")["account"]["moved_to"] is None
