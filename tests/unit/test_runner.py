"""The runner's promises, with steps that record what they were asked to do: checkpoints and
resume, the pause before an irreversible step, retries that re-sign-in, phase-aware exit codes."""
from __future__ import annotations

import json
import stat
from dataclasses import dataclass, field

import pytest

from mastomove.agent.errors import (ExitCode, FailedAfterMove, MoveNotConfirmed, PreflightFailed, ServerError,
                          SessionExpired)
from mastomove.agent.confirmation import Confirmation
from mastomove.agent.evidence import Evidence
from mastomove.agent.person import ConsolePerson
from mastomove.agent.runner import RunContext, Runner
from mastomove.agent.state import RunState
from mastomove.agent.steps import Account, Handle, Plan, Role, StepResult


@dataclass(kw_only=True)
class RecordedResult(StepResult):
    step = "any"  # the runner checks a step's result_type against its name: Recorded names it so


@dataclass
class Recorded:
    name: str
    irreversible: bool = False
    failures: list = field(default_factory=list)  # exceptions raised by the next runs, in order
    done_on_server: bool = False
    runs: int = 0
    verifies: int = 0

    @property
    def title(self) -> str:
        return f"step {self.name}"

    @property
    def result_type(self) -> type[RecordedResult]:
        return type(f"{self.name.capitalize()}Result", (RecordedResult,), {"step": self.name})

    def run(self, ctx):
        self.runs += 1
        if self.failures:
            raise self.failures.pop(0)
        self.done_on_server = True
        return self.result_type(report=[f"{self.name} done"])

    def verify(self, ctx):
        self.verifies += 1
        return self.done_on_server


def make_runner(tmp_path, steps, *, confirm: str | None = "bob@new.example", signed_in=None):
    evidence = Evidence(tmp_path / "run")
    state = RunState.open(tmp_path / "run" / "state.json", old="bob@old.example", new="bob@new.example")
    accounts = {Role.OLD: Account(Role.OLD, Handle("bob", "old.example"), "https://old.example", "b@x"),
                Role.NEW: Account(Role.NEW, Handle("bob", "new.example"), "https://new.example", "b@x")}
    person = ConsolePerson(confirmation=Confirmation(confirm, "--confirm-move") if confirm else None,
                           interactive=False)
    ctx = RunContext(settings=None, accounts=accounts, evidence=evidence, person=person, state=state,
                     pages=lambda role: None)
    plan = Plan(steps=steps, sign_in=lambda ctx, role: (signed_in if signed_in is not None else []).append(role))
    return Runner(plan, ctx, attempts=3), state


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    monkeypatch.setattr("tenacity.nap.time.sleep", lambda seconds: None)


def test_steps_run_in_order_and_checkpoint(tmp_path):
    steps = [Recorded("a"), Recorded("b"), Recorded("move", irreversible=True)]
    runner, state = make_runner(tmp_path, steps)
    runner.run()
    saved = json.loads((tmp_path / "run" / "state.json").read_text())
    assert [saved["steps"][s.name]["status"] for s in steps] == ["done", "done", "done"]
    assert stat.S_IMODE((tmp_path / "run" / "state.json").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "run").stat().st_mode) == 0o700


def test_rerun_verifies_instead_of_redoing(tmp_path):
    steps = [Recorded("a"), Recorded("b")]
    make_runner(tmp_path, steps)[0].run()
    make_runner(tmp_path, steps)[0].run()
    assert [s.runs for s in steps] == [1, 1]
    assert [s.verifies for s in steps] == [1, 1]


def test_a_step_that_no_longer_verifies_runs_again(tmp_path):
    steps = [Recorded("a")]
    make_runner(tmp_path, steps)[0].run()
    steps[0].done_on_server = False
    make_runner(tmp_path, steps)[0].run()
    assert steps[0].runs == 2


def test_no_confirmation_means_no_move(tmp_path):
    move = Recorded("move", irreversible=True)
    runner, state = make_runner(tmp_path, [Recorded("a"), move], confirm=None)
    with pytest.raises(MoveNotConfirmed) as stopped:
        runner.run()
    assert stopped.value.exit_code == ExitCode.STOPPED_BEFORE_MOVE
    assert move.runs == 0 and not state.was_started("move")


def test_transient_failures_are_retried_and_expired_sessions_sign_in_again(tmp_path):
    flaky = Recorded("a", failures=[ServerError(502, "https://x"), SessionExpired("new")])
    signed_in: list = []
    runner, _ = make_runner(tmp_path, [flaky], signed_in=signed_in)
    runner.run()
    assert flaky.runs == 3 and signed_in == [Role.NEW]


def test_a_stop_before_the_move_is_resumable(tmp_path):
    failing = Recorded("b", failures=[PreflightFailed("target is locked")])
    steps = [Recorded("a"), failing, Recorded("move", irreversible=True)]
    with pytest.raises(PreflightFailed):
        make_runner(tmp_path, steps)[0].run()
    make_runner(tmp_path, steps)[0].run()
    assert [s.runs for s in steps] == [1, 2, 1]


def test_failure_after_the_move_started_is_reported_as_such(tmp_path):
    verify = Recorded("verify", failures=[PreflightFailed("lookup does not show the redirect")])
    runner, _ = make_runner(tmp_path, [Recorded("move", irreversible=True), verify])
    with pytest.raises(FailedAfterMove) as failed:
        runner.run()
    assert failed.value.exit_code == ExitCode.FAILED_AFTER_MOVE


def test_a_move_already_done_is_not_asked_for_again(tmp_path):
    move = Recorded("move", irreversible=True)
    make_runner(tmp_path, [move])[0].run()
    make_runner(tmp_path, [move], confirm=None)[0].run()  # no confirmation, and still fine
    assert move.runs == 1


def test_secrets_never_reach_the_log(tmp_path):
    evidence = Evidence(tmp_path / "run")
    evidence.redact("hunter2-secret")
    evidence.log.info("typed", value="password is hunter2-secret", nested={"list": ["hunter2-secret"]})
    evidence.close()
    text = (tmp_path / "run" / "log.jsonl").read_text()
    assert "hunter2-secret" not in text and "[redacted]" in text
