"""Everything the move needs, checked (and reported) before the pause:

- the new account exists (its server's WebFinger) and the old server can look it up;
- the new account accepts followers without approval (a locked account turns every moved
  follower into a pending request): unlocked here when allowed, else a stop;
- no move cooldown is running on the old account, and it does not redirect elsewhere already;
- the new account lists the alias, and its public actor names the old account in `alsoKnownAs`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mastomove.agent.errors import PreflightFailed
from mastomove.agent.steps import FollowUp, Results, Role, StepContext, StepResult
from mastomove.flows.pages.aliases import AliasesPage
from mastomove.flows.pages.migration import MigrationPage, MigrationState
from mastomove.flows.pages.profile import PrivacyPage, ProfilePage, open_follow_approval_setting
from mastomove.flows.pages.public import PublicSide
from mastomove.flows.steps.alias import AliasResult
from mastomove.flows.steps.common import attempt, poll, screenshot, view
from mastomove.flows.steps.precheck import refuse_unless_free

ALIAS_VISIBLE_WAIT_SECONDS = 60  # the actor is rendered from the database; allow for a proxy cache


@dataclass
class Findings:
    report: list[str] = field(default_factory=list)
    checks: dict[str, Any] = field(default_factory=dict)

    def ok(self, check: str, line: str, value: Any = True) -> None:
        self.checks[check] = value
        self.report.append(f"Checked: {line}")

    def note(self, check: str, line: str, value: Any) -> None:
        """A check that could not be made here; the move itself will tell."""
        self.checks[check] = value
        self.report.append(f"Not checked: {line}")


def follows_need_approval(ctx: StepContext) -> bool | None:
    """Is the new account locked? From its REST entity, else its actor (None: unknown)."""
    new = ctx.accounts[Role.NEW]
    public = PublicSide(ctx.page(Role.NEW))
    entity = public.lookup(new, new.handle.username)
    if entity is not None and "locked" in entity:
        return bool(entity["locked"])
    finger = public.webfinger(new, new.handle)
    actor = public.actor(new, finger.actor_uri) if finger and finger.actor_uri else None
    if actor is not None and "manuallyApprovesFollowers" in actor:
        return bool(actor["manuallyApprovesFollowers"])
    return None


@dataclass(kw_only=True)
class PreflightResult(StepResult):
    step = "preflight"
    already_moved: bool = False  # the old account redirects to the new one already
    checks: dict[str, Any] = field(default_factory=dict)  # check -> True, a value, or None (not checked here)
    old_actor: str | None = None  # the accounts' ActivityPub ids
    new_actor: str | None = None

    @property
    def unlocked_new_account(self) -> bool:
        """Did this step turn off the new account's follow approval?"""
        return self.checks.get("new_unlocked") == "unlocked"


class PreflightStep:
    name = "preflight"
    title = "Check everything the move needs"
    irreversible = False
    result_type = PreflightResult

    def run(self, ctx: StepContext) -> PreflightResult:
        return attempt(ctx, lambda: self._check(ctx, may_change=True))

    def verify(self, ctx: StepContext) -> bool:
        try:
            attempt(ctx, lambda: self._check(ctx, may_change=False))
        except PreflightFailed:
            return False
        return True

    def followups(self, result: PreflightResult | None, results: Results) -> list[FollowUp]:
        if result is None or not result.unlocked_new_account:
            return []
        return [FollowUp(kind="unlocked",
                         what="The new account was unlocked (follow approval off) so that followers could move",
                         how="switch \"Require follow requests\" back on in the new account's settings once the "
                             "followers have arrived, if you want it")]

    def _check(self, ctx: StepContext, *, may_change: bool) -> PreflightResult:
        old, new = ctx.accounts[Role.OLD], ctx.accounts[Role.NEW]
        public_old, public_new = PublicSide(ctx.page(Role.OLD)), PublicSide(ctx.page(Role.NEW))
        found = Findings()

        migration = view(ctx, Role.OLD, MigrationPage)
        migration.open()
        state = migration.state()
        screenshot(ctx, migration, "old-migration-page")
        if state.redirects_to(new.handle):
            found.ok("already_moved", f"{old.handle} already redirects to {new.handle}: the move step only verifies")
            return PreflightResult(already_moved=True, report=found.report, checks=found.checks)
        self._old_account_free(state, found, ctx)

        new_finger = public_new.webfinger(new, new.handle)
        if new_finger is None:
            raise PreflightFailed(f"The new account {new.handle} does not exist (its server's WebFinger does not know it)",
                                  hint="check the new account's handle and its server's address",
                                  settings=("new_handle", "new_url"))
        found.ok("new_exists", f"{new.handle} exists on its server")
        self._old_server_sees_new(ctx, public_old, found)
        self._not_locked(ctx, found, may_change)

        self._alias_listed(ctx, found)
        old_finger = public_old.webfinger(old, old.handle)
        old_actor = old_finger.actor_uri if old_finger else None
        self._alias_published(ctx, public_new, new_finger.actor_uri, old_actor, found)
        ctx.evidence.log.info("preflight.done", **{k: v for k, v in found.checks.items() if isinstance(v, (bool, int, str))})
        return PreflightResult(report=found.report, checks=found.checks, old_actor=old_actor,
                               new_actor=new_finger.actor_uri)

    def _alias_listed(self, ctx: StepContext, found: Findings) -> None:
        """The alias on the new account's list. The runner runs (or, resumed, verifies) the alias
        step right before this one, in the same run, and both read that list: its result stands for
        it. Read here only when there is none."""
        old, new = ctx.accounts[Role.OLD], ctx.accounts[Role.NEW]
        alias = ctx.result_of(AliasResult)
        if alias is not None and alias.alias == str(old.handle):
            found.ok("alias_listed", f"{new.handle} lists the alias {old.handle}")
            return
        aliases = view(ctx, Role.NEW, AliasesPage)
        aliases.open()
        if not aliases.lists(old.handle):
            raise PreflightFailed(f"{new.handle} does not list {old.handle} as an alias",
                                  hint="rerun: the alias step creates it")
        found.ok("alias_listed", f"{new.handle} lists the alias {old.handle}")

    def _old_account_free(self, state: MigrationState, found: Findings, ctx: StepContext) -> None:
        old = ctx.accounts[Role.OLD]
        refuse_unless_free(state, old.handle, PreflightFailed)
        found.ok("not_moved", f"{old.handle} has not moved yet")
        found.ok("no_cooldown", "no move cooldown on the old account")

    def _old_server_sees_new(self, ctx: StepContext, public_old: PublicSide, found: Findings) -> None:
        old, new = ctx.accounts[Role.OLD], ctx.accounts[Role.NEW]
        # The lookup finds an account the old server knows already (one request, usually enough);
        # only then the search, which asks it to fetch the account from the new server.
        if public_old.lookup(old, str(new.handle)) or public_old.search_account(old, new.handle):
            found.ok("old_sees_new", f"the old server can look up {new.handle}")
        else:
            # The move form makes the old server look the new account up itself; a refusal there is
            # classified by the move step, so this is worth a line, not a stop.
            found.note("old_sees_new", f"whether the old server finds {new.handle} (the move form makes it look)", None)

    def _not_locked(self, ctx: StepContext, found: Findings, may_change: bool) -> None:
        new = ctx.accounts[Role.NEW]
        def open_setting():
            return open_follow_approval_setting(view(ctx, Role.NEW, ProfilePage), view(ctx, Role.NEW, PrivacyPage))

        locked, setting = follows_need_approval(ctx), None
        if locked is None:  # no public answer: read the setting itself, and keep the page for the change
            setting = open_setting()
            locked = setting.requires_approval()
        if not locked:
            found.ok("new_unlocked", f"{new.handle} accepts followers without approval")
            return
        if not (may_change and ctx.settings.unlock_new_account):
            raise PreflightFailed(
                f"{new.handle} requires follow approval: every moved follower would become a pending follow request",
                hint="let mastomove unlock it, or turn off \"Require follow requests\" on the new account, then rerun",
                settings=("unlock_new_account",),
            )
        ctx.notes["unlocking"] = True
        ctx.save_notes()
        setting = setting or open_setting()
        setting.checkbox.set_checked(not setting.checked_means_locked)
        errors = setting.page.save()
        screenshot(ctx, setting.page, "new-account-unlocked")
        if errors or open_setting().requires_approval():  # read back: did it stick?
            raise PreflightFailed(f"Could not unlock {new.handle}: {'; '.join(errors) or 'the setting did not stick'}",
                                  hint="turn off \"Require follow requests\" by hand, then rerun")
        ctx.evidence.log.info("preflight.unlocked", account=str(new.handle))
        found.ok("new_unlocked", f"{new.handle} now accepts followers without approval (unlocked as asked)", "unlocked")

    def _alias_published(self, ctx: StepContext, public_new: PublicSide, new_actor: str | None,
                         old_actor: str | None, found: Findings) -> None:
        old, new = ctx.accounts[Role.OLD], ctx.accounts[Role.NEW]
        if not new_actor or not old_actor:
            found.note("alias_published", "the alias in the new account's public profile (no ActivityPub ids found); "
                                          "it is listed on the new account's aliases page", None)
            return

        def also_known_as() -> list[str] | None:
            actor = public_new.actor(new, new_actor)
            return None if actor is None else list(actor.get("alsoKnownAs") or [])

        names = poll(ctx, also_known_as, until=lambda aka: aka is None or old_actor in aka,
                     within=ALIAS_VISIBLE_WAIT_SECONDS, first_wait=1, max_wait=15)
        if names is None:
            found.note("alias_published", "the alias in the new account's public profile (the server shows it only "
                                          "to signed requests, as in secure mode / AUTHORIZED_FETCH); it is listed on "
                                          "the new account's aliases page, and the old server checks it itself", None)
        elif old_actor in names:
            found.ok("alias_published", f"{new.handle} names {old.handle} as an alias (alsoKnownAs)")
        else:
            raise PreflightFailed(
                f"{new.handle}'s public profile does not name {old.handle} as an alias (alsoKnownAs)",
                hint="check the alias on the new account's Account aliases page, then rerun",
            )
