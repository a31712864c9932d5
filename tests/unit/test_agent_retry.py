"""Polling with backoff that follows the work's pace (agent.retry.wait_for_progress), on a fake
clock: a job's readings come from the clock, the policy's sleeps move it; and one retry budget per
action (agent.retry.one_action), whoever retries, with Retry-After honoured."""
from __future__ import annotations

import pytest
import structlog
import tenacity

from mastomove.agent import retry
from mastomove.agent.errors import GaveUp, RateLimited, ServerError, SessionExpired
from mastomove.agent.retry import wait_for_progress, wait_retry_after


class Job:
    """`total` rows processed at `rate` rows a second, stalling at `stall_at` rows if given."""

    def __init__(self, total: int, rate: float, stall_at: int | None = None):
        self.total, self.rate, self.stall_at = total, rate, stall_at
        self.now = 0.0
        self.readings: list[tuple[float, int]] = []

    def sleep(self, seconds: float) -> None:
        self.now += seconds

    def read(self) -> int:
        done = min(self.total, int(self.rate * self.now))
        if self.stall_at is not None:
            done = min(done, self.stall_at)
        self.readings.append((self.now, done))
        return done

    def poll(self, wait: tenacity.wait.wait_base, within: float = 120.0) -> int:
        policy = tenacity.Retrying(retry=tenacity.retry_if_result(lambda done: done < self.total), wait=wait,
                                   stop=lambda _state: self.now >= within, sleep=self.sleep,  # the fake clock's
                                   retry_error_callback=lambda state: state.outcome.result())
        return policy(self.read)


def test_the_last_reading_comes_when_the_pace_says_the_job_ends():
    paced, backed_off = Job(1000, rate=100), Job(1000, rate=100)  # done at t = 10 s
    assert paced.poll(wait_for_progress(lambda d: (d, paced.total), initial=0.25, clock=lambda: paced.now)) == 1000
    assert backed_off.poll(wait_retry_after(initial=0.25)) == 1000
    paced_late = paced.now - 10
    backed_off_late = backed_off.now - 10
    assert paced_late < 0.6, paced.readings
    assert backed_off_late > 3 * paced_late, (paced.readings, backed_off.readings)
    assert len(paced.readings) <= len(backed_off.readings) + 3  # not bought with many more page loads


def test_a_stalled_job_is_not_polled_faster_than_the_backoff():
    stalled = Job(1000, rate=100, stall_at=990)  # nearly done: the pace alone would say "any moment now"
    assert stalled.poll(wait_for_progress(lambda d: (d, stalled.total), initial=0.25, maximum=30,
                                          clock=lambda: stalled.now)) == 990
    after_stall = [t for t, done in stalled.readings if done == 990]
    gaps = [b - a for a, b in zip(after_stall, after_stall[1:])]
    assert len(stalled.readings) < 15, stalled.readings  # two minutes of a stalled job: a dozen page loads
    assert gaps[1:] and all(later >= earlier * 0.99 for earlier, later in zip(gaps[1:], gaps[2:])), gaps  # backing off


def test_readings_without_progress_keep_the_plain_backoff():
    job = Job(1000, rate=100)
    waits = wait_for_progress(lambda _: None, initial=0.25, clock=lambda: job.now)
    job.poll(waits)
    sleeps = [b[0] - a[0] for a, b in zip(job.readings, job.readings[1:])]
    assert all(later >= earlier for earlier, later in zip(sleeps, sleeps[1:])), sleeps  # only ever longer


# --- one retry budget per action ------------------------------------------------------------------

@pytest.fixture
def slept(monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr("tenacity.nap.time.sleep", waits.append)
    return waits


def failing(error: Exception, calls: list):
    def action():
        calls.append(1)
        raise error
    return action


def test_an_action_that_keeps_failing_is_tried_five_times_in_all_even_inside_another_retry(slept):
    calls: list = []
    with pytest.raises(GaveUp, match="gave up after 5 tries") as gave_up:
        retry.one_action(lambda: retry.one_action(failing(ServerError(503, "https://x/settings/aliases"), calls)))
    assert len(calls) == 5  # the outer retry does not multiply the inner one's budget (was 4 x 5 = 20)
    assert gave_up.value.exit_code == 3 and isinstance(gave_up.value.__cause__, ServerError)


def test_retry_after_is_honoured_and_said_and_a_long_one_is_not_waited_for(slept):
    said: list[str] = []
    calls: list = []
    tell = retry.telling(structlog.get_logger("test"), said.append)
    with pytest.raises(GaveUp):
        retry.one_action(failing(RateLimited("https://x/api", 30), calls), on_retry=tell)
    assert slept[:4] == [30, 30, 30, 30] and len(calls) == 5
    assert "trying again in 30 s as the server asks (Retry-After)" in said[0]
    calls.clear()
    with pytest.raises(GaveUp, match="asks to wait 60 min") as too_long:
        retry.one_action(failing(RateLimited("https://x/api", 3600), calls))
    assert len(calls) == 1, "an hour's Retry-After is not slept through within one action"
    assert "run the same command again later" in str(too_long.value)


def test_a_poll_tells_only_of_failures_not_of_readings_that_are_not_there_yet(slept):
    said: list[str] = []
    readings = iter([1, 2, ServerError(502, "https://x/settings/imports"), 3])

    def read():
        reading = next(readings)
        if isinstance(reading, Exception):
            raise reading
        return reading

    tell = retry.telling(structlog.get_logger("test"), said.append)
    assert retry.poll(read, until=lambda n: n >= 3, within=60, first_wait=0.1, on_retry=tell) == 3
    assert len(said) == 1 and said[0].startswith("The server answered 502")


def test_an_expired_session_passes_through_to_the_runner(slept):
    calls: list = []
    with pytest.raises(SessionExpired):
        retry.one_action(failing(SessionExpired("old"), calls))
    assert len(calls) == 1
