"""Bad input: each gets one clear line, the exit code the README documents (2 bad input, 3 stopped
before the move) and no change on either server (the state endpoints before and after are equal).

A CSV the server refuses is the one case found after changes: the profile and the announcement
come before the imports by design. There the proof is that nothing after the refusal happened (no
list applied, no alias, no move), and that the same command completes once the server accepts.

The cases that need a browser run one after the other in the background, on a cluster of their
own, while the rest of the suite runs; each still gets its own test and its own verdict."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pyotp
import pytest

from campaign import CAMPAIGNS, JobContext
from browserless import Browserless
from fakes import FakeServer, nothing_listening
from harness import SMALL_SEED, AgentResult, run_agent
from servers import changes, snapshot, tally

pytestmark = pytest.mark.fixture_seed(**SMALL_SEED)


@dataclass
class Case:
    id: str
    code: int
    says: str  # a fragment of the one line that explains it
    env: dict[str, str] = field(default_factory=dict)
    args: tuple[str, ...] = ()
    setup: Callable[[Any, Path], Any] | None = None  # (cluster, tmp_path) -> teardown or None
    browser: bool = True  # False: refused before a browser starts


def already_moved(cluster, tmp_path):
    """The person redirected the old account to someone else earlier."""
    target = next(f["acct"] for f in cluster.old.account("alice", ["follows"])["follows"] if "@remote.test" in f["acct"])
    person = Browserless.sparing_totp(cluster.credentials["old"])
    person.submit_ok("/settings/migration/redirect/new", "/settings/migration/redirect",
                     {"form_redirect[acct]": target, "form_redirect[current_password]": cluster.credentials["old"].password})
    person.close()
    assert cluster.old.account("alice", [])["moved_to"], "set-up: the redirect did not happen"


def in_cooldown(cluster, tmp_path):
    """The old account moved (to the new one) and the person cancelled the redirect since: the
    30-day cooldown still runs."""
    old, new = cluster.credentials["old"], cluster.credentials["new"]
    person_new = Browserless.sparing_totp(new)
    person_new.submit_ok("/settings/aliases", "/settings/aliases", {"account_alias[acct]": old.acct})
    person_new.close()
    person = Browserless.sparing_totp(old)
    person.submit_ok("/settings/migration", "/settings/migration",
                     {"account_migration[acct]": new.acct, "account_migration[current_password]": old.password})
    cluster.old.wait_for(lambda a: a["moved_to"], include=[])
    person.submit_ok("/settings/migration", "/settings/migration/redirect", {}, method="delete")
    person.close()
    state = cluster.old.account("alice", ["migrations"])
    assert state["moved_to"] is None and state["migrations"], "set-up: no cancelled move"


def not_mastodon(cluster, tmp_path):
    server = FakeServer(default=lambda fake, request: (200, {}, b"<html><body>Welcome to my blog</body></html>"))
    return server


def foreign_run_folder(cluster, tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir(mode=0o700)
    (run_dir / "state.json").write_text(json.dumps({"version": 1, "old": "bob@old.test", "new": "bob@new.test", "steps": {}}))
    (run_dir / "state.json").chmod(0o600)  # as a run leaves it


CASES = [
    Case("malformed old handle", 2, "is not a Mastodon handle", env={"MASTOMOVE_OLD_HANDLE": "alice@"}, browser=False),
    Case("malformed new handle", 2, "is not a Mastodon handle", env={"MASTOMOVE_NEW_HANDLE": "alice at new.test"}, browser=False),
    Case("same account on both sides", 2, "are the same", env={"MASTOMOVE_NEW_HANDLE": "@ALICE@old.test"}, browser=False),
    Case("plain http to a non-loopback server", 2, "plain http://", env={"MASTOMOVE_NEW_URL": "http://mastodon.example"},
         browser=False),
    Case("missing password, no terminal", 2, "password is missing", env={"MASTOMOVE_NEW_PASSWORD": None}, browser=False),
    Case("wrong --confirm-move", 2, "is not the new handle", args=("--confirm-move", "alice@new.tset"), browser=False),
    Case("run folder of another migration", 2, "holds the migration", setup=foreign_run_folder, browser=False),
    Case("unknown new account", 2, "does not exist", env={"MASTOMOVE_NEW_HANDLE": "nobody@new.test"}),
    Case("unknown old account", 2, "does not exist", env={"MASTOMOVE_OLD_HANDLE": "nobody@old.test"}),
    Case("unreachable server", 2, "Could not reach the new server", env={"MASTOMOVE_NEW_URL": "UNREACHABLE"}),
    Case("not a Mastodon server", 2, "does not answer like a Mastodon server", env={"MASTOMOVE_OLD_URL": "FAKE"},
         setup=not_mastodon),
    Case("wrong password", 3, "refused the e-mail address and password", env={"MASTOMOVE_NEW_PASSWORD": "not-her-password"}),
    Case("wrong OTP secret", 3, "refused the two-factor code", env={"MASTOMOVE_OLD_OTP_SECRET": pyotp.random_base32()}),
    Case("missing OTP secret", 3, "needs a two-factor code", env={"MASTOMOVE_OLD_OTP_SECRET": None}),
    Case("old account already moved elsewhere", 3, "has already moved to", setup=already_moved),
    Case("move cooldown still running", 3, "moved recently", setup=in_cooldown),
]


def the_line(result: AgentResult, fragment: str) -> list[str]:
    return [line for line in result.output.splitlines() if fragment in line]


@dataclass
class Tried:
    result: AgentResult
    changed: list[str]


def try_case(cluster, base: Path, case: Case) -> Tried:
    """Set the case up, run it, and compare both accounts before and after."""
    base.mkdir(parents=True, exist_ok=True)
    teardown = case.setup(cluster, base) if case.setup else None
    env = dict(case.env)
    if env.get("MASTOMOVE_NEW_URL") == "UNREACHABLE":
        env["MASTOMOVE_NEW_URL"] = nothing_listening("127.0.0.2")
    if env.get("MASTOMOVE_OLD_URL") == "FAKE":
        env["MASTOMOVE_OLD_URL"] = teardown.url
    assert cluster.wait_idle(60), "set-up work still running"
    before = snapshot(cluster)
    try:
        result = run_agent(cluster, base / "run", "migrate", *case.args, timeout=240, **env)
    finally:
        if hasattr(teardown, "close"):
            teardown.close()
    return Tried(result, changes(before, snapshot(cluster)))


def browser_cases(context: JobContext) -> dict[str, Tried]:
    """The cases that need a browser, one after the other on a cluster of their own, in the
    background (the ones refused before a browser starts run in the foreground)."""
    from mastomove.fixtures.cluster import Cluster
    from mastomove.fixtures.pytest_plugin import TEST_CONFIG, TEST_SEED

    cluster = Cluster.start(config=dict(TEST_CONFIG), seed={**TEST_SEED, **SMALL_SEED})
    tried = {}
    try:
        for number, case in enumerate(c for c in CASES if c.browser):
            if number:
                cluster.reset(seed={**TEST_SEED, **SMALL_SEED})
            tried[case.id] = try_case(cluster, context.base / f"case{number}", case)
    finally:
        cluster.stop()
    return tried


CAMPAIGNS.register("bad-input", browser_cases, weight=4)


@pytest.mark.parametrize("case", [
    pytest.param(c, id=c.id, marks=[pytest.mark.campaign("bad-input")] if c.browser else []) for c in CASES])
def test_bad_input_is_refused_with_one_line_and_no_change(request, tmp_path, case: Case, figures):
    if case.browser:
        tried = CAMPAIGNS.result("bad-input")[case.id]
    else:
        tried = try_case(request.getfixturevalue("mastodon"), tmp_path, case)
    result, changed = tried.result, tried.changed
    lines = the_line(result, case.says)
    figures.bad_input(refused_cleanly=result.code == case.code and not changed and len(lines) == 1)

    assert result.code == case.code, result.output[-3000:]
    assert len(lines) == 1, f"expected one line saying {case.says!r}:\n{result.output[-3000:]}"
    assert "Traceback" not in result.output, result.output[-3000:]
    assert not changed, f"{case.id} changed {changed} on the servers"
    started = any(e.get("event") == "run_started" for e in result.events)
    if not case.browser:
        assert not started, "refused only after a run had started"
        assert not any(e.get("event") == "screenshot" for e in result.events)
    else:
        assert result.state.get("outcome", {}).get("status") == "stopped"
        assert result.state["steps"].get("profile", {}).get("status", "pending") == "pending"


@dataclass
class Refusal:
    refused: AgentResult
    new_after_refusal: dict[str, Any]
    moved_after_refusal: Any
    again: AgentResult
    tally: Any
    announcements: int


def csv_refused(context: JobContext) -> Refusal:
    from mastomove.fixtures.cluster import Cluster
    from mastomove.fixtures.pytest_plugin import TEST_CONFIG, TEST_SEED

    # The new server's follow limit is below the number of follows in the file.
    cluster = Cluster.start(config={**TEST_CONFIG, "new": {"max_follows": 5}}, seed={**TEST_SEED, **SMALL_SEED})
    try:
        old_acct, new_acct = cluster.credentials["old"].acct, cluster.credentials["new"].acct
        before = cluster.old.account("alice")
        refused = run_agent(cluster, context.base / "run", "migrate", "--confirm-move", new_acct)
        new = cluster.new.account("alice")
        moved = cluster.old.account("alice", [])["moved_to"]
        # The person raises the limit (here: the server's) and runs the same command again.
        cluster.new.configure(max_follows=7500)
        again = run_agent(cluster, context.base / "run", "migrate", "--confirm-move", new_acct)
        result = tally(cluster, before) if again.code == 0 else None
        statuses = cluster.new.account("alice", ["statuses"])["statuses"]
        return Refusal(refused, new, moved, again, result, sum(old_acct in s["text"] for s in statuses))
    finally:
        cluster.stop()


CAMPAIGNS.register("csv-refused", csv_refused, weight=2)


@pytest.mark.campaign("csv-refused")
def test_a_csv_the_server_refuses_stops_before_anything_else_then_resumes(figures):
    run: Refusal = CAMPAIGNS.result("csv-refused")
    refused, new = run.refused, run.new_after_refusal
    lines = the_line(refused, "refused follows.csv as follows")
    figures.bad_input(refused_cleanly=refused.code == 3 and len(lines) == 1 and not new["aliases"])
    figures.resume(completed=run.again.code == 0)
    if run.tally is not None:
        figures.outcome(duplicated=run.tally.duplicates, lost=run.tally.losses, note=f"csv refused then resumed: {run.tally}")

    assert refused.code == 3, refused.output[-3000:]
    assert len(lines) == 1, refused.output[-3000:]
    assert "follow" in lines[0].lower().split("as follows", 1)[1]  # the server's own reason is in it
    assert [i for i in new["imports"] if i["type"] == "following"] == [], "the refused list was applied"
    assert not new["aliases"] and not run.moved_after_refusal
    assert refused.state["steps"]["imports"]["status"] == "started"
    assert run.again.code == 0, run.again.output[-3000:]
    assert run.tally.duplicates == 0 and run.tally.losses == 0, str(run.tally)
    assert run.announcements == 1
