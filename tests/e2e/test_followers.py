"""Who came along (issue 14): the old account's followers saved before the move as the web app shows
them, and after the move the three groups (arrived, waiting for approval, not arrived) by server,
with what each server runs and why, checked against what the servers hold (/_fixtures/state).
Steps run in this process (e2e_runs.in_process_run) on small seeds; the move is done by hand."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from e2e_runs import account_env, in_process_run, in_thread, mastomove, move_by_hand
from mastomove.agent import followers as files
from mastomove.agent.steps import Role
from mastomove.flows.steps.followers import ArrivalsResult, ArrivalsStep, save_old_followers
from mastomove.flows.steps.sign_in import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SMALL = dict(follows=8, lists=1, list_members=2, blocks=1, mutes=1, domain_blocks=1, bookmarks=1, statuses=3,
             direct_messages=1, notifications=2, filters=0)
# Deliveries to the dead servers are given up quickly, so that the move's work ends within seconds.
QUICK = dict(alias_delay_seconds=0, delivery_retry_delays=[0.2, 0.4])


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def followers_held(instance, username: str = "alice") -> set[str]:
    return {f["acct"] for f in instance.account(username, ["followers"])["followers"]}


def came_along(mastodon) -> tuple[set[str], set[str]]:
    """(following the new account, asking to follow it), per new.test's state."""
    state = mastodon.new.account("alice", ["followers", "incoming_follow_requests"])
    return {f["acct"] for f in state["followers"]}, {f["acct"] for f in state["incoming_follow_requests"]}


def save_then_move(mastodon, run_dir: Path) -> tuple[set[str], list[dict]]:
    """The followers saved as the backup does it, then the move by hand; (followers at the move,
    followers.csv rows)."""
    run = in_process_run(mastodon, run_dir)
    try:
        sign_in(run.ctx, Role.OLD)
        saved = save_old_followers(run.ctx)
    finally:
        run.close()
    at_move = followers_held(mastodon.old)
    assert saved.complete and saved.count == len(at_move)
    move_by_hand(mastodon)
    assert mastodon.wait_idle(60)
    return at_move, rows(run_dir / files.FOLLOWERS_CSV)


def compare_now(mastodon, run_dir: Path) -> ArrivalsResult:
    run = in_process_run(mastodon, run_dir, step="arrivals")
    try:
        sign_in(run.ctx, Role.NEW)
        return ArrivalsStep().run(run.ctx)
    finally:
        run.close()


@pytest.mark.fixture_config(**QUICK, new={"alias_delay_seconds": 0})
@pytest.mark.fixture_seed(**SMALL, followers_old=2, followers_new=2, followers_remote=5, followers_ignore=3,
                          followers_down=2, followers_gone=2)
def test_who_came_along_and_why_the_others_did_not(mastodon, tmp_path):
    in_thread(lambda: who_came_along(mastodon, tmp_path / "run"))


def who_came_along(mastodon, run_dir: Path) -> None:
    at_move, saved_rows = save_then_move(mastodon, run_dir)

    # followers.csv: exactly the old account's followers at the move, with their server
    assert {r["handle"] for r in saved_rows} == at_move
    assert all(r["server"] == r["handle"].split("@")[1] for r in saved_rows)
    assert {r["reblogs"] for r in saved_rows} == {"not shown"}  # Mastodon does not show it to the followed
    names = {r["handle"]: r["display_name"] for r in saved_rows}
    someone = next(h for h in at_move if h.endswith("@remote.test"))
    assert names[someone] == mastodon.remote.account(someone.split("@")[0])["display_name"]
    listed = json.loads((run_dir / files.FOLLOWERS_JSON).read_text())
    assert listed["count"] == len(at_move) and listed["complete"]
    assert not (run_dir / "followers.partial.jsonl").exists()

    result = compare_now(mastodon, run_dir)
    following, asking = came_along(mastodon)
    not_following = at_move - following - asking
    assert not_following, "the seed puts followers on servers that will not follow"

    # the groups, as the servers hold them
    assert result.counts == {"saved": len(at_move), "arrived": len(at_move & following),
                                "waiting": len(at_move & asking), "not_arrived": len(not_following), "excluded": 0}
    missing = rows(run_dir / files.NOT_ARRIVED_CSV)
    assert {r["handle"] for r in missing} == not_following
    assert {h.split("@")[1] for h in not_following} == {"ignore.test", "down.test", "gone.test"}

    # each server's reason matches what it is
    by_server = {r["server"]: r for r in result.servers}
    assert by_server["ignore.test"]["kind"] == "software_ignores_move"
    assert by_server["ignore.test"]["software"] == "GoToSocial 0.14.0"
    assert by_server["down.test"]["kind"] == "unreachable" and by_server["down.test"]["answer"]["failure"] == "refused"
    assert by_server["gone.test"]["kind"] == "gone" and by_server["gone.test"]["answer"]["status"] == 410
    for server in ("remote.test", "old.test", "new.test"):  # Mastodon servers that processed the move
        there = {h for h in at_move if h.endswith("@" + server)}
        assert (by_server[server]["arrived"], by_server[server]["not_arrived"]) == (len(there), 0), server
    for row in missing:
        assert row["reason"] == by_server[row["server"]]["reason"] and row["reason"]
    assert {r["software"] for r in missing if r["server"] == "ignore.test"} == {"GoToSocial 0.14.0"}

    # a post to adapt, never posted, naming them (but those on the server that is gone: nothing reaches them)
    post = (run_dir / files.POST_TXT).read_text()
    assert all((f"@{handle}" in post) != handle.endswith("@gone.test") for handle in not_following)
    assert "did not post" in post
    assert mastodon.new.account("alice")["statuses_count"] == 0
    check = json.loads((run_dir / files.CHECK_JSON).read_text())
    assert {r["handle"] for r in check["not_arrived"]} == not_following


@pytest.mark.fixture_config(**QUICK, new={"alias_delay_seconds": 0})
@pytest.mark.fixture_seed(**SMALL, followers_old=0, followers_new=0, followers_remote=4, followers_ignore=2,
                          new_locked=True)
def test_a_locked_new_account_and_the_watch_that_settles(mastodon, tmp_path):
    run_dir = tmp_path / "run"
    at_move, _ = in_thread(lambda: save_then_move(mastodon, run_dir))
    following, asking = came_along(mastodon)
    assert asking and not following, "a locked new account receives moved followers as requests"

    # `mastomove watch` compares, sees nothing change, and stops after the settle time, saying so.
    watched = mastomove("watch", "--minutes", "2", "--settle-minutes", "0.1", env=account_env(mastodon, run_dir))
    output = watched.stdout + watched.stderr
    assert watched.returncode == 3, output
    assert "has not changed for 0.1 min" in output
    check = json.loads((run_dir / files.CHECK_JSON).read_text())
    assert check["counts"]["waiting"] == len(at_move & asking) == 4
    assert check["counts"]["not_arrived"] == 2 and check["counts"]["arrived"] == 0
    assert {r["handle"] for r in check["waiting"]} == at_move & asking
    assert {r["handle"] for r in rows(run_dir / files.NOT_ARRIVED_CSV)} == at_move - asking
    assert "/follow_requests" in output


# Three pages at least: the first as the web app loads it (40), then 80 a page.
@pytest.mark.fixture_seed(**SMALL, followers_old=0, followers_new=0, followers_remote=230)
def test_saving_a_long_list_resumes_where_it_stopped(mastodon, tmp_path):
    in_thread(lambda: save_twice(mastodon, tmp_path / "run"))


def save_twice(mastodon, run_dir: Path) -> None:
    from mastomove.agent.errors import MastomoveError

    me = mastodon.old.account("alice")["id"]
    # The first page the app asks for passes; the next one is refused for longer than a run waits.
    mastodon.old.fault(path=f"/api/v1/accounts/{me}/followers", kind="rate_limit", retry_after=900, count=1,
                       after={"path": f"/api/v1/accounts/{me}/followers"})
    run = in_process_run(mastodon, run_dir)
    try:
        sign_in(run.ctx, Role.OLD)
        with pytest.raises(MastomoveError):
            save_old_followers(run.ctx)
        partial = (run_dir / "followers.partial.jsonl").read_text().splitlines()
        assert len(partial) == 40, "the first page is kept"
        assert "max_id" in run.ctx.notes["followers"]["next"]
        assert not (run_dir / files.FOLLOWERS_CSV).exists()

        saved = save_old_followers(run.ctx)  # the same step again: it goes on from the noted page
    finally:
        run.close()
    held = followers_held(mastodon.old)
    assert saved.count == len(held) == 230 and saved.complete
    assert {r["handle"] for r in rows(run_dir / files.FOLLOWERS_CSV)} == held
    log = [json.loads(line) for line in (run_dir / "log.jsonl").read_text().splitlines()]
    resumed = [e for e in log if e.get("event") == "followers.resumed"]
    assert resumed and resumed[0]["saved"] == 40
    # 40 again (the column opened), then 80, 80 and 30 from where it stopped: 4 page reads, not 5
    pages = [e for e in log if e.get("event") == "backup.followers"][-1]["pages"]
    assert pages == 4
    assert not (run_dir / "followers.partial.jsonl").exists()
