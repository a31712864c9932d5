"""check-ui's import worker check (flows/checks/test_import_worker.py), as `mastomove check-ui`
runs it: it catches a server whose import worker never runs (the fixture's `import_worker: false`,
a Sidekiq queue nobody serves), stays green when the worker runs, leaves the account's lists as they
were, and skips with its reason when every list is empty or the server is 4.1."""
from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e]

CHECK = "test_import_worker_processes_a_merge_import[chromium]"
LISTS = ("follows", "lists", "blocks", "mutes", "domain_blocks", "bookmarks")


def lists_of(cluster) -> dict:
    account = cluster.old.state(account="alice")["account"]
    return {name: account[name] for name in LISTS}


def test_the_import_worker_check_is_green_when_the_worker_runs(mastodon_factory, run_check):
    cluster = mastodon_factory(version="4.7")
    before = lists_of(cluster)
    run = run_check(cluster, "-k", "import_worker")
    assert run.outcomes() == {CHECK: "passed"}, run.output
    cluster.wait_idle(10)
    assert lists_of(cluster) == before, "the merge re-import changed the account's lists"
    imports = cluster.old.state(account="alice")["account"]["imports"]
    assert len(imports) == 1 and imports[0]["type"] == "domain_blocking", imports  # the cheapest list


def test_the_import_worker_check_catches_a_worker_that_never_runs(mastodon_factory, run_check):
    cluster = mastodon_factory(version="4.6", old={"import_worker": False})
    before = lists_of(cluster)
    run = run_check(cluster, "-k", "import_worker", MASTOMOVE_CHECK_IMPORT_WAIT_SECONDS="6")
    assert run.code != 0 and run.outcomes() == {CHECK: "failed"}, run.output
    message = " ".join(run.cases[CHECK].message.split())
    assert "finished within 6 s" in message and "background workers may not be running" in message, message
    assert lists_of(cluster) == before
    # what the server holds: the import confirmed and waiting in the queue, nothing processed
    imports = cluster.old.state(account="alice")["account"]["imports"]
    assert len(imports) == 1 and imports[0]["state"] != "finished", imports


def test_the_import_worker_check_skips_when_every_list_is_empty(mastodon_factory, run_check):
    cluster = mastodon_factory(seed={name: 0 for name in ("follows", "lists", "blocks", "mutes", "domain_blocks",
                                                           "bookmarks", "pending_requests")}, version="4.5")
    run = run_check(cluster, "-k", "import_worker")
    assert run.outcomes() == {CHECK: "skipped"}, run.output
    assert "every list of the test account is empty" in run.cases[CHECK].message
    assert cluster.old.state(account="alice")["account"]["imports"] == []
