"""The irreversible step refused: the old account is signed in from a saved session (so its
password is first checked by the move form itself) and the password given is wrong. The move form
refuses it: the run must say so in one line and stop as "stopped before the move" (exit 3, not
4: nothing irreversible happened), with nothing moved; the same command with the right password
then moves once. (No confirmation and a wrong --confirm-move: see test_interruptions.)"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

import pytest

from campaign import CAMPAIGNS, JobContext
from browserless import Browserless
from harness import SMALL_SEED, AgentResult, run_agent
from servers import tally


def save_session_of(cluster, role: str, session_dir) -> None:
    """What `mastomove login old` keeps: the browser's cookies after a person signed in (here the
    sign-in is made without a browser, and written in Playwright's storage-state format)."""
    person = Browserless.sparing_totp(cluster.credentials[role])
    cookies = [{"name": c.name, "value": c.value, "domain": c.domain.removesuffix(".local"), "path": c.path or "/",
                "expires": -1, "httpOnly": True, "secure": False, "sameSite": "Lax"} for c in person.http.cookies.jar]
    person.close()
    session_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = session_dir / f"{role}-{cluster.credentials[role].acct}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump({"cookies": cookies, "origins": []}, out)


@dataclass
class Refused:
    refused: AgentResult
    old_after: dict[str, Any]
    again: AgentResult
    tally: Any


def move_refused(context: JobContext) -> Refused:
    from mastomove.fixtures.cluster import Cluster
    from mastomove.fixtures.pytest_plugin import TEST_CONFIG, TEST_SEED

    cluster = Cluster.start(config=dict(TEST_CONFIG), seed={**TEST_SEED, **SMALL_SEED})
    try:
        sessions = context.base / "sessions"
        save_session_of(cluster, "old", sessions)
        before = cluster.old.account("alice")
        new_acct = cluster.credentials["new"].acct
        refused = run_agent(cluster, context.base / "run", "migrate", "--confirm-move", new_acct,
                            MASTOMOVE_SESSION_DIR=str(sessions), MASTOMOVE_OLD_PASSWORD="a-typo-in-the-password")
        old_after = cluster.old.account("alice", ["migrations"])
        again = run_agent(cluster, context.base / "run", "migrate", "--confirm-move", new_acct,
                          MASTOMOVE_SESSION_DIR=str(sessions))
        return Refused(refused, old_after, again, tally(cluster, before) if again.code == 0 else None)
    finally:
        cluster.stop()


CAMPAIGNS.register("move-refused", move_refused, weight=2)


@pytest.mark.campaign("move-refused")
def test_a_refused_move_form_is_a_stop_before_the_move_then_resumes(figures):
    run: Refused = CAMPAIGNS.result("move-refused")
    refused = run.refused
    lines = [line for line in refused.output.splitlines() if "refused the password" in line]
    figures.bad_input(refused_cleanly=refused.code == 3 and len(lines) == 1 and not run.old_after["migrations"])
    figures.resume(completed=run.again.code == 0)
    if run.tally is not None:
        figures.outcome(duplicated=run.tally.duplicates, lost=run.tally.losses, note=f"move refused then resumed: {run.tally}")

    assert any(e.get("event") == "sign_in.reused_session" for e in refused.events), "the saved session was not used"
    assert refused.code == 3, refused.output[-3000:]
    assert len(lines) == 1 and "nothing was moved" in lines[0], refused.output[-3000:]
    assert run.old_after["moved_to"] is None and run.old_after["migrations"] == []
    assert refused.state["outcome"]["status"] == "stopped"
    assert run.again.code == 0, run.again.output[-3000:]
    assert run.tally.duplicates == 0 and run.tally.losses == 0, str(run.tally)
