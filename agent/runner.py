"""Runs the steps of a plan in order: checkpoints, resume, retries, the pause before the move.

The runner knows steps only through agent.steps; it knows nothing of Mastodon's pages.
"""
from __future__ import annotations

import time
from typing import Any, Callable

from mastomove.agent import retry
from mastomove.agent.errors import (FailedAfterMove, MastomoveError, MoveNotConfirmed, MoveRejected, SessionExpired,
                                    translated)
from mastomove.agent.evidence import Evidence
from mastomove.agent.person import ConsolePerson
from mastomove.agent.state import RunState
from mastomove.agent.steps import R, Account, Plan, Role, Step


class RunContext:
    """What a step sees (agent.steps.StepContext)."""

    def __init__(self, *, settings: Any, accounts: dict[Role, Account], evidence: Evidence,
                 person: ConsolePerson, state: RunState, pages: Callable[[Role], Any]):
        self.settings = settings
        self.accounts = accounts
        self.evidence = evidence
        self.person = person
        self.state = state
        self._pages = pages
        self.current_step = "start"

    def page(self, role: Role):
        return self._pages(Role(role))

    @property
    def notes(self) -> dict[str, Any]:
        return self.state.notes(self.current_step)

    def save_notes(self) -> None:
        self.state.save()

    def result_of(self, kind: type[R]) -> R | None:
        return self.state.results().of(kind)


class Runner:
    def __init__(self, plan: Plan, ctx: RunContext, *, attempts: int = retry.ATTEMPTS):
        for step in plan.steps:  # a result is found by its step's name: they must agree
            if step.result_type.step != step.name:
                raise ValueError(f"{type(step).__name__}.result_type is the result of {step.result_type.step!r}, "
                                 f"not of {step.name!r}")
        self.plan = plan
        self.ctx = ctx
        self.state = ctx.state
        self.person = ctx.person
        self.evidence = ctx.evidence
        self.attempts = attempts
        self.timings: dict[str, float] = {}

    @property
    def irreversible_started(self) -> bool:
        return any(step.irreversible and self.state.was_started(step.name) for step in self.plan.steps)

    def run(self) -> dict[str, Any]:
        try:
            for number, step in enumerate(self.plan.steps, 1):
                self._run_step(number, step)
        except MastomoveError as error:
            # A refused move form, or no confirmation, means nothing irreversible happened: that
            # is a stop before the move (exit 3), however far the move step had got.
            nothing_moved = isinstance(error, (MoveRejected, MoveNotConfirmed))
            if self.irreversible_started and not nothing_moved and not isinstance(error, FailedAfterMove):
                raise FailedAfterMove(str(error), hint="rerun with the same run folder to verify and finish") from error
            raise
        return {step.name: self.state.result(step.name) for step in self.plan.steps}

    def _run_step(self, number: int, step: Step) -> None:
        total = len(self.plan.steps)
        self.ctx.current_step = step.name
        self.evidence.begin_step(step.name)
        log = self.evidence.log.bind(step=step.name)
        started = time.monotonic()
        if self.state.is_done(step.name):
            self.person.step(number, total, step.title, resumed=True)
            if self.state.results().of(step.result_type) is None:
                # Saved by a mastomove whose result no longer reads: done again rather than trusted.
                log.warning("step_result_unreadable")
            elif self._call(step, step.verify):
                log.info("step_verified")
                return
            else:
                log.warning("step_no_longer_done")
            self.state.reopen(step.name)
        else:
            self.person.step(number, total, step.title)
        if step.irreversible:
            if self.state.was_started(step.name) and self._call(step, step.verify):
                self.state.finish(step.name, step.result_type(report=["already done in an earlier run"]))
                return
            self._pause(step)
        self.state.start(step.name)
        log.info("step_started", attempt=self.state.step(step.name)["attempts"])
        result = self._call(step, step.run) or step.result_type()
        self.state.finish(step.name, result)
        self.timings[step.name] = time.monotonic() - started
        log.info("step_done", duration_s=round(self.timings[step.name], 2))
        for line in result.report:
            self.person.say(f"  ✓ {line}")

    def _call(self, step: Step, action: Callable[[RunContext], Any]) -> Any:
        """Run a step's action with the one retry budget of an action (agent.retry.one_action):
        what the step's own actions already retried has given up, and is not retried again. An
        expired session signs in again first, at most `attempts` times in a step."""

        tell = retry.telling(self.evidence.log.bind(step=step.name), lambda line: self.person.say(f"  {line}", "yellow"))
        for sign_ins in range(1, self.attempts + 1):
            try:
                return retry.one_action(translated(lambda: action(self.ctx)), on_retry=tell, attempts=self.attempts)
            except SessionExpired as expired:
                if sign_ins == self.attempts:
                    raise retry.gave_up(expired, sign_ins) from expired
                self.evidence.log.warning("session_expired", step=step.name, account=expired.role)
                self.person.say(f"  {expired}", "yellow")
                self.plan.sign_in(self.ctx, Role(expired.role))
        return None  # pragma: no cover - the loop returns or raises

    def _pause(self, step: Step) -> None:
        report: list[str] = []
        for earlier in self.plan.steps:
            report.extend(self.state.result(earlier.name).get("report", []))
        new_handle = str(self.ctx.accounts[Role.NEW].handle)
        self.evidence.log.info("pause", step=step.name, report=report)
        if not self.person.confirm_move(report, new_handle):
            self.evidence.log.info("move_not_confirmed")
            raise MoveNotConfirmed(
                "Stopped before the move, as asked: nothing irreversible was done",
                hint="run the same command again to continue; the finished steps are only re-checked",
            )
        self.evidence.log.info("move_confirmed")
