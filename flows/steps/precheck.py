"""Checks made before anything changes, so that a wrong address, an unknown account or an old
account that cannot move stops the run with nothing done on either server:

- before signing in: each server answers, and answers like Mastodon (/api/v1/instance); each
  account exists there (the public lookup); the old account does not already redirect elsewhere;
- after signing in: no move cooldown is running on the old account.

The preflight step checks all of it again, and more, right before the pause.
"""
from __future__ import annotations

from typing import Any

from mastomove.agent.errors import BadInput, ConnectionFailed, GaveUp, MastomoveError, PreflightFailed
from mastomove.agent.steps import Role, StepContext
from mastomove.flows.handles import same_acct
from mastomove.flows.pages.migration import MigrationPage, MigrationState
from mastomove.flows.pages.public import PublicSide
from mastomove.flows.steps.common import attempt, view

REACH_ATTEMPTS = 3  # a refused connection on first contact is most often a wrong address


def _looks_like_mastodon(data: Any) -> bool:
    return isinstance(data, dict) and bool(data.get("uri") or data.get("domain")) and "version" in data


def check_servers(ctx: StepContext) -> list[str]:
    """Both servers reachable and Mastodon, both accounts there, the old one not moved elsewhere."""
    report = []
    old, new = ctx.accounts[Role.OLD], ctx.accounts[Role.NEW]
    for role in (Role.OLD, Role.NEW):
        account = ctx.accounts[role]
        public = PublicSide(ctx.page(role))
        try:
            status, data = attempt(ctx, lambda: public.instance(account), attempts=REACH_ATTEMPTS)
        except GaveUp as error:
            if not isinstance(error.__cause__, ConnectionFailed):
                raise
            raise BadInput(f"Could not reach the {role} server at {account.url}",
                           hint=f"check the {role} server's address (and the handle); nothing was changed",
                           settings=(f"{role}_url", f"{role}_handle")) from error
        if status not in (401, 403) and not _looks_like_mastodon(data):
            raise BadInput(f"{account.url} does not answer like a Mastodon server (HTTP {status} for /api/v1/instance)",
                           hint=f"it must be the web address of the {role} account's server",
                           settings=(f"{role}_url",))
        status, entity = attempt(ctx, lambda: public.lookup_answer(account, account.handle.username))
        if status == 404:
            raise BadInput(f"The {role} account {account.handle} does not exist on {account.url}",
                           hint="check the handle; nothing was changed", settings=(f"{role}_handle",))
        if role is Role.OLD and entity and isinstance(entity.get("moved"), dict):
            target = entity["moved"].get("acct") or ""
            if not same_acct(target, new.handle, old.handle.domain):
                raise PreflightFailed(f"{old.handle} has already moved to {target}",
                                      hint="cancel that redirect on the old account's Account migration page first; "
                                           "nothing was changed")
        report.append(f"Checked: {account.handle} exists on {account.url}")
    return report


def check_old_account_free(ctx: StepContext) -> list[str]:
    """Signed in: the old account is not in its cooldown (unless it already moved to the new one)."""
    old, new = ctx.accounts[Role.OLD], ctx.accounts[Role.NEW]

    def read():
        page = view(ctx, Role.OLD, MigrationPage)
        page.open()
        return page.state()

    state = attempt(ctx, read)
    if state.redirects_to(new.handle):
        return [f"Checked: {old.handle} already redirects to {new.handle} (an earlier run moved it)"]
    refuse_unless_free(state, old.handle, PreflightFailed)
    return [f"Checked: {old.handle} is free to move (no redirect, no cooldown)"]


def refuse_unless_free(state: MigrationState, old: Any, error: type[MastomoveError]) -> None:
    """Mastodon lets an account move only while it redirects nowhere and no 30-day cooldown from
    an earlier move runs: raise `error` (the caller's kind of stop) otherwise, and when the page
    showed neither the move form nor a redirect (unknown is not free)."""
    if not state.readable:
        raise error(f"Could not read whether {old} is free to move: its Account migration page shows neither the "
                    "move form nor a redirect", hint="open that page in a browser; nothing was moved")
    if state.redirecting:
        shown = state.redirect_text.splitlines()[0] if state.redirect_text else "see its Account migration page"
        raise error(f"{old} already redirects to another account ({shown})",
                    hint="cancel that redirect on the old account's Account migration page first; nothing was moved")
    if state.on_cooldown:
        days = f"in {state.cooldown_days} day(s)" if state.cooldown_days is not None else "later"
        raise error(f"{old} moved recently; Mastodon allows its next move {days}",
                    hint="a move starts a 30-day cooldown on the account that moved; nothing was moved")
