"""Check that the move took effect, and watch the followers arrive:

- the old account shows the redirect (its migration page, else the account settings' notice);
- the old server's public lookup of the old account reports `moved` to the new account;
- the new account still lists the alias: read unless the old server accepted the move minutes ago
  (it accepts a move only while the alias is there), so on a run resumed later;
- the new account's follower count, read until it reaches the old count or time is up.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from mastomove.agent.errors import FailedAfterMove
from mastomove.agent.steps import FollowUp, Results, Role, StepContext, StepResult
from mastomove.flows.handles import handle_in_text, same_acct
from mastomove.flows.pages.account_settings import AccountSettingsPage
from mastomove.flows.pages.aliases import AliasesPage
from mastomove.flows.pages.migration import MigrationPage
from mastomove.flows.pages.public import PublicSide
from mastomove.flows.steps.common import attempt, poll, screenshot, view
from mastomove.flows.steps.followers import ArrivalsResult
from mastomove.flows.steps.move import MoveResult


@dataclass(kw_only=True)
class FollowerCounts:
    """The new account's followers while the step watched them arrive (None: could not be read)."""

    at_start: int | None = None
    at_end: int | None = None
    expected: int | None = None  # the old account's, right before the move


@dataclass(kw_only=True)
class VerifyResult(StepResult):
    step = "verify"
    redirect: bool = False  # the old account shows the redirect
    moved_public: bool = False  # the old server's public data says it moved
    alias: bool = False  # the new account still lists the alias
    followers: FollowerCounts | None = None


# How long the old server's acceptance of the move stands for the alias: the verify step right after
# the move (one run) needs no page for it; a run resumed later reads the alias list again.
MOVE_PROVES_ALIAS_SECONDS = 600


def moved_just_now(move: MoveResult | None) -> bool:
    """Did the old server accept the move (not find it done already) within the last minutes?"""
    accepted = move.accepted_at if move else None
    if move is None or move.already or not accepted:
        return False
    try:
        age = dt.datetime.now(dt.timezone.utc) - dt.datetime.fromisoformat(accepted)
    except (TypeError, ValueError):
        return False
    return dt.timedelta(0) <= age <= dt.timedelta(seconds=MOVE_PROVES_ALIAS_SECONDS)


class VerifyStep:
    name = "verify"
    title = "Check the move and watch the followers arrive"
    irreversible = False
    result_type = VerifyResult

    def run(self, ctx: StepContext) -> VerifyResult:
        checks = attempt(ctx, lambda: self._checks(ctx))
        followers, line = self._watch_followers(ctx, checks.pop("followers_expected"))
        return VerifyResult(redirect=checks["redirect"], moved_public=checks["moved_public"], alias=checks["alias"],
                            followers=followers, report=[*checks["report"], line])

    def followups(self, result: VerifyResult | None, results: Results) -> list[FollowUp]:
        followers = result.followers if result else None
        arrivals = results.of(ArrivalsResult)
        if arrivals is not None and arrivals.compared:
            return []  # who came along, one by one, says more (the arrivals step's follow-ups)
        if followers is None or followers.expected is None or followers.at_end is None:
            return []
        if followers.at_end >= followers.expected:
            return []
        return [FollowUp(kind="followers_moving", count=followers.expected - followers.at_end,
                         what=f"{followers.at_end} of {followers.expected} followers had arrived on the new account",
                         how="the rest arrive as their servers process the move (minutes to hours): run "
                             "`mastomove watch` later to follow them")]

    def _checks(self, ctx: StepContext) -> dict[str, Any]:
        old, new = ctx.accounts[Role.OLD], ctx.accounts[Role.NEW]
        report = []

        migration = view(ctx, Role.OLD, MigrationPage)
        # The move form's answer is this page, showing the redirect: read it as it is when the move
        # was accepted just now; load it (again) when it is not there or does not show the redirect.
        shown = (moved_just_now(ctx.result_of(MoveResult)) and migration.on(migration.PATH)
                 and migration.on_own_origin() and migration.state().redirects_to(new.handle))
        if not shown:
            migration.open()
            shown = migration.state().redirects_to(new.handle)
        screenshot(ctx, migration, "old-migration-page")
        if not shown:
            # Not on the migration page (a markup it does not know, an older release): the other
            # place Mastodon shows it is the notice on the account settings page.
            settings = view(ctx, Role.OLD, AccountSettingsPage)
            settings.open()
            notice = settings.redirect_notice()
            screenshot(ctx, settings, "old-account-settings")
            shown = bool(notice and handle_in_text(notice, new.handle, old.handle.domain))
        if not shown:
            raise FailedAfterMove(f"{old.handle} does not show a redirect to {new.handle}",
                                  hint="open the old account's Account migration page; rerun to check again")
        report.append(f"Verify: {old.handle} shows the redirect to {new.handle}")

        entity = PublicSide(ctx.page(Role.OLD)).lookup(old, old.handle.username)
        moved = (entity or {}).get("moved") or {}
        if entity is None:
            report.append(f"Verify: could not read {old.handle}'s public account data")
        elif not same_acct(moved.get("acct") or "", new.handle, old.handle.domain):
            raise FailedAfterMove(f"The old server's public data for {old.handle} does not say it moved to {new.handle}")
        else:
            report.append(f"Verify: the old server publicly reports {old.handle} moved to {new.handle}")

        move = ctx.result_of(MoveResult)
        if moved_just_now(move):
            # The old server accepted the move minutes ago, which it does only while the new
            # account names the old one as an alias: no page to read for that.
            report.append(f"Verify: {new.handle} lists the alias {old.handle} (the old server accepted the move with it)")
        else:  # a resumed run: the alias may have been removed since the move
            aliases = view(ctx, Role.NEW, AliasesPage)
            aliases.open()
            screenshot(ctx, aliases, "new-aliases")
            if not aliases.lists(old.handle):
                raise FailedAfterMove(f"{new.handle} no longer lists {old.handle} as an alias",
                                      hint="re-create the alias on the new account: moved followers' servers check it")
            report.append(f"Verify: {new.handle} still lists the alias {old.handle}")

        expected = move.followers_before if move else None
        if expected is None:
            past = migration.past_migration_followers()
            expected = past[0] if past else None
        return {"redirect": True, "moved_public": bool(moved), "alias": True,
                "followers_expected": expected, "report": report}

    def _watch_followers(self, ctx: StepContext, expected: int | None) -> tuple[FollowerCounts, str]:
        new = ctx.accounts[Role.NEW]
        public = PublicSide(ctx.page(Role.NEW))

        def count() -> int | None:
            entity = public.lookup(new, new.handle.username)
            value = entity.get("followers_count") if entity else None
            ctx.person.progress(f"Followers on {new.handle}", value or 0, expected)
            return value

        def arrived(n: int | None) -> bool:
            return n is not None and expected is not None and n >= expected

        first = attempt(ctx, count)
        watching = ctx.settings.follower_watch_seconds > 0 and not arrived(first)
        last = poll(ctx, count, until=arrived, within=ctx.settings.follower_watch_seconds, first_wait=2.0,
                    progress=lambda n: (n, expected) if n is not None and expected else None) if watching else first
        ctx.evidence.log.info("verify.followers", at_start=first, at_end=last, expected=expected)
        of = f" of the {expected} the old account had" if expected is not None else ""
        line = f"Verify: {new.handle} has {last if last is not None else 'an unknown number of'} follower(s){of}"
        if expected is not None and last is not None and last < expected:
            line += "; the rest arrive as their servers process the move (minutes to hours)"
        return FollowerCounts(at_start=first, at_end=last, expected=expected), line

    def verify(self, ctx: StepContext) -> bool:
        def still_moved() -> bool:
            migration = view(ctx, Role.OLD, MigrationPage)
            migration.open()
            aliases = view(ctx, Role.NEW, AliasesPage)
            aliases.open()
            return (migration.state().redirects_to(ctx.accounts[Role.NEW].handle)
                    and aliases.lists(ctx.accounts[Role.OLD].handle))

        return attempt(ctx, still_moved)
