"""Every retry policy (tenacity), in one place, and one retry budget per action.

Only transient failures are retried. A retried action must be safe to repeat: flows read the
server's state before repeating anything with a side effect.

- `one_action`: an action (a page read, a form sent) gets at most ATTEMPTS tries in all, over at
  most a few minutes, a Retry-After honoured (up to MAX_RETRY_AFTER; a server asking for longer
  is told to the person as "run again later"). When the budget is spent the action has given up
  (GaveUp, not transient): an enclosing retry, the runner's included, never multiplies it. An
  expired session and the old server's "not an alias yet" pass through: the runner signs in
  again, and the move has its own day-long policy (`until_alias_seen`).
- `poll`: read again until a condition holds or time is up; a transient error on the way is
  retried, ATTEMPTS failures in a row give up.
- `wait_until`: a fixed-pace wait for a local condition (the next one-time-code time step).
"""
from __future__ import annotations

import time
from typing import Any, Callable, TypeVar

import structlog
import tenacity
from tenacity import RetryCallState

from mastomove.agent.errors import (FormRejected, GaveUp, NotAnAliasYet, RateLimited, SessionExpired, Transient)

log = structlog.get_logger("retry")
T = TypeVar("T")

ATTEMPTS = 5  # tries of one action, in all: a form is sent at most this many times
ACTION_SECONDS = 300.0  # and retried for at most this long
MAX_RETRY_AFTER = 300.0  # the longest wait a 429's Retry-After gets within one action

OnRetry = Callable[[RetryCallState], None]


def retried_here(error: BaseException) -> bool:
    """Transient, and not one an outer policy handles (a new sign-in, the alias's long wait)."""
    return isinstance(error, Transient) and not isinstance(error, (SessionExpired, NotAnAliasYet))


def asks_too_long(error: BaseException | None) -> bool:
    return isinstance(error, RateLimited) and (error.retry_after or 0) > MAX_RETRY_AFTER


def _wait_for(state: RetryCallState, fallback: tenacity.wait.wait_base) -> float:
    error = state.outcome.exception() if state.outcome else None
    if isinstance(error, RateLimited) and error.retry_after:
        return min(float(error.retry_after), MAX_RETRY_AFTER)
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


class stop_after_failures_in_a_row(tenacity.stop.stop_base):
    """Stop once the last `failures` tries all failed (readings that came back reset the count)."""

    def __init__(self, failures: int):
        self.failures = failures
        self.in_a_row = 0

    def __call__(self, state: RetryCallState) -> bool:
        failed = state.outcome is not None and state.outcome.failed
        self.in_a_row = self.in_a_row + 1 if failed else 0
        return self.in_a_row >= self.failures


class stop_when_asked_to_wait_too_long(tenacity.stop.stop_base):
    def __call__(self, state: RetryCallState) -> bool:
        return bool(state.outcome and state.outcome.failed and asks_too_long(state.outcome.exception()))


def _log_retry(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    log.warning("retrying", attempt=state.attempt_number, error=type(error).__name__, reason=str(error),
                wait_s=round(state.upcoming_sleep, 2))


def telling(logger: Any, say: Callable[[str], None] | None = None) -> OnRetry:
    """The callback before each retry: a `retrying` event in the run's log (the report lists
    them) and, when given, a line for the person (a Retry-After is said as such)."""

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        if error is None:  # a poll's reading that is not there yet: no failure to tell
            return
        wait = state.upcoming_sleep
        logger.warning("retrying", attempt=state.attempt_number, error=type(error).__name__, reason=str(error),
                       wait_s=round(wait, 2))
        if say is not None:
            asked = " as the server asks (Retry-After)" if isinstance(error, RateLimited) and error.retry_after else ""
            say(f"{error}; trying again in {wait:.0f} s{asked} (try {state.attempt_number + 1} of {ATTEMPTS})")

    return before_sleep


def gave_up(error: BaseException, tries: int) -> GaveUp:
    """The one line that says an action's budget is spent; the last error is its cause."""
    if asks_too_long(error):
        message = (f"The server asks to wait {error.retry_after / 60:.0f} min before the next request to {error.url} "
                   f"(more than the {MAX_RETRY_AFTER / 60:.0f} min mastomove waits within one action)")
    elif isinstance(error, SessionExpired):
        message = f"The {error.role} account's session kept ending ({tries} sign-ins in this step)"
    elif isinstance(error, FormRejected):
        message = f"The server kept rejecting the form's security token (HTTP 422, {tries} tries)"
    else:
        message = f"{getattr(error, 'message', str(error))} (gave up after {tries} tries)"
    return GaveUp(message, hint="nothing is lost: run the same command again later to continue where it stopped")


def one_action(action: Callable[[], T], *, on_retry: OnRetry | None = None, attempts: int = ATTEMPTS,
               max_seconds: float = ACTION_SECONDS, initial_wait: float = 1.0, max_wait: float = 30.0) -> T:
    """Run `action` with its one retry budget (see the module's docstring)."""
    policy = tenacity.Retrying(
        retry=tenacity.retry_if_exception(retried_here),
        stop=(tenacity.stop_after_attempt(attempts) | tenacity.stop_after_delay(max_seconds)
              | stop_when_asked_to_wait_too_long()),
        wait=wait_retry_after(initial=initial_wait, maximum=max_wait),
        before_sleep=on_retry or _log_retry,
        reraise=True,
    )
    tries = 0

    def counted() -> T:
        nonlocal tries
        tries += 1
        return action()

    try:
        return policy(counted)
    except Transient as error:
        if not retried_here(error):
            raise
        raise gave_up(error, tries) from error


def poll(read: Callable[[], T], *, until: Callable[[T], bool], within: float, first_wait: float,
         max_wait: float = 30.0, progress: Callable[[T], tuple[int, int] | None] | None = None,
         on_retry: OnRetry | None = None, failures: int = ATTEMPTS) -> T:
    """Read again, backing off from `first_wait`, until `until(reading)` holds or `within` seconds
    have passed; then the last reading. A transient error on the way is retried; `failures` of
    them in a row give up (GaveUp). With `progress` ((done, total) of a reading), no wait
    outlasts what the pace so far predicts."""

    def last_reading(state: RetryCallState) -> T:
        error = state.outcome.exception() if state.outcome else None
        if error is None:
            return state.outcome.result()
        if retried_here(error):
            raise gave_up(error, state.attempt_number) from error
        raise error

    policy = tenacity.Retrying(
        retry=tenacity.retry_if_result(lambda reading: not until(reading)) | tenacity.retry_if_exception(retried_here),
        wait=(wait_for_progress(progress, initial=first_wait, maximum=max_wait) if progress
              else wait_retry_after(initial=first_wait, maximum=max_wait)),
        stop=(tenacity.stop_after_delay(within) | stop_after_failures_in_a_row(failures)
              | stop_when_asked_to_wait_too_long()),
        before_sleep=on_retry or _log_retry,
        retry_error_callback=last_reading,
    )
    return policy(read)


def wait_until(read: Callable[[], T], *, until: Callable[[T], bool], every: float, within: float) -> T:
    """Read every `every` seconds until `until(reading)` or `within` seconds; the last reading."""
    return tenacity.Retrying(
        retry=tenacity.retry_if_result(lambda reading: not until(reading)),
        wait=tenacity.wait_fixed(every),
        stop=tenacity.stop_after_delay(within),
        retry_error_callback=lambda state: state.outcome.result(),
    )(read)


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
    on_retry: OnRetry | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> tenacity.Retrying:
    """For the move form's "not an alias" error: retried for up to a day by default (the old
    server caches the new account); every other failure ends it."""
    return tenacity.Retrying(
        retry=tenacity.retry_if_exception_type(NotAnAliasYet),
        stop=tenacity.stop_after_delay(max_seconds),
        wait=wait_alias_backoff(first=first_wait, cap=cap),
        before_sleep=on_retry or _log_retry,
        sleep=sleep,
        reraise=True,
    )
