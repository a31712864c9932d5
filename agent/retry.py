"""Retry policies (tenacity), in one place.

Only transient failures are retried. A retried action must be safe to repeat: flows read the
server's state before repeating anything with a side effect.
"""
from __future__ import annotations

import time
from typing import Callable

import structlog
import tenacity
from tenacity import RetryCallState

from mastomove.agent.errors import NotAnAliasYet, RateLimited, Transient

log = structlog.get_logger("retry")


def _wait_for(state: RetryCallState, fallback: tenacity.wait.wait_base) -> float:
    error = state.outcome.exception() if state.outcome else None
    if isinstance(error, RateLimited) and error.retry_after:
        return min(float(error.retry_after), 900.0)
    return fallback(state)


class wait_retry_after(tenacity.wait.wait_base):
    """Honour a 429's Retry-After; otherwise back off exponentially with jitter (at most the first
    wait, so that a short first wait stays short)."""

    def __init__(self, initial: float = 1.0, maximum: float = 30.0):
        self.fallback = tenacity.wait_exponential_jitter(multiplier=initial, max=maximum, jitter=min(1.0, initial))

    def __call__(self, state: RetryCallState) -> float:
        return _wait_for(state, self.fallback)


class wait_for_progress(tenacity.wait.wait_base):
    """Back off as `wait_retry_after` does, but no longer than the work's own pace says it needs:
    while the readings advance (`progress(reading)` -> (done, total)), the next one is taken when
    the rest should be done at the rate seen so far. A reading that did not advance leaves the
    backoff alone, so a stalled job is not polled any faster."""

    def __init__(self, progress: Callable[[object], tuple[int, int] | None], initial: float = 1.0,
                 maximum: float = 30.0, shortest: float = 0.25, clock: Callable[[], float] = time.monotonic):
        self.backoff = wait_retry_after(initial=initial, maximum=maximum)
        self.progress = progress
        self.shortest = shortest
        self.clock = clock
        self.first: tuple[float, int] | None = None  # (when, done) of the first reading with progress
        self.last_done: int | None = None

    def __call__(self, state: RetryCallState) -> float:
        wait = self.backoff(state)
        if state.outcome is None or state.outcome.failed:
            return wait
        reading = self.progress(state.outcome.result())
        if reading is None:
            return wait
        done, total = reading
        now, advanced = self.clock(), self.last_done is not None and done > self.last_done
        self.last_done = done
        if self.first is None or done < self.first[1]:
            self.first = (now, done)
            return wait
        started, done_then = self.first
        if not advanced or now <= started or done <= done_then:
            return wait
        rest = (total - done) * (now - started) / (done - done_then)
        return max(self.shortest, min(wait, rest))


def _log_retry(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    log.warning(
        "retrying",
        attempt=state.attempt_number,
        error=type(error).__name__,
        reason=str(error),
        wait_s=round(state.upcoming_sleep, 2),
    )


def transient(
    *,
    attempts: int = 5,
    max_seconds: float = 300.0,
    initial_wait: float = 1.0,
    max_wait: float = 30.0,
    on_retry: Callable[[RetryCallState], None] | None = None,
) -> tenacity.Retrying:
    """For ordinary page actions: a few tries over a few minutes."""
    return tenacity.Retrying(
        retry=tenacity.retry_if_exception_type(Transient),
        stop=tenacity.stop_after_attempt(attempts) | tenacity.stop_after_delay(max_seconds),
        wait=wait_retry_after(initial=initial_wait, maximum=max_wait),
        before_sleep=on_retry or _log_retry,
        reraise=True,
    )


class wait_alias_backoff(tenacity.wait.wait_base):
    """The first tries come quickly (the alias often appears within seconds or minutes), then the
    wait doubles up to a cap of about half an hour."""

    def __init__(self, first: float = 15.0, cap: float = 1800.0):
        self.first = first
        self.cap = cap

    def __call__(self, state: RetryCallState) -> float:
        return min(self.cap, self.first * (2 ** (state.attempt_number - 1)))


def until_alias_seen(
    *,
    max_seconds: float = 24 * 3600,
    first_wait: float = 15.0,
    cap: float = 1800.0,
    on_retry: Callable[[RetryCallState], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> tenacity.Retrying:
    """For the move form's "not an alias" error: retried for up to a day by default."""
    return tenacity.Retrying(
        retry=tenacity.retry_if_exception_type(NotAnAliasYet),
        stop=tenacity.stop_after_delay(max_seconds),
        wait=wait_alias_backoff(first=first_wait, cap=cap),
        before_sleep=on_retry or _log_retry,
        sleep=sleep,
        reraise=True,
    )
