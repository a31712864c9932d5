"""`mastomove plan`: read both (signed-in) accounts and say what `migrate` would do. Changes nothing."""
from __future__ import annotations

from typing import Any

from mastomove.agent.errors import PageChanged, Stopped
from mastomove.agent.steps import Role, StepContext
from mastomove.flows.csv_formats import FILTERS, LISTS
from mastomove.flows.pages.aliases import AliasesPage
from mastomove.flows.pages.export import ExportPage
from mastomove.flows.pages.imports import ImportsPage
from mastomove.flows.pages.migration import MigrationPage
from mastomove.flows.pages.public import PublicSide
from mastomove.flows.steps.common import attempt, view
from mastomove.flows.steps.preflight import follows_need_approval
from mastomove.flows.steps.profile import HOW, profile_kind


def _counts(ctx: StepContext, role: Role) -> dict[str, int | None]:
    page = view(ctx, role, ExportPage)
    page.open()
    return page.counts()


def _profile_kind_or_none(ctx: StepContext, role: Role):
    """How the server edits profiles; None when its profile page is not one we know (migrate would
    stop there and say why; the plan only says it cannot tell)."""
    try:
        return profile_kind(ctx, role)
    except Stopped:
        return None


def inspect_accounts(ctx: StepContext) -> dict[str, Any]:
    """Read-only; the caller has signed both accounts in (Plan.sign_in)."""
    return attempt(ctx, lambda: _inspect(ctx))


def _inspect(ctx: StepContext) -> dict[str, Any]:
    old, new = ctx.accounts[Role.OLD], ctx.accounts[Role.NEW]
    report: list[str] = []

    migration = view(ctx, Role.OLD, MigrationPage)
    migration.open()
    state = migration.state()
    moved_to_new = state.redirects_to(new.handle)
    old_counts = _counts(ctx, Role.OLD)
    new_counts = _counts(ctx, Role.NEW)

    aliases = view(ctx, Role.NEW, AliasesPage)
    aliases.open()
    alias_present = aliases.lists(old.handle)
    exists = PublicSide(ctx.page(Role.NEW)).webfinger(new, new.handle) is not None
    locked = follows_need_approval(ctx) if exists else None
    imports = view(ctx, Role.NEW, ImportsPage)
    try:
        import_version = str(imports.open_form())
        imports_filters = imports.offers_type(FILTERS.import_type)
        imports_lists = imports.offers_type(LISTS.import_type)
    except PageChanged:
        import_version, imports_filters, imports_lists = None, False, False
    kinds = {str(role): _profile_kind_or_none(ctx, role) for role in (Role.OLD, Role.NEW)}

    listed = ", ".join(f"{name} {count if count is not None else '?'}" for name, count in old_counts.items())
    report.append(f"{old.handle}: {listed}")
    report.append(f"{new.handle}: " + ", ".join(f"{n} {c if c is not None else '?'}" for n, c in new_counts.items()))
    if moved_to_new:
        report.append(f"Already moved: {old.handle} redirects to {new.handle}; migrate would only verify")
    elif state.redirecting:
        report.append(f"Stop: {old.handle} already redirects to another account")
    elif state.on_cooldown:
        report.append(f"Stop: move cooldown on {old.handle} ({state.cooldown_days} day(s) left)")
    else:
        report.append(f"{old.handle} can move (no redirect, no cooldown)")
    report.append(f"Alias {old.handle} on {new.handle}: " + ("present" if alias_present else "would be created"))
    if not exists:
        report.append(f"Stop: {new.handle} does not exist")
    elif locked:
        action = "would be unlocked" if ctx.settings.unlock_new_account else "stop: unlock it or allow mastomove to"
        report.append(f"{new.handle} requires follow approval ({action})")
    stops = [line for line in report if line.startswith("Stop:")]
    if locked and not ctx.settings.unlock_new_account:
        stops.append(f"Stop: {new.handle} requires follow approval")
    if getattr(ctx.settings, "copy_profile", True):
        report.append(f"Profile: would be copied through {HOW[kinds['new']]}" if kinds["new"] is not None
                      else "Profile: the new server's profile page is not one mastomove knows (migrate would stop there)")
    if FILTERS.name in old_counts:
        report.append("Filters: " + ("would be carried" if imports_filters
                                     else "not carried: the new server is older than 4.6"))
    else:
        report.append("Filters: not carried: the old server is older than 4.6")
    if import_version and not imports_lists:
        report.append("Lists: would be recreated in the new account's web app (Lists), the server cannot import them")
    mode = ctx.settings.import_mode
    report.append(f"Imports: {mode} mode, " + ("with confirmation step (4.2+)" if import_version == "bulk"
                                                 else "applied at once (4.1 or older)" if import_version else "page not found"))
    return {
        "old": {"handle": str(old.handle), "counts": old_counts, "redirecting": state.redirecting,
                "moved_to_new": moved_to_new, "cooldown_days": state.cooldown_days if state.on_cooldown else None},
        "new": {"handle": str(new.handle), "counts": new_counts, "exists": exists, "locked": locked,
                "alias_present": alias_present, "import_version": import_version,
                "profile": str(kinds["new"]) if kinds["new"] else None, "imports_filters": imports_filters},
        "report": report,
        "stops": stops,  # what would make migrate stop before the move
    }
