"""Interruptions: the agent killed (SIGKILL to its process group: agent, driver and browser, as
when a laptop dies) at every step boundary, and while a side effect is in flight (the request has
reached the server, which applies it after the agent is gone); Ctrl-C; the pause before the move.
Every time, the same command with the same run folder finishes the migration, and the servers'
state shows nothing done twice and nothing lost.

Two migrations run side by side on clusters of their own:
- boundaries: killed after each step is checkpointed; stopped at the pause (no terminal, no
  --confirm-move); a wrong --confirm-move refused; killed between the confirmation and the move
  and after the move;
- in flight: killed during the profile save, the announcement's POST, an import's upload and its
  confirmation, the alias form, the archive request and the move form (the server applies each
  one after the agent is gone); killed in the middle of the export and of the verification;
  Ctrl-C while imports run.

The old account's two-factor sign-in is switched off on these clusters: a TOTP code is accepted
once per 30 seconds, so a dozen resumes seconds apart would each wait for a fresh code (sign-in with
a code, and again after an expired session, is covered by test_faults and test_secrets)."""
from __future__ import annotations

import json
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pytest

from campaign import CAMPAIGNS, JobContext
from harness import SMALL_SEED, Agent, AgentResult, any_of, event, run_agent, without_two_factor
from servers import Tally, changes, snapshot, tally


def _boundaries() -> tuple[list[str], str]:
    """The steps before the move whose end is a kill point, and the last one before the move
    (its end is where the pause stops an unconfirmed run instead)."""
    from mastomove.flows.plan import migration_steps

    steps = migration_steps()
    before_move = [s.name for s in steps[:next(i for i, s in enumerate(steps) if s.irreversible)]]
    return before_move[:-1], before_move[-1]


BOUNDARIES, LAST_BEFORE_MOVE = _boundaries()
# The in-flight sequence takes no screenshots: they cost time, and the boundaries one keeps them.
NO_SCREENSHOTS = {"MASTOMOVE_SCREENSHOTS": "false"}


@dataclass
class Interruption:
    kind: str  # "SIGKILL at a boundary", "SIGKILL in flight", "SIGKILL mid-step", "SIGINT", "pause"
    where: str
    result: AgentResult


@dataclass
class Sequence:
    interruptions: list[Interruption] = field(default_factory=list)
    final: AgentResult | None = None
    tally: Tally | None = None
    checks: dict[str, Any] = field(default_factory=dict)

    @property
    def runs(self) -> list[AgentResult]:
        return [i.result for i in self.interruptions] + ([self.final] if self.final else [])


def state_file(run_dir: Path) -> dict[str, Any]:
    return json.loads((run_dir / "state.json").read_text())  # a kill never leaves it half-written


def confirm_args(cluster) -> list[str]:
    return ["migrate", "--confirm-move", cluster.credentials["new"].acct]


def kill_at(cluster, run_dir: Path, predicate: Callable[[dict], bool], *args: str, **env: str) -> AgentResult:
    agent = Agent(cluster, run_dir, *(args or confirm_args(cluster)), otp=False, **env).start()
    agent.wait_for(predicate)
    agent.signal(signal.SIGKILL)
    return agent.wait()


def fault_hits(instance, index: int) -> int:
    return instance.faults()[index]["hits"]


def has_profile_editor(instance) -> bool:
    return tuple(map(int, instance.config()["version"].split("."))) >= (4, 6)


def kill_in_flight(cluster, run_dir: Path, instance, path: str, applied: Callable[[], bool],
                   delay: float = 1.0, method: str = "POST") -> AgentResult:
    """The worst moment: the server applies the request, and the agent never reads the answer.
    The request is held on the server for `delay` s (a slow fault); once it has arrived the agent
    is frozen (SIGSTOP: its connection stays open, so the server completes the request), and when
    the server has applied it the agent is killed."""
    index = len(instance.faults())
    instance.fault(path, "slow", count=1, delay=delay, method=method)
    agent = Agent(cluster, run_dir, *confirm_args(cluster), otp=False, **NO_SCREENSHOTS).start()
    deadline = time.monotonic() + 300
    while fault_hits(instance, index) == 0:
        assert agent.proc.poll() is None, f"the agent ended before sending {path}:\n{agent.output[-3000:]}"
        assert time.monotonic() < deadline, f"{path} was never sent"
        time.sleep(0.02)
    agent.signal(signal.SIGSTOP)
    try:
        deadline = time.monotonic() + 30
        while not applied():
            assert time.monotonic() < deadline, f"the server never applied {path}"
            time.sleep(0.1)
    finally:
        agent.signal(signal.SIGKILL)
    return agent.wait()


def assert_killed(result: AgentResult) -> None:
    assert result.code == -signal.SIGKILL, f"expected a kill, got exit {result.code}:\n{result.output[-2000:]}"


# --------------------------------------------------------------------------- the two sequences
def boundaries(cluster, base: Path) -> Sequence:
    without_two_factor(cluster)
    run_dir = base / "run"
    before = cluster.old.account("alice")
    seq = Sequence()
    for step in BOUNDARIES:
        # A step that has nothing to do here (lists, on 4.2+) ends within the kill's reaction time:
        # the previous kill may land after it, and this run then finds it done (step_verified).
        result = kill_at(cluster, run_dir, any_of(event("step_done", step), event("step_verified", step)))
        assert_killed(result)
        assert state_file(run_dir)["steps"][step]["status"] == "done", f"{step} not checkpointed before the kill"
        seq.interruptions.append(Interruption("SIGKILL at a boundary", f"after {step}", result))

    # The pause: no terminal and no --confirm-move, so nothing is moved.
    stopped = run_agent(cluster, run_dir, "migrate", otp=False)
    seq.checks["pause"] = stopped
    seq.interruptions.append(Interruption("pause", "before the move, unconfirmed", stopped))
    seq.checks["moved_after_pause"] = cluster.old.account("alice", ["migrations"])
    # A wrong confirmation is refused before anything happens on either server.
    unchanged = snapshot(cluster)
    wrong = run_agent(cluster, run_dir, "migrate", "--confirm-move", "alice@elsewhere.test", otp=False)
    seq.checks["wrong_confirm"] = (wrong, changes(unchanged, snapshot(cluster)))

    result = kill_at(cluster, run_dir, event("move_confirmed"))
    assert_killed(result)
    seq.interruptions.append(Interruption("SIGKILL at a boundary", f"after {LAST_BEFORE_MOVE} (move confirmed, not started)", result))
    # After the move: its checkpoint, or (if the kill before it came a moment too late and the
    # move went through) the verification starting, which is the same boundary.
    result = kill_at(cluster, run_dir, any_of(event("step_done", "move"), event("step_started", "verify")))
    assert_killed(result)
    seq.interruptions.append(Interruption("SIGKILL at a boundary", "after move", result))
    seq.checks["migrations_after_move_kill"] = len(cluster.old.account("alice", ["migrations"])["migrations"])

    seq.final = run_agent(cluster, run_dir, *confirm_args(cluster), otp=False)
    if seq.final.code == 0:
        seq.tally = tally(cluster, before)
    return seq


def in_flight(cluster, base: Path) -> Sequence:
    without_two_factor(cluster)
    run_dir = base / "run"
    before = cluster.old.account("alice")
    old_acct = cluster.credentials["old"].acct
    seq = Sequence()

    def new_state(*sections: str) -> dict[str, Any]:
        return cluster.new.account("alice", list(sections))

    def in_flight_kill(where: str, instance, path: str, applied: Callable[[], bool], method: str = "POST") -> None:
        result = kill_in_flight(cluster, run_dir, instance, path, applied, method=method)
        assert_killed(result)
        seq.interruptions.append(Interruption("SIGKILL in flight", where, result))

    def mid_step_kill(where: str, predicate: Callable[[dict], bool]) -> None:
        result = kill_at(cluster, run_dir, predicate, *confirm_args(cluster), **NO_SCREENSHOTS)
        assert_killed(result)
        seq.interruptions.append(Interruption("SIGKILL mid-step", where, result))

    # 4.6+ saves the profile from the web app's editor (PATCH /api/v1/profile); before, the form
    profile_save = ("/api/v1/profile", "PATCH") if has_profile_editor(cluster.new) else ("/settings/profile", "POST")
    in_flight_kill("profile save", cluster.new, profile_save[0],
                   lambda: new_state()["display_name"] == before["display_name"], method=profile_save[1])
    in_flight_kill("announcement post", cluster.new, "/api/v1/statuses",
                   lambda: any(old_acct in s["text"] for s in new_state("statuses")["statuses"]))
    mid_step_kill("export, after the first file", event("export.downloaded", "export", list="follows"))
    in_flight_kill("follows upload", cluster.new, "/settings/imports",
                   lambda: len(new_state("imports")["imports"]) == 1)
    in_flight_kill("follows confirmation", cluster.new, "/settings/imports/",
                   lambda: any(i["state"] != "unconfirmed" for i in new_state("imports")["imports"]))

    # Ctrl-C while the imports run, as a terminal sends it: to the whole foreground group.
    agent = Agent(cluster, run_dir, *confirm_args(cluster), otp=False, **NO_SCREENSHOTS).start()
    agent.wait_for(event("imports.confirmed", "imports", list="lists"))
    agent.signal(signal.SIGINT)
    interrupted = agent.wait(120)
    seq.checks["sigint"] = interrupted
    seq.interruptions.append(Interruption("SIGINT", "during imports", interrupted))

    in_flight_kill("alias form", cluster.new, "/settings/aliases", lambda: len(new_state("aliases")["aliases"]) == 1)
    in_flight_kill("archive request", cluster.old, "/settings/export",
                   lambda: len(cluster.old.account("alice", [])["backups"]) == 1)
    in_flight_kill("move form", cluster.old, "/settings/migration",
                   lambda: cluster.old.account("alice", ["migrations"])["moved_to"] is not None)
    mid_step_kill("verify, after its first page", event("screenshot", "verify", action="old-migration-page"))

    seq.final = run_agent(cluster, run_dir, *confirm_args(cluster), otp=False, **NO_SCREENSHOTS)
    if seq.final.code == 0:
        seq.tally = tally(cluster, before)
    return seq


def sequence_job(run: Callable[[Any, Path], Sequence]) -> Callable[[JobContext], Sequence]:
    def job(context: JobContext) -> Sequence:
        from mastomove.fixtures.cluster import Cluster
        from mastomove.fixtures.pytest_plugin import TEST_CONFIG, TEST_SEED

        cluster = Cluster.start(config=dict(TEST_CONFIG), seed={**TEST_SEED, **SMALL_SEED})
        try:
            return run(cluster, context.base)
        finally:
            cluster.stop()

    return job


CAMPAIGNS.register("interruptions:boundaries", sequence_job(boundaries), weight=8)
CAMPAIGNS.register("interruptions:in_flight", sequence_job(in_flight), weight=7)
BOUNDARY_RUN = pytest.mark.campaign("interruptions:boundaries")
IN_FLIGHT_RUN = pytest.mark.campaign("interruptions:in_flight")


def record(figures, name: str, seq: Sequence) -> None:
    """Each interruption is followed by a resume; the last resume is the one that completed."""
    for number, interruption in enumerate(seq.interruptions, 1):
        figures.interruption(interruption.kind)
        last = number == len(seq.interruptions)
        figures.resume(completed=last and seq.final is not None and seq.final.code == 0)
    if seq.tally is not None:
        figures.outcome(duplicated=seq.tally.duplicates, lost=seq.tally.losses, note=f"{name}: {seq.tally}")


def assert_completed(seq: Sequence) -> None:
    assert seq.final is not None and seq.final.code == 0, f"the last resume did not complete:\n{seq.final.output[-3000:]}"
    assert seq.tally is not None and seq.tally.duplicates == 0, str(seq.tally)
    assert seq.tally.losses == 0, str(seq.tally)


# --------------------------------------------------------------------------- the tests
@BOUNDARY_RUN
def test_killed_at_every_step_boundary_then_resumed(figures):
    seq: Sequence = CAMPAIGNS.result("interruptions:boundaries")
    record(figures, "boundaries", seq)
    assert_completed(seq)
    killed = [i.where for i in seq.interruptions if i.kind == "SIGKILL at a boundary"]
    assert killed == [f"after {s}" for s in BOUNDARIES] + [
        f"after {LAST_BEFORE_MOVE} (move confirmed, not started)", "after move"]
    # the agent's own account of it: each side effect sent once over all the runs
    sent = [e for run in seq.runs for e in run.events]
    assert sum(e.get("event") == "announce.posted" for e in sent) == 1
    assert sum(e.get("event") == "alias.created" for e in sent) == 1
    assert sum(e.get("event") == "move.submitting" for e in sent) == 1
    uploads = [e.get("list") for e in sent if e.get("event") == "imports.uploaded"]
    assert len(uploads) == len(set(uploads)), f"a list was uploaded twice: {uploads}"
    # and the last run re-checked what was done instead of doing it again
    assert any(e.get("event") == "step_verified" for e in seq.final.events)


@IN_FLIGHT_RUN
def test_killed_while_a_side_effect_is_in_flight_then_resumed(figures):
    seq: Sequence = CAMPAIGNS.result("interruptions:in_flight")
    record(figures, "in flight", seq)
    assert_completed(seq)
    kinds = [i.where for i in seq.interruptions if i.kind.startswith("SIGKILL")]
    assert kinds == ["profile save", "announcement post", "export, after the first file", "follows upload",
                     "follows confirmation", "alias form", "archive request", "move form",
                     "verify, after its first page"]


@IN_FLIGHT_RUN
def test_ctrl_c_stops_cleanly_and_says_how_to_resume():
    seq: Sequence = CAMPAIGNS.result("interruptions:in_flight")
    interrupted: AgentResult = seq.checks["sigint"]
    assert interrupted.code == 130, interrupted.output[-3000:]
    assert "run the same command again to resume" in interrupted.output, interrupted.output[-2000:]
    assert "Traceback" not in interrupted.output, interrupted.output[-3000:]
    state = interrupted.state
    assert state["outcome"]["status"] == "interrupted"
    assert state["steps"]["imports"]["status"] == "started"  # resumable where it was
    assert interrupted.summary["outcome"] == "interrupted"
    # and the resume after it finished without importing anything twice (asserted by the tally)
    assert seq.final.code == 0


@BOUNDARY_RUN
def test_no_move_without_confirmation(figures):
    seq: Sequence = CAMPAIGNS.result("interruptions:boundaries")
    wrong, changed = seq.checks["wrong_confirm"]
    figures.bad_input(refused_cleanly=wrong.code == 2 and not changed)
    paused: AgentResult = seq.checks["pause"]
    assert paused.code == 3, paused.output[-3000:]
    assert "nothing was moved" in paused.output
    assert paused.state["steps"]["move"]["status"] == "pending"
    assert seq.checks["moved_after_pause"]["moved_to"] is None
    assert seq.checks["moved_after_pause"]["migrations"] == []
    assert wrong.code == 2, wrong.output[-2000:]
    assert "is not the new handle" in wrong.output
    assert not changed, f"a refused --confirm-move changed {changed}"
    assert not any(e.get("event") == "run_started" for e in wrong.events), "it started a run before refusing"


@BOUNDARY_RUN
@IN_FLIGHT_RUN
def test_stopped_after_the_move_resumes_into_verification_and_never_moves_twice():
    for name in ("interruptions:boundaries", "interruptions:in_flight"):
        seq: Sequence = CAMPAIGNS.result(name)
        final = seq.final
        assert final.code == 0, final.output[-3000:]
        assert not any(e.get("event") == "move.submitting" for e in final.events), \
            f"{name}: the resumed run sent the move form again"
        assert any(e.get("event") == "step_done" and e.get("step") == "verify" for e in final.events)
        assert seq.tally.duplicated.get("move", 0) == 0
    assert CAMPAIGNS.result("interruptions:boundaries").checks["migrations_after_move_kill"] == 1
