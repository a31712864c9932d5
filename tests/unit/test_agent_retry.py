"""Polling with backoff that follows the work's pace (agent.retry.wait_for_progress), on a fake
clock: a job's readings come from the clock, the policy's sleeps move it."""
from __future__ import annotations

import tenacity

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
