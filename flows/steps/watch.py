"""`mastomove watch`: follow the followers moving to the new account, after the move.

Each reading takes the new account's follower count (its server's public account data) against
the number the old account had when it moved, the old account's remaining followers (they leave
it as their servers process the move), and, when the new account requires approval, the follow
requests waiting for it (the web app's Follow requests column: moved followers of a locked
account arrive as requests). Done when every follower has arrived (or is waiting for approval),
or when the old account has none left.

The number the old account had comes from the migration run's folder (counted right before the
move), else from the old account's migration page ("Past migrations": followers at the time of
the move), which needs its sign-in.

When the run folder holds the followers list saved before the move, the watch also compares it,
person by person, with the new account's followers and follow requests (flows/steps/followers.py:
arrived, waiting for approval, not arrived, by server, with what each server runs): at the start,
whenever the counts moved (at most once a minute, less often for long lists: a comparison reads
whole lists, and Mastodon limits paging; one paging budget serves the whole watch), and at the end. That needs the new account signed in: its own lists are read as
its owner sees them.

The watch ends when everyone has arrived (or waits for approval), when what is left has not
changed for the settle time (their servers are not going to move them soon: see why in the
table), or when time is up; `WatchEnd.why` says which.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import asdict, dataclass
from typing import Any, Callable

from mastomove.agent.errors import Stopped
from mastomove.agent.steps import Role, StepContext
from mastomove.flows.followers import Comparison, ServerAnswer
from mastomove.flows.handles import same_acct
from mastomove.flows.pages.migration import MigrationPage
from mastomove.flows.pages.public import PublicSide
from mastomove.flows.pages.webapp import FollowRequestsColumn
from mastomove.flows.steps.common import attempt, poll, view
from mastomove.flows.steps.followers import compare_followers, paging_budget, read_handles

ALL_ARRIVED, SETTLED, TIME_UP = "all_arrived", "settled", "time_up"
COMPARE_EVERY = 60.0  # seconds at least between two comparisons of whole lists while counts move
# Comparisons of long lists are spaced so that they read at most this many pages per 15 minutes
# (Mastodon allows 300 paging requests per 15 minutes per user; the web app needs some too).
COMPARISON_PAGES_PER_WINDOW, WINDOW = 100, 900.0


def compare_every(pages_per_comparison: int) -> float:
    """Seconds at least between two comparisons that each read `pages_per_comparison` pages."""
    return max(COMPARE_EVERY, WINDOW * pages_per_comparison / COMPARISON_PAGES_PER_WINDOW)


@dataclass
class Reading:
    at: str
    followers: int | None  # the new account's followers now
    arrived: int | None  # of them, arrived since the move
    expected: int | None  # followers the old account had when it moved
    old_followers: int | None  # still following the old account
    pending: int | None  # follow requests waiting for the new account's approval (locked accounts)
    moved: bool | None  # the old account redirects to the new one (None: its public data could not be read)
    percent: int | None

    @property
    def done(self) -> bool:
        if self.progress is not None:
            return self.progress[0] >= self.progress[1]
        return self.moved is True and self.old_followers == 0

    @property
    def progress(self) -> tuple[int, int] | None:
        """(arrived or waiting for approval, expected), when both are known."""
        if self.expected is None or self.arrived is None:
            return None
        return self.arrived + (self.pending or 0), self.expected

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class WatchEnd:
    reading: Reading
    comparison: Comparison | None
    why: str  # ALL_ARRIVED, SETTLED or TIME_UP


def _signature(reading: Reading) -> tuple:
    """What a reading says is left: when none of it changes, nothing is moving."""
    return reading.followers, reading.pending, reading.old_followers


class FollowerWatch:
    def __init__(self, ctx: StepContext, *, expected: int | None = None, new_before: int | None = None,
                 saved: list[dict[str, Any]] | None = None):
        self.ctx = ctx
        self.expected = expected
        self.new_before = new_before or 0
        self.locked: bool | None = None
        self.saved = saved  # the followers list kept before the move, if any
        self.comparison: Comparison | None = None
        self.answers: dict[str, ServerAnswer] = {}  # each server is asked what it runs once per watch
        self.budget = paging_budget(ctx, Role.NEW)  # one for the whole watch: Mastodon counts per user
        self.pages_per_comparison = 0

    def _entity(self, role: Role) -> dict[str, Any] | None:
        """The account's public data; None when it could not be read."""
        account = self.ctx.accounts[role]
        return PublicSide(self.ctx.page(role)).lookup(account, account.handle.username)

    def sign_ins_needed(self) -> list[Role]:
        """Which accounts must be signed in: the old one when the run folder does not say how many
        followers it had, the new one when it requires approval (its requests are private)."""
        new_entity = attempt(self.ctx, lambda: self._entity(Role.NEW))
        # unknown is taken as locked: its follow requests are read signed in, not assumed to be none
        self.locked = True if new_entity is None else bool(new_entity.get("locked"))
        roles = [Role.OLD] if self.expected is None else []
        return roles + ([Role.NEW] if self.locked or self.saved is not None else [])

    def compare(self) -> Comparison:
        """The saved list against the new account's followers and requests now."""
        before = self.budget.pages_read
        self.comparison = compare_followers(self.ctx, self.saved or [], self.answers, self.budget)
        self.pages_per_comparison = self.budget.pages_read - before
        return self.comparison

    def _done(self, reading: Reading) -> bool:
        if self.comparison is not None:
            return self.comparison.everyone_arrived
        return reading.done

    def expected_from_migration_page(self) -> int | None:
        def read() -> int | None:
            page = view(self.ctx, Role.OLD, MigrationPage)
            page.open()
            counts = page.past_migration_followers()
            return counts[0] if counts else None

        self.expected = attempt(self.ctx, read)
        return self.expected

    def read(self) -> Reading:
        new, old = self.ctx.accounts[Role.NEW], self.ctx.accounts[Role.OLD]
        new_entity, old_entity = self._entity(Role.NEW) or {}, self._entity(Role.OLD)
        moved = ((old_entity or {}).get("moved") or {}).get("acct") or ""
        redirects = None if old_entity is None else bool(moved) and same_acct(moved, new.handle, old.handle.domain)
        followers = new_entity.get("followers_count")
        arrived = max(0, followers - self.new_before) if followers is not None else None
        pending = None
        if self.locked:
            pending = len(read_handles(self.ctx, Role.NEW, FollowRequestsColumn, "follow requests", self.budget,
                                       shoot=False)[0])
        percent = None
        if self.expected and arrived is not None:
            percent = min(100, int(100 * (arrived + (pending or 0)) / self.expected))
        elif self.expected == 0:
            percent = 100
        reading = Reading(at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), followers=followers,
                          arrived=arrived, expected=self.expected, old_followers=(old_entity or {}).get("followers_count"),
                          pending=pending, moved=redirects, percent=percent)
        self.ctx.evidence.log.info("watch.reading", **reading.as_dict(), old=str(old.handle))
        return reading

    def watch(self, *, seconds: float, on_reading: Callable[[Reading], None], settle_seconds: float = 15 * 60,
              on_comparison: Callable[[Comparison], None] | None = None) -> WatchEnd:
        """Read until everyone arrived, nothing changed for `settle_seconds`, or `seconds` have
        passed; each reading goes to `on_reading`, each comparison to `on_comparison`."""
        first = attempt(self.ctx, self.read)
        on_reading(first)
        if first.moved is False:
            raise Stopped(f"{self.ctx.accounts[Role.OLD].handle} does not redirect to "
                          f"{self.ctx.accounts[Role.NEW].handle}: there is nothing to watch yet",
                          hint="run `mastomove migrate` first")
        if first.moved is None and first.followers is None:
            raise Stopped(f"The public data of {self.ctx.accounts[Role.OLD].handle} and "
                          f"{self.ctx.accounts[Role.NEW].handle} could not be read: nothing can be watched",
                          hint="the servers may not answer anonymous readers; check the accounts in their web apps")
        told = on_comparison or (lambda _comparison: None)
        if self.saved is not None:
            told(self.compare())
        if self._done(first) or seconds <= 0:
            return WatchEnd(first, self.comparison, ALL_ARRIVED if self._done(first) else TIME_UP)
        now = time.monotonic()
        seen = {"signature": _signature(first), "changed_at": now, "compared": _signature(first), "compared_at": now}

        def read() -> Reading:
            reading = self.read()
            on_reading(reading)
            now = time.monotonic()
            signature = _signature(reading)
            if signature != seen["signature"]:
                seen.update(signature=signature, changed_at=now)
            if (self.saved is not None and signature != seen["compared"]
                    and (reading.done or now - seen["compared_at"] >= compare_every(self.pages_per_comparison))):
                told(self.compare())
                seen.update(compared=signature, compared_at=now)
            return reading

        def settled() -> bool:
            return time.monotonic() - seen["changed_at"] >= settle_seconds

        last = poll(self.ctx, read, until=lambda r: self._done(r) or settled(), within=seconds, first_wait=2.0,
                    max_wait=max(2.0, min(60.0, settle_seconds / 3)), progress=lambda r: r.progress)
        if self.saved is not None and _signature(last) != seen["compared"]:
            told(self.compare())  # the table as things are at the end
        why = ALL_ARRIVED if self._done(last) else SETTLED if settled() else TIME_UP
        self.ctx.evidence.log.info("watch.end", why=why)
        return WatchEnd(last, self.comparison, why)
