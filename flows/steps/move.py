"""Move the followers: "Moving to a different account" on the old account's migration page.

Irreversible, and it starts a 30-day cooldown. Every attempt begins by reading the page: an
account that already redirects to the new one is done, so a submit whose answer was lost (a
timeout, a dropped connection, an interruption) is never sent again blindly. "Not an alias"
(the old server's copy of the new account can be a day old) is retried with backoff for
`alias_wait_seconds`; every other refusal stops with its reason."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import tenacity

from mastomove.agent.errors import MoveRejected, NeedsPerson, NotAnAliasYet, Transient
from mastomove.agent.retry import until_alias_seen
from mastomove.agent.steps import Role, StepContext, StepResult
from mastomove.flows.messages import MoveOutcome, TargetFacts, classify_move_error
from mastomove.flows.pages.migration import MigrationPage, MigrationState
from mastomove.flows.pages.public import PublicSide
from mastomove.flows.steps.backup import BackupResult
from mastomove.flows.steps.common import attempt, screenshot, view
from mastomove.flows.steps.precheck import refuse_unless_free
from mastomove.flows.steps.preflight import PreflightResult

# (message, hint, the settings to check)
REFUSALS = {
    MoveOutcome.WRONG_CHALLENGE: ("The old server refused the password of {old}",
                                  "check the old account's password; nothing was moved", ("old_password",)),
    MoveOutcome.COOLDOWN: ("{old} is in its move cooldown (Mastodon allows one move per 30 days)", None, ()),
    MoveOutcome.SELF: ("The old server says {new} is {old} itself", "check the new account's handle", ("new_handle",)),
    MoveOutcome.NOT_FOUND: ("The old server could not find {new}",
                            "the new server must be up and reachable from the old one; try again later", ()),
}


# A follower count read this long before the move still counts as the one before it (the pause lies
# between; a run resumed later reads it again).
BASELINE_FRESH = dt.timedelta(minutes=15)


@dataclass(kw_only=True)
class MoveResult(StepResult):
    step = "move"
    moved_to: str | None = None  # None: found done by an earlier run (the runner's own result)
    already: bool = False  # the old account redirected before this run sent the form
    attempts: int = 0  # forms sent
    followers_before: int | None = None  # the old account's followers right before the move
    accepted_at: str | None = None  # when this run's form was accepted (None: it had moved before)


class MoveStep:
    name = "move"
    title = "Move the followers to the new account"
    irreversible = True
    result_type = MoveResult

    def run(self, ctx: StepContext) -> MoveResult:
        old, new = ctx.accounts[Role.OLD], ctx.accounts[Role.NEW]
        settings = ctx.settings
        log = ctx.evidence.log

        def before_next_try(state: tenacity.RetryCallState) -> None:
            wait = state.upcoming_sleep
            log.info("move.waiting_for_alias", attempt=state.attempt_number, wait_s=round(wait, 1))
            ctx.person.waiting(f"{old.handle.domain} to see the alias on {new.handle}", wait)

        policy = until_alias_seen(
            max_seconds=settings.alias_wait_seconds,
            first_wait=settings.alias_first_wait_seconds,
            cap=settings.alias_wait_cap_seconds,
            on_retry=before_next_try,
        )
        try:
            return policy(lambda: attempt(ctx, lambda: self._attempt(ctx)))
        except NotAnAliasYet as still:
            hours = settings.alias_wait_seconds / 3600
            raise MoveRejected(
                f"After {hours:.1f} h the old server still does not see {new.handle} naming {old.handle} as an alias",
                hint="nothing was moved; check the alias on the new account and rerun later",
            ) from still

    def _attempt(self, ctx: StepContext) -> MoveResult:
        old, new = ctx.accounts[Role.OLD], ctx.accounts[Role.NEW]
        notes = ctx.notes
        page = view(ctx, Role.OLD, MigrationPage)
        page.open()
        state = page.state()
        if state.redirects_to(new.handle):
            return self._done(ctx, page, already=notes.get("attempts", 0) == 0)
        refuse_unless_free(state, ctx.accounts[Role.OLD].handle, MoveRejected)

        challenge = self._challenge(ctx, state)
        if "followers_before" not in notes:
            notes["followers_before"] = self._followers_before(ctx)
        notes["attempts"] = notes.get("attempts", 0) + 1
        notes["last_submit_at"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        notes["state"] = "submitting"
        ctx.save_notes()
        ctx.evidence.log.info("move.submitting", attempt=notes["attempts"], target=str(new.handle))
        page.submit_move(new.handle, challenge, ctx.evidence.secret_entry)
        screenshot(ctx, page, "move-submitted")

        if page.on(page.PATH) and page.state().redirects_to(new.handle):
            return self._done(ctx, page, already=False)
        errors = page.errors()
        if not errors.any:
            page.open()  # neither an error nor the redirect: read the page afresh
            if page.state().redirects_to(new.handle):
                return self._done(ctx, page, already=False)
        outcome = classify_move_error(errors, self._target_facts(ctx))
        notes.update({"state": "refused", "last_outcome": str(outcome)})
        ctx.save_notes()
        ctx.evidence.log.warning("move.refused", outcome=str(outcome), fields=errors.fields)
        if outcome is MoveOutcome.NOT_AN_ALIAS:
            raise NotAnAliasYet(f"{old.handle.domain} does not see {new.handle} naming {old.handle} as an alias yet")
        if outcome is MoveOutcome.ALREADY_MOVED:
            page.open()
            return self._done(ctx, page, already=True)
        message, hint, settings = REFUSALS.get(outcome, ("The old server refused the move: {said}", "nothing was moved", ()))
        said = "; ".join(errors.fields.values()) or errors.summary or "no reason shown"
        raise MoveRejected(message.format(old=old.handle, new=new.handle, said=said), hint=hint, settings=settings)

    def _followers_before(self, ctx: StepContext) -> int | None:
        """The old account's follower count before the move: the backup step's reading when it was
        taken minutes ago (it runs right before the move), else read now."""
        backup = ctx.result_of(BackupResult)
        baseline = backup.baseline if backup else None
        count = baseline.old_followers if baseline else None
        try:
            age = dt.datetime.now(dt.timezone.utc) - dt.datetime.fromisoformat(baseline.at or "" if baseline else "")
        except (TypeError, ValueError):
            age = None
        if isinstance(count, int) and age is not None and dt.timedelta(0) <= age <= BASELINE_FRESH:
            return count
        old = ctx.accounts[Role.OLD]
        entity = PublicSide(ctx.page(Role.OLD)).lookup(old, old.handle.username) or {}
        return entity.get("followers_count")

    def _challenge(self, ctx: StepContext, state: MigrationState) -> str:
        old = ctx.accounts[Role.OLD]
        if state.challenge == "current_username":
            return old.handle.username  # accounts without a password confirm with their username
        if old.password is None or not old.password.get_secret_value():
            raise NeedsPerson("The move form asks for the old account's password, and none was given",
                              hint="give it, or run mastomove in a terminal to type it", settings=("old_password",),
                              role=str(Role.OLD))
        return old.password.get_secret_value()

    def _target_facts(self, ctx: StepContext) -> TargetFacts:
        """What the new server publishes now: does the handle resolve, does its actor name the old
        account (structural evidence for telling "not found" from "not an alias")."""
        old, new = ctx.accounts[Role.OLD], ctx.accounts[Role.NEW]
        public = PublicSide(ctx.page(Role.NEW))
        try:
            status, finger = public.webfinger_answer(new, new.handle)
            if finger is None:  # a 404 says "no such account"; anything else is unknown
                return TargetFacts(resolves=False if status == 404 else None)
            preflight = ctx.result_of(PreflightResult)
            old_actor = preflight.old_actor if preflight else None
            if not old_actor:
                old_finger = PublicSide(ctx.page(Role.OLD)).webfinger(old, old.handle)
                old_actor = old_finger.actor_uri if old_finger else None
            actor = public.actor(new, finger.actor_uri) if finger.actor_uri else None
        except Transient:
            # Unreadable just now: decide from the message alone rather than send the form again.
            return TargetFacts()
        if actor is None or not old_actor:
            return TargetFacts(resolves=True)
        return TargetFacts(resolves=True, lists_old=old_actor in (actor.get("alsoKnownAs") or []))

    def _done(self, ctx: StepContext, page: MigrationPage, *, already: bool) -> MoveResult:
        old, new = ctx.accounts[Role.OLD], ctx.accounts[Role.NEW]
        notes = ctx.notes
        notes["state"] = "moved"
        ctx.save_notes()
        screenshot(ctx, page, "old-account-redirecting")
        ctx.evidence.log.info("move.done", already=already, attempts=notes.get("attempts", 0))
        line = (f"Move: {old.handle} already redirected to {new.handle}" if already
                else f"Move: {old.handle} now redirects to {new.handle}; its followers are being moved")
        accepted_at = None if already else dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        return MoveResult(moved_to=str(new.handle), already=already, attempts=notes.get("attempts", 0),
                          followers_before=notes.get("followers_before"), accepted_at=accepted_at, report=[line])

    def verify(self, ctx: StepContext) -> bool:
        def redirecting() -> bool:
            page = view(ctx, Role.OLD, MigrationPage)
            page.open()
            return page.state().redirects_to(ctx.accounts[Role.NEW].handle)

        return attempt(ctx, redirecting)
