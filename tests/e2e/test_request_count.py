"""How many requests a whole migration costs the two servers (issue 12): one sign-in per account,
and no more page loads and form posts than measured, so that a change which adds requests fails.

The servers count what reaches them (fixtures/latency.py, /_fixtures/requests). Page loads and
form posts of both servers together are bounded by what a run of `mastomove migrate --confirm-move`
on a fresh 4.7 -> 4.7 seed (the fixtures' default) measured, with a small `MARGIN`. The reads of
the two pages where the agent waits for a background job (the imports list, the export page with
the archive) are counted apart: how many there are depends on how busy the machine is, and the
polling policy (agent/retry.py) bounds them, not this test."""
from __future__ import annotations

import json

import httpx
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

MEASURED = 55  # page loads and form posts of the run, both servers, waits apart (measured)
MARGIN = 3
WAIT_PAGES = {"/settings/imports", "/settings/export"}  # re-read while a background job runs


def counted(instance) -> dict:
    return httpx.get(instance.url + "/_fixtures/requests", trust_env=False, timeout=30).json()


def clear(instance) -> None:
    httpx.delete(instance.url + "/_fixtures/requests", trust_env=False, timeout=30).raise_for_status()


def pages_and_forms(count: dict) -> int:
    """Page loads and form posts, without the GETs of the pages where the agent waits for a job."""
    return sum(1 for r in count["requests"] if r["kind"] in ("document", "form_post")
               and not (r["method"] == "GET" and r["path"] in WAIT_PAGES))


def waits(count: dict) -> int:
    return sum(1 for r in count["requests"] if r["method"] == "GET" and r["path"] in WAIT_PAGES)


def named(count: dict) -> list[str]:
    return [f'{r["method"]} {r["path"]} {r["status"]}' for r in count["requests"]
            if r["kind"] in ("document", "form_post", "api", "download")]


def test_a_whole_migration_signs_in_once_per_account_and_loads_no_more_than_measured(mastodon_factory, run_agent):
    cluster = mastodon_factory(old={"version": "4.7"}, new={"version": "4.7"})
    for instance in (cluster.old, cluster.new):
        clear(instance)

    run = run_agent(cluster, "migrate", "--confirm-move", cluster.credentials["new"].acct)
    assert run.code == 0, run.output

    old, new = counted(cluster.old), counted(cluster.new)
    print(json.dumps({"old": {"by_kind": old["by_kind"], "requests": named(old)},
                      "new": {"by_kind": new["by_kind"], "requests": named(new)}}, indent=1))
    total = pages_and_forms(old) + pages_and_forms(new)
    print("pages and forms:", pages_and_forms(old), "+", pages_and_forms(new), "=", total,
          "; waits:", waits(old) + waits(new))
    assert (old["sign_ins"], new["sign_ins"]) == (1, 1), "one sign-in per account per run"
    # the old account has two-factor authentication (a password, then a code), the new one not
    assert (old["sign_in_posts"], new["sign_in_posts"]) == (2, 1), "no sign-in form sent twice"
    assert total <= MEASURED + MARGIN, f"{total} page loads and form posts, measured {MEASURED}"


RESUME_MEASURED = 15  # document + form_post requests of the resumed run (from the pause to the end)


def test_a_run_resumed_at_the_pause_signs_in_once_and_rechecks_only_what_the_move_needs(mastodon, run_agent):
    first = run_agent(mastodon, "migrate")  # no terminal, no --confirm-move: it stops at the pause
    assert first.code == 3, first.output
    for instance in (mastodon.old, mastodon.new):
        clear(instance)

    resumed = run_agent(mastodon, "migrate", "--confirm-move", mastodon.credentials["new"].acct, run_dir=first.run_dir)
    assert resumed.code == 0, resumed.output

    old, new = counted(mastodon.old), counted(mastodon.new)
    print(json.dumps({"old": named(old), "new": named(new)}, indent=1))
    total = pages_and_forms(old) + pages_and_forms(new)
    print("resumed, pages and forms:", pages_and_forms(old), "+", pages_and_forms(new), "=", total)
    assert (old["sign_ins"], new["sign_ins"]) == (1, 1), "one sign-in per account per run"
    # what the move needs is read again (the alias, the old account free to move); the export
    # page, the profile and the announcement are not
    documents = {r["path"] for r in old["requests"] + new["requests"] if r["kind"] == "document"}
    assert not documents & {"/settings/export", "/profile/edit"}, sorted(documents)
    profile_pages = [r for r in old["requests"] + new["requests"] if r["path"] == "/settings/profile"]
    assert len(profile_pages) == 2, "the profile page once per account (the check after signing in)"
    assert "/settings/aliases" in documents and "/settings/migration" in documents
    assert total <= RESUME_MEASURED + MARGIN, f"{total} page loads and form posts, measured {RESUME_MEASURED}"
