"""Recreate the lists on a new server that cannot import them (Mastodon 4.1 and older, Hometown's
4.0 line), through the web app's Lists column, as a careful person would:

1. wait until the follows import has arrived (a list holds only followed accounts; up to 4.1 the
   import runs in the background without progress), reading the new account's own follows export
   until every list member is followed or no new follow has arrived for a while;
2. for each list of exports/lists.csv: find it in the Lists column or create it (the id is written
   down, so a rerun never creates it twice), open its editor, and add each member that is not in
   it yet, found by the editor's search among the followed accounts;
3. open each list's editor again and compare its members with the file.
Members that are not followed (a follow request waiting for approval, an account gone) cannot be
added; they are listed for the person. On servers that import lists (4.2+) this step does nothing.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import tenacity

from mastomove.agent.steps import FollowUp, Results, Role, StepContext, StepResult
from mastomove.flows import csv_formats
from mastomove.flows.csv_formats import FOLLOWS, LISTS
from mastomove.flows.handles import ascii_domain, normalize_acct
from mastomove.flows.pages.export import ExportPage
from mastomove.flows.pages.lists import ListsColumn
from mastomove.flows.steps.common import attempt, poll, screenshot, view
from mastomove.flows.steps.export import ExportResult
from mastomove.flows.steps.imports import ImportsResult, shown

FOLLOWS_SETTLED_SECONDS = 30  # no new follow for this long (or 3x the longest pause seen): the import is done
FOLLOWS_WAIT_SECONDS = 15 * 60
SHOWN = 5


def wanted_lists(text: str) -> dict[str, list[str]]:
    """title -> member accts, in file order (a list without members is a title alone)."""
    found: dict[str, list[str]] = {}
    for row in csv_formats.rows(text):
        members = found.setdefault(row[0], [])
        if len(row) > 1 and row[1] and row[1].lstrip("@") not in members:
            members.append(row[1].lstrip("@"))
    return found


@dataclass(kw_only=True)
class RecreatedList:
    id: str  # the list's id on the new server
    members: list[str] = field(default_factory=list)  # in it, read back from its editor
    not_added: list[str] = field(default_factory=list)  # in the file, not in the list (not followed)


@dataclass(kw_only=True)
class ListsResult(StepResult):
    step = "lists"
    skipped: bool = False  # the new server imports lists (or there are none): nothing to do
    recreated: dict[str, RecreatedList] = field(default_factory=dict)  # by title


def lists_unsupported(results: Results) -> bool:
    """Did the imports step find that the new server cannot import lists?"""
    imports = results.of(ImportsResult)
    outcome = imports.lists.get(LISTS.name) if imports else None
    return outcome is not None and outcome.skipped == "unsupported"


class ListsStep:
    name = "lists"
    title = "Recreate the lists where the new server cannot import them"
    irreversible = False
    result_type = ListsResult

    def run(self, ctx: StepContext) -> ListsResult:
        imports, export = ctx.result_of(ImportsResult), ctx.result_of(ExportResult)
        imported = imports.lists.get(LISTS.name) if imports else None
        exported = export.files.get(LISTS.name) if export else None
        if imported is None or imported.skipped != "unsupported" or not exported:
            return ListsResult(skipped=True)
        wanted = wanted_lists(csv_formats.read(Path(exported.path)))
        if not wanted:
            return ListsResult(skipped=True)
        followed = self._wait_for_follows(ctx, {a for members in wanted.values() for a in members})
        results: dict[str, RecreatedList] = {}
        report: list[str] = []
        for title, members in wanted.items():
            outcome = attempt(ctx, lambda title=title, members=members: self._recreate(ctx, title, members, followed))
            results[title] = outcome
        for title, outcome in results.items():
            line = (f"Lists: \"{title}\" recreated in the new account's web app (Lists) with "
                    f"{len(outcome.members)} of {len(wanted[title])} member(s)")
            if outcome.not_added:
                some = ", ".join(outcome.not_added[:SHOWN]) + (" ..." if len(outcome.not_added) > SHOWN else "")
                line += f"; not added (not followed by the new account): {some}"
            report.append(line)
        ctx.evidence.log.info("lists.recreated", lists=len(results),
                              members=sum(len(o.members) for o in results.values()))
        return ListsResult(recreated=results, report=report)

    # --- waiting for the follows --------------------------------------------------------------
    def _wait_for_follows(self, ctx: StepContext, members: set[str]) -> set[str]:
        """The members the new account follows, once they all are or the follows stopped arriving."""
        new = ctx.accounts[Role.NEW]
        wanted = {normalize_acct(a, new.handle.domain) for a in members} - {None}
        export = view(ctx, Role.NEW, ExportPage)
        file = ctx.evidence.path("lists", "new_follows.csv")
        seen = {"count": -1, "since": time.monotonic(), "gap": 0.0}

        def read() -> set[str]:
            export.open()
            if not export.offers(FOLLOWS):
                return set()
            export.download_csv(FOLLOWS, file)
            found = {normalize_acct(a, new.handle.domain) for a in csv_formats.accounts(FOLLOWS, csv_formats.read(file))}
            if len(found) != seen["count"]:
                now = time.monotonic()
                if seen["count"] >= 0:
                    seen["gap"] = max(seen["gap"], now - seen["since"])
                seen.update(count=len(found), since=now)
            ctx.person.progress("Waiting for the follows the lists need", len(wanted & found), len(wanted))
            return found - {None}

        def settled(found: set[str]) -> bool:
            # A server whose import arrives in bursts gets the longer of the two to send the next one.
            quiet = max(FOLLOWS_SETTLED_SECONDS, 3 * seen["gap"])
            return wanted <= found or time.monotonic() - seen["since"] > quiet

        def tell(state: tenacity.RetryCallState) -> None:
            ctx.person.waiting(f"{new.handle.domain} to finish the follows import", state.upcoming_sleep)

        found = poll(ctx, read, until=settled, within=min(FOLLOWS_WAIT_SECONDS, ctx.settings.import_timeout_seconds),
                     first_wait=1.0, max_wait=10.0, before_sleep=tell) or set()
        return {a for a in members if normalize_acct(a, new.handle.domain) in found}

    # --- one list -------------------------------------------------------------------------------
    def _recreate(self, ctx: StepContext, title: str, members: list[str], followed: set[str]) -> RecreatedList:
        new = ctx.accounts[Role.NEW]
        local = new.handle.domain
        notes = ctx.notes.setdefault("lists", {})
        column = view(ctx, Role.NEW, ListsColumn)
        existing = column.open_lists()
        list_id = existing.get(title) or (notes.get(title) or {}).get("id")
        if list_id not in existing.values():
            list_id = None
        if list_id is None:
            notes[title] = {"state": "creating"}
            ctx.save_notes()
            list_id = column.create(title)
            ctx.evidence.log.info("lists.created", title=title, id=list_id)
        notes[title] = {"state": "created", "id": list_id}
        ctx.save_notes()

        def same(a: str, b: str) -> bool:
            return normalize_acct(a, local) == normalize_acct(b, local)

        present = column.open_editor(list_id)
        not_added = []
        for acct in members:
            if any(same(acct, m) for m in present):
                continue
            # The new server names its own accounts by username alone: searched that way, as a person would.
            query = acct.split("@")[0] if (normalize_acct(acct, local) or "").endswith("@" + ascii_domain(local)) else acct
            if acct not in followed or not column.add(list_id, query, lambda shown, acct=acct: same(shown, acct)):
                not_added.append(acct)
        screenshot(ctx, column, f"list-{list_id}-edited")
        column.close_editor()
        # Read back: what the editor loads now is what the server holds.
        present = column.open_editor(list_id)
        column.close_editor()
        added = [acct for acct in members if any(same(acct, m) for m in present)]
        not_added = [acct for acct in members if acct not in added]
        notes[title] = {"state": "done", "id": list_id, "members": added}
        ctx.save_notes()
        return RecreatedList(id=list_id, members=added, not_added=not_added)

    def verify(self, ctx: StepContext) -> bool:
        done = ctx.result_of(ListsResult)
        recreated = done.recreated if done else {}
        if not recreated:
            return True
        local = ctx.accounts[Role.NEW].handle.domain

        def check() -> bool:
            column = view(ctx, Role.NEW, ListsColumn)
            lists = column.open_lists()
            for title, outcome in recreated.items():
                if outcome.id not in lists.values():
                    return False
                present = {normalize_acct(m, local) for m in column.open_editor(outcome.id)}
                column.close_editor()
                if not {normalize_acct(m, local) for m in outcome.members} <= present:
                    return False
            return True

        return attempt(ctx, check)

    # --- what is left to the person ---------------------------------------------------------------
    def followups(self, result: ListsResult | None, results: Results) -> list[FollowUp]:
        """On a server that cannot import lists: the members that could not be added, or, where no
        list was recreated, the lists themselves."""
        if not lists_unsupported(results):
            return []
        if result is None or not result.recreated:
            return [FollowUp(kind="not_importable", list=LISTS.name,
                             what="The new server cannot import lists (Mastodon 4.1 or older)",
                             how="recreate them in the new account's web app (Lists): exports/lists.csv has one "
                                 "'list title,account' row per member; or import the file once the server runs "
                                 "Mastodon 4.2 or newer")]
        todo = []
        for title, outcome in result.recreated.items():
            if outcome.not_added:
                missing = list(outcome.not_added)
                todo.append(FollowUp(kind="list_members_missing", list=LISTS.name, accounts=missing, count=len(missing),
                                     what=f"{len(missing)} member(s) of the list \"{title}\" could not be added (the "
                                          f"new account does not follow them): {shown(missing)}",
                                     how="follow them from the new account (or wait until they approve its follow "
                                         "request), then add them to the list in the web app (Lists)"))
        return todo
