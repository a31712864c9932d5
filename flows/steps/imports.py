"""Import every exported list into the new account: follows first, then lists, blocks, mutes,
domain blocks, bookmarks; merge mode unless overwrite was asked for.

On 4.2+ each upload leads to a confirmation page that must be confirmed within 10 minutes (and is
cancelled, and the run stopped, when the server warns that the file looks like another list
type); the "Recent imports" table is then polled with backoff until the import has finished.
What was submitted is written down before waiting on it, so a rerun never imports a list twice:
- `uploading`: nothing confirmed yet; an unconfirmed upload changes nothing and expires;
- `uploaded` + id: confirm it if its page is still there, else read its row (confirmed already?);
- `confirmed` + id: only wait for it; `finished`: done; `cancelled`: refused at confirmation.
Up to 4.1 the upload is applied at once, without confirmation or progress (`submitting`, then
`submitted`). These are ImportState, kept in the step's notes per list.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from mastomove.agent.errors import ImportRejected, PageChanged
from mastomove.agent.steps import Cell, FollowUp, Results, Role, Section, StepContext, StepResult, Table
from mastomove.flows import csv_formats
from mastomove.flows.csv_formats import CARRIED_IMPORT_ORDER, FILTERS, FOLLOWS, ListKind
from mastomove.flows.handles import normalize_acct
from mastomove.flows.pages.export import ExportPage
from mastomove.flows.pages.imports import ImportConfirmationPage, ImportRow, ImportsPage, ImportVersion
from mastomove.flows.steps.common import attempt, poll, screenshot, view
from mastomove.flows.steps.export import ExportResult

CONFIRM_WINDOW_SECONDS = 9 * 60  # Mastodon deletes unconfirmed imports after 10 minutes
SHOWN_PENDING = 5
SHOWN = 5


class ImportState(StrEnum):
    """Where the import of one list stands, in the step's notes (written before each wait)."""

    UPLOADING = "uploading"  # the file is being sent; nothing confirmed, nothing imported
    UPLOADED = "uploaded"  # sent, waiting for confirmation (expires after 10 minutes)
    CONFIRMED = "confirmed"  # confirmed: the server imports it; only wait
    FINISHED = "finished"  # imported and checked
    CANCELLED = "cancelled"  # the server warned the file is another list type: cancelled
    SUBMITTING = "submitting"  # up to 4.1: being sent (the upload is the import)
    SUBMITTED = "submitted"  # up to 4.1: handed to the server, which shows no progress


DONE_STATES = (ImportState.FINISHED, ImportState.SUBMITTED)


def import_state(notes: dict[str, Any]) -> ImportState | None:
    """The state noted for one list (None: nothing noted yet)."""
    noted = notes.get("state")
    return ImportState(noted) if noted else None


@dataclass(kw_only=True)
class ImportOutcome:
    """What became of one list on the new server."""

    skipped: str | None = None  # "empty" (nothing to import) or "unsupported" (no such import there)
    import_id: str | None = None
    rows: int | None = None  # rows in the file
    finished: bool | None = None  # None: up to 4.1, handed over without progress
    legacy: bool = False  # imported the 4.1 way (at once, no progress)
    id: str | None = None  # the server's row: its id, counts and state text
    imported: int | None = None
    total: int | None = None
    failures: int | None = None
    state: str | None = None
    failures_file: str | None = None  # the failed rows, downloaded into the run folder
    follow_requests: list[str] = field(default_factory=list)  # follows only: waiting for approval
    report: list[str] = field(default_factory=list)  # this list's lines (the step's report has them too)

    @property
    def complete(self) -> bool:
        return not self.failures and self.imported == self.total == self.rows


@dataclass(kw_only=True)
class ImportsResult(StepResult):
    step = "imports"
    version: str | None = None  # the new server's import form (ImportVersion)
    mode: str | None = None  # merge or overwrite
    lists: dict[str, ImportOutcome] = field(default_factory=dict)  # by list name (csv_formats)


_OUTCOME = TypeAdapter(ImportOutcome)


def to_json_outcome(outcome: ImportOutcome) -> dict[str, Any]:
    return _OUTCOME.dump_python(outcome, mode="json")


def outcome_from_notes(data: dict[str, Any]) -> ImportOutcome:
    return _OUTCOME.validate_python(data)


UNSUPPORTED_HOW = {
    "bookmarks": "open the posts listed in exports/bookmarks.csv on the new server and bookmark them, or import "
                 "the file once the server runs Mastodon 4.2 or newer",
    "domain_blocks": "block the domains listed in exports/domain_blocks.csv in the new account's web app, or "
                     "import the file once the server runs Mastodon 4.2 or newer",
}
FAILED_HOW = {
    "follows": "the accounts are in {file}; their servers may be down or gone. Import that file again later "
               "on the new account's Import page (merge mode), or follow them by hand",
    "lists": "the list members are in {file}; a list can only hold accounts you follow, so follow them first, "
             "then add them to the lists by hand in the web app (Lists) or import the file again (merge mode)",
}


def shown(names: list[str], at_most: int = SHOWN) -> str:
    return ", ".join(names[:at_most]) + (f" and {len(names) - at_most} more" if len(names) > at_most else "")


class ImportsStep:
    name = "imports"
    title = "Import the lists into the new account"
    irreversible = False
    result_type = ImportsResult

    def run(self, ctx: StepContext) -> ImportsResult:
        export = ctx.result_of(ExportResult)
        exported = export.files if export else {}
        mode = ctx.settings.import_mode
        version = attempt(ctx, lambda: view(ctx, Role.NEW, ImportsPage).open_form())
        results: dict[str, ImportOutcome] = {}
        report: list[str] = []
        for kind in CARRIED_IMPORT_ORDER:
            entry = exported.get(kind.name)
            if entry is None:
                continue
            if entry.rows == 0:
                results[kind.name] = ImportOutcome(skipped="empty")
                report.append(f"Import: {kind.name} is empty, nothing to import")
                continue
            ctx.person.progress(f"Importing {kind.name}", 0, entry.rows)  # says which list, from the start
            outcome = attempt(ctx, lambda kind=kind, entry=entry: self._import(ctx, kind, Path(entry.path),
                                                                              entry.rows, mode, version))
            report.extend(outcome.report)
            results[kind.name] = outcome
        return ImportsResult(version=str(version), mode=mode, lists=results, report=report)

    # --- one list ------------------------------------------------------------------------
    def _notes(self, ctx: StepContext, kind: ListKind) -> dict[str, Any]:
        return ctx.notes.setdefault(kind.name, {})

    def _done(self, ctx: StepContext, kind: ListKind, state: ImportState, outcome: ImportOutcome) -> ImportOutcome:
        """Note a list as done, with its outcome: a rerun returns it without opening a page."""
        self._notes(ctx, kind).update({"state": state, "result": to_json_outcome(outcome)})
        ctx.save_notes()
        return outcome

    def _import(self, ctx: StepContext, kind: ListKind, file: Path, rows: int, mode: str,
                expected: ImportVersion) -> ImportOutcome:
        notes = self._notes(ctx, kind)
        if import_state(notes) in DONE_STATES:
            return outcome_from_notes(notes["result"])  # includes its report lines
        page = view(ctx, Role.NEW, ImportsPage)
        version = page.form_on_screen() or page.open_form(expected)
        if not page.offers_type(kind.import_type):
            if kind is FILTERS:
                return ImportOutcome(skipped="unsupported", report=[
                    "Filters: not carried: the new server is older than 4.6 (its import has no filters)"])
            return ImportOutcome(skipped="unsupported", report=[
                f"Import: this server cannot import {kind.name} (its version has no such import)"])
        if version is ImportVersion.LEGACY:
            return self._import_at_once(ctx, page, kind, file, rows, mode)

        import_id = self._resume(ctx, page, kind)
        if import_id is None:
            import_id = self._upload_and_confirm(ctx, page, kind, file, mode)
        row = self._wait_until_finished(ctx, page, kind, import_id)
        result = self._check(ctx, page, kind, file, rows, import_id, row)
        if result.finished:
            self._done(ctx, kind, ImportState.FINISHED, result)
        return result

    def _resume(self, ctx: StepContext, page: ImportsPage, kind: ListKind) -> str | None:
        """The id of an import an earlier run confirmed (confirming it now if it was left
        unconfirmed and still can be), or None when the file must be uploaded (again)."""
        notes = self._notes(ctx, kind)
        import_id = notes.get("import_id")
        state = import_state(notes)
        if not import_id or state not in (ImportState.UPLOADED, ImportState.CONFIRMED):
            return None
        if state is ImportState.UPLOADED:
            confirmation = ImportConfirmationPage(page.page, page.account, import_id)
            if confirmation.open_import():
                if time.time() - notes.get("uploaded_at", 0) < CONFIRM_WINDOW_SECONDS:
                    self._confirm(ctx, confirmation, kind)
                    return import_id
                return None  # about to expire: a fresh upload is safer than a race with the cleanup
            page.open()
            row = page.row(import_id)
            if row is None or row.unconfirmed:
                return None  # cancelled or expired: nothing was imported
            notes["state"] = ImportState.CONFIRMED  # the confirmation went through before the interruption
            ctx.save_notes()
        return import_id

    def _upload_and_confirm(self, ctx: StepContext, page: ImportsPage, kind: ListKind, file: Path, mode: str) -> str:
        notes = self._notes(ctx, kind)
        notes.clear()
        notes.update({"state": ImportState.UPLOADING, "file": str(file), "mode": mode})
        ctx.save_notes()
        if not page.on(page.PATH):  # the form was just loaded by _import, unless _resume went elsewhere
            page.open_form(page.version)
        outcome = page.upload(kind.import_type, file, mode, kind.mime)
        if outcome.import_id is None:
            screenshot(ctx, page, f"{kind.name}-upload-refused")
            reason = "; ".join(outcome.errors) or "no reason shown"
            raise ImportRejected(f"The new server refused {file.name} as {kind.name}: {reason}")
        notes.update({"state": ImportState.UPLOADED, "import_id": outcome.import_id, "uploaded_at": time.time()})
        ctx.save_notes()
        ctx.evidence.log.info("imports.uploaded", list=kind.name, import_id=outcome.import_id)
        confirmation = ImportConfirmationPage(page.page, page.account, outcome.import_id)
        if not confirmation.can_confirm():
            raise PageChanged(f"The confirmation page of the {kind.name} import has no Confirm link")
        self._confirm(ctx, confirmation, kind)
        return outcome.import_id

    def _confirm(self, ctx: StepContext, confirmation: ImportConfirmationPage, kind: ListKind) -> None:
        notes = self._notes(ctx, kind)
        screenshot(ctx, confirmation, f"{kind.name}-confirmation")
        warning = confirmation.mismatch_warning(json_upload=kind.is_json)
        if kind.is_json and confirmation.warnings() and not warning:
            notes["note"] = confirmation.warnings()[0]  # some filtered posts are unknown to the new server
            ctx.save_notes()
        if warning:
            confirmation.cancel()
            notes.update({"state": ImportState.CANCELLED})
            ctx.save_notes()
            raise ImportRejected(
                f"The new server warns that {Path(notes.get('file', kind.filename)).name} does not look like "
                f"a {kind.name} list: {warning}",
                hint="the upload was cancelled; check the file in the run folder's exports/",
            )
        confirmation.confirm()
        notes["state"] = ImportState.CONFIRMED
        ctx.save_notes()
        # No screenshot here: the imports list is shot once the row has finished (evidence of the
        # outcome); the confirmation page above is the evidence of what was sent.
        ctx.evidence.log.info("imports.confirmed", list=kind.name, import_id=confirmation.import_id)

    def _wait_until_finished(self, ctx: StepContext, page: ImportsPage, kind: ListKind, import_id: str) -> ImportRow | None:
        # Confirming lands on the imports list: its first reading needs no reload.
        loaded = [page.on(page.PATH)]

        def progress(row: ImportRow | None) -> tuple[int, int] | None:
            """Rows processed (imported or failed) of all rows."""
            if row is None or row.total is None:
                return None
            return (row.imported or 0) + row.failures, row.total

        def read_row() -> ImportRow | None:
            if not (loaded and loaded.pop()):
                page.open()
            row = page.row(import_id)
            processed = progress(row)
            if processed is not None:
                ctx.person.progress(f"Importing {kind.name}", *processed)
            return row

        return poll(ctx, read_row, until=lambda row: row is None or row.finished, progress=progress,
                    within=ctx.settings.import_timeout_seconds, first_wait=0.25)  # small lists finish in a second

    def _check(self, ctx: StepContext, page: ImportsPage, kind: ListKind, file: Path, rows: int,
               import_id: str, row: ImportRow | None) -> ImportOutcome:
        """Compare the server's counts with the file; keep the failures file; find follow requests."""
        if row is None:
            return ImportOutcome(import_id=import_id, rows=rows, finished=True, report=[
                f"Import: {kind.name} was confirmed, but its row is gone from the recent imports "
                "(imports are listed for a week); counts not checked"])
        result = ImportOutcome(import_id=import_id, rows=rows, id=row.id, imported=row.imported, total=row.total,
                               failures=row.failures, state=row.state_text, finished=row.finished)
        screenshot(ctx, page, f"{kind.name}-{'finished' if row.finished else 'still-running'}")
        if not row.finished:
            waited = ctx.settings.import_timeout_seconds / 3600
            result.report = [f"Import: {kind.name} still running after {waited:.1f} h "
                             f"({row.imported}/{row.total}); rerun to keep waiting"]
            return result
        line = f"Import: {kind.name} {row.imported} of {row.total} imported"
        if row.total != rows:
            line += f" (the file has {rows} {'filters' if kind.is_json else 'rows'})"
        failures_file = None
        if row.failures:
            line += f", {row.failures} failed"
            if row.failures_href:
                failures_file = ctx.evidence.path("imports", f"{kind.name}_failures.{kind.extension}")
                page.download(page.failures_link(import_id), failures_file)
                result.failures_file = str(failures_file)
                line += f" (see {Path('imports') / failures_file.name})"
        report = [line]
        said = self._notes(ctx, kind).get("note")
        if said:
            report.append(f"Import: the new server noted about the {kind.name}: {said}")
        if kind is FOLLOWS:
            pending = self._follow_requests(ctx, file, failures_file)
            result.follow_requests = pending
            if pending:
                shown = ", ".join(pending[:SHOWN_PENDING]) + (" ..." if len(pending) > SHOWN_PENDING else "")
                report.append(f"Import: {len(pending)} follow request(s) wait for approval by locked accounts "
                              f"(or servers that have not answered yet): {shown}")
        ctx.evidence.log.info("imports.finished", list=kind.name, **row.as_dict())
        result.report = report
        return result

    def _follow_requests(self, ctx: StepContext, file: Path, failures_file: Path | None) -> list[str]:
        """Accounts in the follows file that the new account neither follows now nor failed to
        follow: their follow requests wait for approval. Read from the new account's own export."""
        new = ctx.accounts[Role.NEW]
        export = view(ctx, Role.NEW, ExportPage)
        export.open()
        if not export.offers(FOLLOWS):
            return []
        now_following = ctx.evidence.path("imports", "new_follows_after_import.csv")
        export.download_csv(FOLLOWS, now_following)

        def accts(path: Path) -> set[str]:
            found = (normalize_acct(a, new.handle.domain) for a in csv_formats.accounts(FOLLOWS, csv_formats.read(path)))
            return {a for a in found if a}

        wanted = accts(file)
        done = accts(now_following) | (accts(failures_file) if failures_file else set())
        return sorted(wanted - done)

    def _import_at_once(self, ctx: StepContext, page: ImportsPage, kind: ListKind, file: Path, rows: int,
                        mode: str) -> ImportOutcome:
        """Up to 4.1: the upload is the import. An interrupted upload is sent again: in either mode
        the second application leaves the same lists."""
        notes = self._notes(ctx, kind)
        again = import_state(notes) is ImportState.SUBMITTING
        notes.update({"state": ImportState.SUBMITTING, "file": str(file), "mode": mode})
        ctx.save_notes()
        outcome = page.upload(kind.import_type, file, mode, kind.mime)
        screenshot(ctx, page, f"{kind.name}-uploaded")
        if outcome.errors:
            raise ImportRejected(f"The new server refused {file.name} as {kind.name}: {'; '.join(outcome.errors)}")
        line = (f"Import: {kind.name} ({rows} rows) handed to the server, which applies it in the background "
                "and shows no progress (Mastodon 4.1 or older)")
        if again:
            line += "; sent again after an interruption"
        ctx.evidence.log.info("imports.submitted", list=kind.name, rows=rows)
        return self._done(ctx, kind, ImportState.SUBMITTED,
                          ImportOutcome(rows=rows, finished=None, legacy=True, report=[line]))

    # --- resume --------------------------------------------------------------------------
    def verify(self, ctx: StepContext) -> bool:
        """Every noted import is finished (or, up to 4.1, submitted); one still running means
        the step should run again to keep waiting."""

        def check() -> bool:
            page = view(ctx, Role.NEW, ImportsPage)
            opened = False
            for kind in CARRIED_IMPORT_ORDER:
                notes = ctx.notes.get(kind.name, {})
                state = import_state(notes)
                if state is None or state in DONE_STATES:
                    continue
                if state is not ImportState.CONFIRMED:
                    return False
                if not opened:
                    page.open()
                    opened = True
                row = page.row(notes["import_id"])
                if row is not None and not row.finished:
                    return False
            return True

        return attempt(ctx, check)

    # --- the report, and what is left to the person ----------------------------------------------
    def report_section(self, result: ImportsResult | None, results: Results) -> Section | None:
        """The lists: rows in each downloaded CSV, the old page's count, what the new server imported."""
        export = results.of(ExportResult)
        exported = export.files if export else {}
        imported = result.lists if result else {}
        names = list(dict.fromkeys([*exported, *imported]))
        if not names:
            return None
        rows = []
        for name in names:
            out, into = exported.get(name), imported.get(name) or ImportOutcome()
            file_rows = out.rows if out else None
            if into.skipped:
                verdict = Cell(f"not imported ({into.skipped})", "muted")
            elif into.finished is None and into.legacy:
                verdict = Cell("handed to the server (no progress shown before 4.2)", "muted")
            elif into.total is not None:
                complete = into.imported == into.total == file_rows and not into.failures
                verdict = (Cell("✓ all imported", "ok") if complete
                           else Cell(f"{_text(into.imported)} of {_text(into.total)} imported", "bad"))
            else:
                verdict = Cell("—", "muted")
            pending = len(into.follow_requests)
            rows.append([Cell(name.replace("_", " ")), _number(file_rows), _number(out.page_count if out else None),
                         _number(into.imported), _number(into.total), _number(into.failures),
                         _number(pending or None), verdict])
        columns = [Cell("list"), *(Cell(title, numeric=True) for title in (
            "rows in the CSV", "old page shows", "imported", "server's total", "failed", "follow requests")),
            Cell("verified")]
        return Section("Verified: the lists", Table(columns, rows, name="counts"))

    def followups(self, result: ImportsResult | None, results: Results) -> list[FollowUp]:
        todo: list[FollowUp] = []
        for name, entry in (result.lists if result else {}).items():
            label = name.replace("_", " ")
            if entry.skipped == "unsupported" and name == "custom_filters":
                todo.append(FollowUp(kind="filters_not_carried", list=name,
                                     what="Filters were not carried: the new server is older than Mastodon 4.6",
                                     how="recreate them in the new account's preferences (Filters); they are listed "
                                         "in exports/custom_filters.json"))
            elif entry.skipped == "unsupported" and name != "lists":  # the lists step says what to do about lists
                todo.append(FollowUp(kind="not_importable", list=name,
                                     what=f"The new server cannot import {label} (Mastodon 4.1 or older)",
                                     how=UNSUPPORTED_HOW.get(name, f"add them by hand from exports/{name}.csv")))
            if entry.failures:
                where = entry.failures_file or f"imports/{name}_failures.csv"
                how = FAILED_HOW.get(name, "the rows are in {file}; import that file again later (merge mode) or "
                                           "add them by hand").format(file=where)
                todo.append(FollowUp(kind="import_failures", list=name, count=entry.failures, how=how,
                                     what=f"{entry.failures} of {_text(entry.total, '?')} {label} could not be imported"))
            if entry.legacy and entry.finished is None:
                todo.append(FollowUp(kind="unverified_import", list=name,
                                     what=f"{label.capitalize()} were handed to a Mastodon 4.1 server, which imports "
                                          "in the background and shows no progress",
                                     how="compare the counts on the new account's Export page with the old one's in "
                                         "a while"))
            elif entry.finished is False:
                todo.append(FollowUp(kind="import_running", list=name,
                                     what=f"The {label} import was still running",
                                     how="run mastomove again with the same run folder: it keeps waiting and checks "
                                         "the counts"))
            pending = entry.follow_requests
            if pending:
                todo.append(FollowUp(kind="follow_requests", accounts=list(pending), count=len(pending),
                                     what=f"{len(pending)} follow request(s) of the new account wait for approval by "
                                          f"locked accounts: {shown(list(pending))}",
                                     how="nothing to do: each becomes a follow when that person approves it. If one "
                                         "stays pending for days, ask them, or cancel and follow again from their "
                                         "profile"))
        return todo


def _text(value: Any, unknown: str = "") -> str:
    return unknown if value is None else str(value)


def _number(value: int | None) -> Cell:
    return Cell(_text(value), numeric=True)
