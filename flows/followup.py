"""After the move: what `mastomove watch` starts from, read from the steps' results (no page is
opened).

What is left to the person after a run is each step's own (its `followups`, composed by
agent.results in the plan's order); the summary, the terminal and the report show them."""
from __future__ import annotations

from typing import Any

from mastomove.agent.steps import Results
from mastomove.flows.steps.backup import BackupResult
from mastomove.flows.steps.move import MoveResult

FOLLOW_REQUESTS_PATH = "/follow_requests"  # the web app's Follow requests column


def follow_requests_url(server_url: str) -> str:
    """Where the new account approves waiting follow requests."""
    return server_url.rstrip("/") + FOLLOW_REQUESTS_PATH


def watch_baseline(results: Results, readings: list[dict[str, Any]]) -> tuple[int | None, int | None]:
    """(followers the old account had at the move, followers the new one had before it), from the
    migration's step results, else from an earlier watch (which read the old account's migration
    page); None where unknown."""
    backup, move = results.of(BackupResult), results.of(MoveResult)
    baseline = backup.baseline if backup else None
    expected = move.followers_before if move else None
    if expected is None and baseline is not None:
        expected = baseline.old_followers
    if expected is None and readings:
        expected = readings[-1].get("expected")
    return expected, baseline.new_followers if baseline else None
