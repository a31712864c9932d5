"""Faults at every step: each kind the fixtures inject (5xx, dropped connections, responses slower
than the timeouts, 429 with Retry-After, expired sessions, rejected CSRF tokens, and answers lost
after the server did the work) armed on every step of one migration at once, and on each import
(the upload of one list, the confirmation of the next). Four migrations, each on its own cluster,
run in the background.

Each must end completed, or stopped with one clear line and a resumable state, after which a
rerun completes; the servers' fault tables prove every fault was hit; the servers' state proves
nothing happened twice and nothing was lost; every run folder is scanned for secrets (the first
group records a Playwright trace, with two-factor sign-in and an expired session on the old
account, so the trace sees a password and a code typed twice). The group whose sessions keep
ending signs the old account in without a code: each sign-in would wait for a fresh one."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from campaign import CAMPAIGNS, Attempts, JobContext, until_done
from harness import SLOW_DELAY, SMALL_SEED, Agent, agent_env, event, without_two_factor
from mastomove.flows.csv_formats import IMPORT_ORDER
from servers import Tally, tally

# The steps, and the backup of what the old account loses (it asks for the archive: a side
# effect allowed once a week). Preflight only reads what the steps around it read too.
STEPS = ("sign_in", "profile", "announce", "export", "imports", "alias", "backup", "move", "verify")

# Where each step first meets a server: (instance, path prefix, method). Faults armed there before
# the run are hit by that step; verify's are armed when the move starts (see run_group).
# Imports are armed per list (see `arm`).
READS: dict[str, list[tuple[str, str, str | None]]] = {
    "sign_in": [("old", "/auth/sign_in", "GET"), ("new", "/auth/sign_in", "GET")],
    "profile": [("old", "/settings/profile", "GET"), ("new", "/settings/profile", "GET")],
    "announce": [("new", "/share", "GET")],
    "export": [("old", "/settings/export", "GET")],
    "alias": [("new", "/settings/aliases", "GET")],
    "backup": [("old", "/notifications", "GET")],  # the web app's notifications column
    "move": [("old", "/settings/migration", "POST")],  # the irreversible submit itself
    # verify reads the move's answer page it is on, then the old server's public lookup (the alias
    # page only on a run resumed later: the accepted move proves the alias)
    "verify": [("old", "/api/v1/accounts/lookup", "GET")],
}
# The form each step sends (a CSRF rejection only happens to non-GET requests).
WRITES: dict[str, list[tuple[str, str, str | None]]] = {
    "sign_in": [("old", "/auth/sign_in", "POST"), ("new", "/auth/sign_in", "POST")],
    "profile": [("new", "/settings/profile", "POST")],  # 4.6+: PROFILE_EDITOR_WRITES
    "announce": [("new", "/api/v1/statuses", "POST")],
    "alias": [("new", "/settings/aliases", "POST")],
    "backup": [("old", "/settings/export", "POST")],  # "Request your archive"
    "move": [("old", "/settings/migration", "POST")],
}
# From 4.6 the profile is saved by the web app's editor: an API call with the session's bearer token.
PROFILE_EDITOR_WRITES = [("new", "/api/v1/profile", "PATCH")]
# Steps a kind cannot reach: export and verify send no form, so no CSRF token can be refused.
NOT_APPLICABLE = {"csrf": ("export", "verify"), "drop_after": ("export", "verify")}
# ...nor can the 4.6+ profile editor's API call, which carries a bearer token instead of a CSRF token.
NOT_APPLICABLE_FROM_46 = {"csrf": ("profile",)}
# Kinds that meet a step at the form it sends rather than at the first page it reads. A lost
# answer to a form is the hard case: the server did it, the agent must find that out, not redo it.
AT_WRITES = ("csrf", "drop_after")
# Each import is two POSTs to the new server: the upload (named by the list type it carries), then
# the confirmation (/settings/imports/<id>/confirm, named by the upload it follows). Not by counting
# requests: a lost answer is sent again by Chromium, or by the agent, or found done and not resent.
UPLOADS = "/settings/imports"
CONFIRMATIONS = "/settings/imports/"
IMPORT_LISTS = [kind.name for kind in IMPORT_ORDER]


def upload_of(import_type: str) -> str:
    """What the upload's multipart body holds for its type field."""
    return f'name="form_import[type]"\r\n\r\n{import_type}\r\n'


@dataclass
class Armed:
    step: str
    kind: str
    instance: str
    path: str
    method: str | None
    index: int  # position in that instance's fault table
    hits: int = 0
    detail: str = ""


@dataclass
class Group:
    name: str
    kinds: tuple[str, ...]
    trace: bool = False
    short_timeouts: bool = False
    expire_old_session_with_2fa: bool = False  # one more sign_out, where the old account needs a code
    screenshots: bool = True  # off where they only cost time (the traced group keeps them, and scans them)
    two_factor: bool = True  # off where sessions end often: each new sign-in would wait for a fresh code
    weight: float = 5  # how long it takes, roughly (the longest start first)
    profile_editor: bool = False  # the new server is 4.6+ (set when armed)
    armed: list[Armed] = field(default_factory=list)


GROUPS = [
    Group("status+drop", ("status", "drop"), trace=True, expire_old_session_with_2fa=True, weight=5),
    Group("slow+rate_limit", ("slow", "rate_limit"), short_timeouts=True, screenshots=False, weight=9),
    Group("csrf+sign_out", ("csrf", "sign_out"), screenshots=False, two_factor=False, weight=10),
    Group("drop_after", ("drop_after",), screenshots=False, weight=6),
]
STATUSES = (500, 502, 503)


def targets(kind: str, step: str, *, profile_editor: bool = False) -> list[tuple[str, str, str | None]]:
    """(instance, path, method) for `kind` at `step`; `profile_editor`: the new server is 4.6+."""
    if step in NOT_APPLICABLE.get(kind, ()) or (profile_editor and step in NOT_APPLICABLE_FROM_46.get(kind, ())):
        return []
    if kind in AT_WRITES:
        return PROFILE_EDITOR_WRITES if profile_editor and step == "profile" else WRITES.get(step, [])
    if kind == "sign_out" and step == "sign_in":
        # Before signing in there is no session to lose: expire the one just made, at the first
        # page read with it (the old account's migration page, checked before anything changes).
        return [("old", "/settings/migration", "GET")]
    return READS[step]


def _options(group: Group, kind: str, method: str | None) -> dict[str, Any]:
    options: dict[str, Any] = {"method": method}
    if kind == "status":
        options["status"] = STATUSES[len(group.armed) % len(STATUSES)]
    elif kind == "slow":
        options["delay"] = SLOW_DELAY
    elif kind == "rate_limit":
        options["retry_after"] = 1
    return options


def _arm_one(cluster, group: Group, counter: dict[str, int], step: str, kind: str, instance_name: str,
             path: str, method: str | None, *, detail: str = "", **match: Any) -> None:
    """One fault, met once; `match` narrows it further (body_text, after: see fixtures/faults.py)."""
    getattr(cluster, instance_name).fault(path, kind, count=1, **_options(group, kind, method), **match)
    group.armed.append(Armed(step, kind, instance_name, path, method, counter[instance_name], detail=detail))
    counter[instance_name] += 1


def arm(cluster, group: Group, step: str, counter: dict[str, int]) -> None:
    """Every kind of the group at `step`. Faults on one path are met in order, each by the retry
    of the request the one before broke."""
    if step == "imports":
        # Each import: the upload of one list, the confirmation of the next. A group's kinds on one
        # request are met in order, each by the retry of the request the one before broke.
        for index, list_kind in enumerate(IMPORT_ORDER):
            upload = upload_of(list_kind.import_type)
            for kind in group.kinds:
                if index % 2 == 0:
                    _arm_one(cluster, group, counter, step, kind, "new", UPLOADS, "POST", body_text=upload,
                             detail=f"{list_kind.name} upload")
                else:
                    _arm_one(cluster, group, counter, step, kind, "new", CONFIRMATIONS, "POST",
                             after={"path": UPLOADS, "method": "POST", "body": upload},
                             detail=f"{list_kind.name} confirmation")
        return
    group.profile_editor = tuple(map(int, cluster.new.config()["version"].split("."))) >= (4, 6)
    # verify's one public lookup takes an answer slower than its timeout as unknown (said as "could
    # not read", never as fine) and asks no more: there, the slow answer comes last.
    kinds = sorted(group.kinds, key=lambda kind: kind == "slow") if step == "verify" else group.kinds
    for kind in kinds:
        for instance_name, path, method in targets(kind, step, profile_editor=group.profile_editor):
            _arm_one(cluster, group, counter, step, kind, instance_name, path, method)


@dataclass
class GroupOutcome:
    group: Group
    attempts: Attempts
    tally: Tally | None
    unhit: list[Armed]


def run_group(group: Group, cluster, base: Path, short_config: Path) -> GroupOutcome:
    run_dir = base / "run"
    if not group.two_factor:
        without_two_factor(cluster)
    before = cluster.old.account("alice")
    counter = {"old": 0, "new": 0, "remote": 0}
    for step in STEPS:
        if step != "verify":
            arm(cluster, group, step, counter)
    if group.expire_old_session_with_2fa:
        # The old account's session ends at the export page: signing in again needs a fresh code.
        cluster.old.fault("/settings/export", "sign_out", count=1)
        group.armed.append(Armed("export", "sign_out", "old", "/settings/export", None, counter["old"]))
        counter["old"] += 1
    verify_armed = threading.Event()

    def arm_verify_when_the_move_starts(agent: Agent) -> None:
        def watch() -> None:
            try:
                # Armed when the move starts: it sends the form and reads WebFinger and actors,
                # so the first public lookup of the old account after it is verify's.
                agent.wait_for(event("step_started", "move"), timeout=600)
            except AssertionError:
                return  # this run ended before verify; the next one will get there
            if not verify_armed.is_set():
                verify_armed.set()
                arm(cluster, group, "verify", counter)

        threading.Thread(target=watch, daemon=True).start()

    extra = {"MASTOMOVE_BROWSER_CONFIG": str(short_config)} if group.short_timeouts else {}
    if not group.screenshots:
        extra["MASTOMOVE_SCREENSHOTS"] = "false"
    args = ["migrate", "--confirm-move", cluster.credentials["new"].acct] + (["--trace"] if group.trace else [])

    def make(_number: int) -> Agent:
        return Agent(cluster, run_dir, *args, env=agent_env(cluster, run_dir, otp=group.two_factor, **extra))

    attempts = until_done(make, on_start=arm_verify_when_the_move_starts)
    tables = {name: getattr(cluster, name).faults() for name in ("old", "new")}
    for armed in group.armed:
        armed.hits = tables[armed.instance][armed.index]["hits"]
        assert tables[armed.instance][armed.index]["kind"] == armed.kind, "fault table out of step with the test"
    result_tally = tally(cluster, before) if attempts.completed else None
    return GroupOutcome(group, attempts, result_tally, [a for a in group.armed if a.hits == 0])


def fault_job(group: Group, context: JobContext) -> GroupOutcome:
    from mastomove.fixtures.cluster import Cluster
    from mastomove.fixtures.pytest_plugin import TEST_CONFIG, TEST_SEED

    cluster = Cluster.start(config=dict(TEST_CONFIG), seed={**TEST_SEED, **SMALL_SEED})
    try:
        return run_group(replace(group, armed=[]), cluster, context.base, context.short_timeouts)
    finally:
        cluster.stop()


for _group in GROUPS:
    CAMPAIGNS.register(f"faults:{_group.name}", lambda context, group=_group: fault_job(group, context),
                       weight=_group.weight)


@pytest.mark.parametrize("group_name", [
    pytest.param(g.name, id=g.name, marks=pytest.mark.campaign(f"faults:{g.name}")) for g in GROUPS])
def test_every_step_survives_faults(group_name, figures):
    outcome: GroupOutcome = CAMPAIGNS.result(f"faults:{group_name}")
    group = outcome.group
    final = outcome.attempts.final
    survived = outcome.attempts.completed and outcome.tally is not None and not (
        outcome.tally.duplicates or outcome.tally.losses)
    for armed in group.armed:
        figures.fault(armed.kind, armed.step, injected=1, hit=min(armed.hits, 1), survived=survived)
    for number, earlier in enumerate(outcome.attempts.results[:-1], 1):
        figures.resume(completed=number == len(outcome.attempts.results) - 1 and outcome.attempts.completed)
        figures.note(f"faults {group.name}: run {number} stopped, exit {earlier.code}: {earlier.stop_line()}")
    if outcome.tally is not None:
        figures.outcome(duplicated=outcome.tally.duplicates, lost=outcome.tally.losses,
                        note=f"faults {group.name}: {outcome.tally}")

    assert outcome.attempts.completed, f"{group.name}: no run completed:\n{final.output[-3000:]}"
    assert not outcome.unhit, f"{group.name}: faults never hit: {[(a.step, a.kind, a.instance, a.path, a.detail) for a in outcome.unhit]}"
    assert outcome.tally.duplicates == 0, f"{group.name}: {outcome.tally}"
    assert outcome.tally.losses == 0, f"{group.name}: {outcome.tally}"
    covered = {(a.step, a.kind) for a in group.armed}
    for kind in group.kinds:  # each import met every kind of the group
        assert {a.detail.split()[0] for a in group.armed if a.step == "imports" and a.kind == kind} == set(IMPORT_LISTS)
    for kind in group.kinds:
        for step in STEPS:
            if step == "imports" or targets(kind, step, profile_editor=group.profile_editor):
                assert (step, kind) in covered, f"{kind} was not armed at {step}"
    # the retries were the agent's doing, and it said so
    retried = [e for r in outcome.attempts.results for e in r.events if e.get("event") == "retrying"]
    assert retried, f"{group.name}: faults were hit but no retry was logged"
    # a retry starts from a fresh page, not by waiting for a button on the error page
    stale = [e["reason"] for e in retried if "Locator.click: Timeout" in str(e.get("reason"))]
    if "slow" not in group.kinds:
        assert not stale, f"{group.name}: retries waited on a page that had no such button: {stale}"
    if group.trace:
        traces = list((final.run_dir / "trace").glob("*.zip"))
        assert traces, "the traced run left no trace to scan"
