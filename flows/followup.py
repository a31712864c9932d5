"""After the move: what `mastomove watch` starts from, read from the steps' results (no page is
opened).

What is left to the person after a run is each step's own (its `followups`, composed by
agent.results in the plan's order); the summary, the terminal and the report show them."""
from __future__ import annotations

from typing import Any

from mastomove.agent.steps import Results

SHOWN = 5


def _shown(names: list[str]) -> str:
    return ", ".join(names[:SHOWN]) + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")


FOLLOWER_KINDS = ("followers_not_arrived", "followers_waiting", "followers_moving")


def followers_left(check: dict[str, Any]) -> list[dict[str, Any]]:
    """What is left about the followers, from a comparison (flows.followers.Comparison.as_dict):
    those who did not arrive, by likely reason, and those waiting for approval."""
    todo: list[dict[str, Any]] = []
    counts = check.get("counts") or {}
    missing = counts.get("not_arrived") or 0
    if missing:
        servers = [row for row in check.get("servers") or [] if row.get("not_arrived")]
        named = _shown([f"{row['server']} ({row['not_arrived']})" for row in servers])
        todo.append({"kind": "followers_not_arrived", "count": missing,
                     "what": f"{missing} of {counts.get('saved', '?')} followers have not arrived on the new account "
                             f"(by server: {named})",
                     "how": "not-arrived.csv lists them with their server, what it runs and the likely reason. Those on "
                            "Mastodon servers may still arrive: run `mastomove watch` later. The others' servers do not "
                            "process the move (or are down or gone): ask them to follow the new account; "
                            "ask-to-follow.txt has a post to adapt (mastomove posted nothing)"})
    waiting = counts.get("waiting") or 0
    if waiting:
        todo.append({"kind": "followers_waiting", "count": waiting,
                     "what": f"{waiting} follower(s) asked to follow the new account and wait for your approval "
                             "(it requires approval)",
                     "how": f"approve them in the new account's web app, Follow requests ({FOLLOW_REQUESTS_PATH})"})
    return todo


FOLLOW_REQUESTS_PATH = "/follow_requests"  # the web app's Follow requests column


def follow_requests_url(server_url: str) -> str:
    """Where the new account approves waiting follow requests."""
    return server_url.rstrip("/") + FOLLOW_REQUESTS_PATH


def watch_baseline(results: Results, readings: list[dict[str, Any]]) -> tuple[int | None, int | None]:
    """(followers the old account had at the move, followers the new one had before it), from the
    migration's step results, else from an earlier watch (which read the old account's migration
    page); None where unknown."""
    from mastomove.flows.steps.backup import BackupResult  # the steps' follow-ups use this module
    from mastomove.flows.steps.move import MoveResult

    backup, move = results.of(BackupResult), results.of(MoveResult)
    baseline = backup.baseline if backup else None
    expected = move.followers_before if move else None
    if expected is None and baseline is not None:
        expected = baseline.old_followers
    if expected is None and readings:
        expected = readings[-1].get("expected")
    return expected, baseline.new_followers if baseline else None
