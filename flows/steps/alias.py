"""Create the alias to the old account on the new account, unless it is already listed.
Aliases are unique per account, so the list is always read before the form is sent."""
from __future__ import annotations

from dataclasses import dataclass

from mastomove.agent.errors import PageChanged, PreflightFailed
from mastomove.agent.steps import Role, StepContext, StepResult
from mastomove.flows.messages import MoveOutcome, classify_alias_error
from mastomove.flows.pages.aliases import AliasesPage
from mastomove.flows.steps.common import attempt, screenshot, view


@dataclass(kw_only=True)
class AliasResult(StepResult):
    step = "alias"
    alias: str | None = None  # the old handle, as listed on the new account
    created: bool = False  # False: it was listed already


class AliasStep:
    name = "alias"
    title = "Create the alias to the old account on the new account"
    irreversible = False
    result_type = AliasResult

    def run(self, ctx: StepContext) -> AliasResult:
        return attempt(ctx, lambda: self._ensure(ctx))

    def _ensure(self, ctx: StepContext) -> AliasResult:
        old_handle = ctx.accounts[Role.OLD].handle
        page = view(ctx, Role.NEW, AliasesPage)
        page.open()
        if page.lists(old_handle):
            screenshot(ctx, page, "alias-listed")
            return AliasResult(alias=str(old_handle), created=False,
                               report=[f"Alias: {old_handle} was already listed on the new account"])

        ctx.notes["submitted"] = str(old_handle)
        ctx.save_notes()
        error = page.add(old_handle)
        # Mastodon answers the form with the list (redirected there when it saved, rendered with
        # the error when it refused): read the list on that page; load it afresh only when the
        # answer is another page, or neither the alias nor an error is on it.
        if not page.on(page.PATH) or (error is None and not page.lists(old_handle)):
            page.open()
        if page.lists(old_handle):
            ctx.evidence.log.info("alias.created", alias=str(old_handle))
            screenshot(ctx, page, "alias-listed")
            return AliasResult(alias=str(old_handle), created=True,
                               report=[f"Alias: created {old_handle} on the new account"])
        screenshot(ctx, page, "alias-refused")
        if error is None:
            raise PageChanged("The alias form was accepted, but the alias is not in the list")
        ctx.evidence.log.warning("alias.refused", error=error)
        reason = classify_alias_error(error)
        if reason is MoveOutcome.NOT_FOUND:
            raise PreflightFailed(
                f"The new server could not find the old account {old_handle}: {error}",
                hint="check the old account's handle; the old server must be up and reachable from the new one",
                settings=("old_handle",),
            )
        if reason is MoveOutcome.SELF:
            raise PreflightFailed(f"The new server says {old_handle} is the new account itself")
        raise PreflightFailed(f"The new server refused the alias {old_handle}: {error}")

    def verify(self, ctx: StepContext) -> bool:
        def listed() -> bool:
            page = view(ctx, Role.NEW, AliasesPage)
            page.open()
            return page.lists(ctx.accounts[Role.OLD].handle)

        return attempt(ctx, listed)
