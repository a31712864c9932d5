"""Runs the steps of a plan in order: checkpoints, resume, retries, the pause before the move.

The runner knows steps only through agent.steps; it knows nothing of Mastodon's pages.
"""
from __future__ import annotations

import time
from typing import Any, Callable

from mastomove.agent import retry
from mastomove.agent.errors import (ConnectionFailed, FailedAfterMove, FormRejected, MastomoveError, MoveNotConfirmed,
                          MoveRejected, SessionExpired, Stopped, Transient)
from mastomove.agent.evidence import Evidence
from mastomove.agent.person import ConsolePerson
from mastomove.agent.state import RunState
from mastomove.agent.steps import Account, Plan, Role, Step


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

    def result_of(self, step_name: str) -> dict[str, Any]:
        return self.state.result(step_name)


def _as_transient(error: Exception) -> Exception:
    """Playwright's own timeouts and network errors are worth another try."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout
    except ImportError:  # pragma: no cover
        return error
    if isinstance(error, PlaywrightTimeout):
        return ConnectionFailed(f"The page did not answer in time ({str(error).splitlines()[0]})")
    if isinstance(error, PlaywrightError) and "net::ERR_" in str(error):
        return ConnectionFailed(f"The connection failed ({str(error).splitlines()[0]})")
    return error


def _gave_up(error: Exception, tries: int) -> str:
    if isinstance(error, SessionExpired):
        return f"The {error.role} account's session kept ending ({tries} tries in this step)"
    if isinstance(error, FormRejected):
        return f"The server kept rejecting the form's security token (HTTP 422, {tries} tries)"
    message = getattr(error, "message", str(error))
    return f"{message} (gave up after {tries} tries)"


class Runner:
    def __init__(self, plan: Plan, ctx: RunContext, *, attempts: int = 4):
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
            if self._call(step, step.verify):
                log.info("step_verified")
                return
            log.warning("step_no_longer_done")
            self.state.reopen(step.name)
        else:
            self.person.step(number, total, step.title)
        if step.irreversible:
            if self.state.was_started(step.name) and self._call(step, step.verify):
                self.state.finish(step.name, {"report": ["already done in an earlier run"]})
                return
            self._pause(step)
        self.state.start(step.name)
        log.info("step_started", attempt=self.state.step(step.name)["attempts"])
        result = self._call(step, step.run) or {}
        self.state.finish(step.name, result)
        self.timings[step.name] = time.monotonic() - started
        log.info("step_done", duration_s=round(self.timings[step.name], 2))
        for line in result.get("report", []):
            self.person.say(f"  ✓ {line}")

    def _call(self, step: Step, action: Callable[[RunContext], Any]) -> Any:
        """Run a step's action with retries for transient failures; an expired session signs
        in again first. Steps read the server's state before repeating a side effect."""

        def on_retry(state) -> None:
            error = state.outcome.exception()
            self.evidence.log.warning("retrying", step=step.name, attempt=state.attempt_number,
                                      error=type(error).__name__, reason=str(error),
                                      wait_s=round(state.upcoming_sleep, 1))
            self.person.say(f"  [yellow]{error}[/yellow]; trying again in {state.upcoming_sleep:.0f} s")

        try:
            for attempt in retry.transient(attempts=self.attempts, on_retry=on_retry):
                with attempt:
                    try:
                        return action(self.ctx)
                    except SessionExpired as expired:
                        self.plan.sign_in(self.ctx, Role(expired.role))
                        raise
                    except MastomoveError:
                        raise
                    except Exception as error:  # noqa: BLE001 - classify, then re-raise
                        converted = _as_transient(error)
                        if converted is error:
                            raise
                        raise converted from error
        except Transient as error:
            # Out of tries: the last message must not promise another one ("signing in again").
            raise Stopped(_gave_up(error, self.attempts), hint="nothing is lost: run the same command again "
                                                               "to continue where it stopped") from error
        return None  # pragma: no cover - tenacity re-raises

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
