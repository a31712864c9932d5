"""Import every exported list into the new account: follows first, then lists, blocks, mutes,
domain blocks, bookmarks; merge mode unless overwrite was asked for.

On 4.2+ each upload leads to a confirmation page that must be confirmed within 10 minutes (and is
cancelled, and the run stopped, when the server warns that the file looks like another list
type); the "Recent imports" table is then polled with backoff until the import has finished.
What was submitted is written down before waiting on it, so a rerun never imports a list twice:
- `uploading`: nothing confirmed yet; an unconfirmed upload changes nothing and expires;
- `uploaded` + id: confirm it if its page is still there, else read its row (confirmed already?);
- `confirmed` + id: only wait for it; `finished`: done.
Up to 4.1 the upload is applied at once, without confirmation or progress.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from mastomove.agent.errors import ImportRejected, PageChanged
from mastomove.agent.steps import Role, StepContext
from mastomove.flows import csv_formats
from mastomove.flows.csv_formats import CARRIED_IMPORT_ORDER, FILTERS, FOLLOWS, ListKind
from mastomove.flows.handles import normalize_acct
from mastomove.flows.pages.export import ExportPage
from mastomove.flows.pages.imports import ImportConfirmationPage, ImportRow, ImportsPage, ImportVersion
from mastomove.flows.steps.common import attempt, poll, screenshot, view

CONFIRM_WINDOW_SECONDS = 9 * 60  # Mastodon deletes unconfirmed imports after 10 minutes
SHOWN_PENDING = 5


class ImportsStep:
    name = "imports"
    title = "Import the lists into the new account"
    irreversible = False

    def run(self, ctx: StepContext) -> dict[str, Any]:
        exported = ctx.result_of("export").get("files", {})
        mode = ctx.settings.import_mode
        version = attempt(ctx, lambda: view(ctx, Role.NEW, ImportsPage).open_form())
        results: dict[str, Any] = {}
        report: list[str] = []
        for kind in CARRIED_IMPORT_ORDER:
            entry = exported.get(kind.name)
            if entry is None:
                continue
            if entry["rows"] == 0:
                results[kind.name] = {"skipped": "empty"}
                report.append(f"Import: {kind.name} is empty, nothing to import")
                continue
            ctx.person.progress(f"Importing {kind.name}", 0, entry["rows"])  # says which list, from the start
            outcome = attempt(ctx, lambda kind=kind, entry=entry: self._import(ctx, kind, Path(entry["path"]),
                                                                              entry["rows"], mode, version))
            outcome = dict(outcome)
            report.extend(outcome.pop("report", []))
            results[kind.name] = outcome
        return {"version": str(version), "mode": mode, "lists": results, "report": report}

    # --- one list ------------------------------------------------------------------------
    def _notes(self, ctx: StepContext, kind: ListKind) -> dict[str, Any]:
        return ctx.notes.setdefault(kind.name, {})

    def _import(self, ctx: StepContext, kind: ListKind, file: Path, rows: int, mode: str,
                expected: ImportVersion) -> dict[str, Any]:
        notes = self._notes(ctx, kind)
        if notes.get("state") in ("finished", "submitted"):
            return dict(notes["result"])  # includes its report lines
        page = view(ctx, Role.NEW, ImportsPage)
        version = page.form_on_screen() or page.open_form(expected)
        if not page.offers_type(kind.import_type):
            if kind is FILTERS:
                return {"skipped": "unsupported", "report": [
                    "Filters: not carried: the new server is older than 4.6 (its import has no filters)"]}
            return {"skipped": "unsupported",
                    "report": [f"Import: this server cannot import {kind.name} (its version has no such import)"]}
        if version is ImportVersion.LEGACY:
            return self._import_at_once(ctx, page, kind, file, rows, mode)

        import_id = self._resume(ctx, page, kind)
        if import_id is None:
            import_id = self._upload_and_confirm(ctx, page, kind, file, mode)
        row = self._wait_until_finished(ctx, page, kind, import_id)
        result = self._check(ctx, page, kind, file, rows, import_id, row)
        if result["finished"]:
            notes.update({"state": "finished", "result": result})
            ctx.save_notes()
        return dict(result)

    def _resume(self, ctx: StepContext, page: ImportsPage, kind: ListKind) -> str | None:
        """The id of an import an earlier run confirmed (confirming it now if it was left
        unconfirmed and still can be), or None when the file must be uploaded (again)."""
        notes = self._notes(ctx, kind)
        import_id = notes.get("import_id")
        if not import_id or notes.get("state") not in ("uploaded", "confirmed"):
            return None
        if notes["state"] == "uploaded":
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
            notes["state"] = "confirmed"  # the confirmation went through before the interruption
            ctx.save_notes()
        return import_id

    def _upload_and_confirm(self, ctx: StepContext, page: ImportsPage, kind: ListKind, file: Path, mode: str) -> str:
        notes = self._notes(ctx, kind)
        notes.clear()
        notes.update({"state": "uploading", "file": str(file), "mode": mode})
        ctx.save_notes()
        if not page.on(page.PATH):  # the form was just loaded by _import, unless _resume went elsewhere
            page.open_form(page.version)
        outcome = page.upload(kind.import_type, file, mode, kind.mime)
        if outcome.import_id is None:
            screenshot(ctx, page, f"{kind.name}-upload-refused")
            reason = "; ".join(outcome.errors) or "no reason shown"
            raise ImportRejected(f"The new server refused {file.name} as {kind.name}: {reason}")
        notes.update({"state": "uploaded", "import_id": outcome.import_id, "uploaded_at": time.time()})
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
            notes.update({"state": "cancelled"})
            ctx.save_notes()
            raise ImportRejected(
                f"The new server warns that {Path(notes.get('file', kind.filename)).name} does not look like "
                f"a {kind.name} list: {warning}",
                hint="the upload was cancelled; check the file in the run folder's exports/",
            )
        confirmation.confirm()
        notes["state"] = "confirmed"
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
               import_id: str, row: ImportRow | None) -> dict[str, Any]:
        """Compare the server's counts with the file; keep the failures file; find follow requests."""
        result: dict[str, Any] = {"import_id": import_id, "rows": rows}
        if row is None:
            result.update({"finished": True, "report": [
                f"Import: {kind.name} was confirmed, but its row is gone from the recent imports "
                "(imports are listed for a week); counts not checked"]})
            return result
        result.update(row.as_dict())
        result["finished"] = row.finished
        screenshot(ctx, page, f"{kind.name}-{'finished' if row.finished else 'still-running'}")
        if not row.finished:
            waited = ctx.settings.import_timeout_seconds / 3600
            result["report"] = [f"Import: {kind.name} still running after {waited:.1f} h "
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
                result["failures_file"] = str(failures_file)
                line += f" (see {Path('imports') / failures_file.name})"
        report = [line]
        said = self._notes(ctx, kind).get("note")
        if said:
            report.append(f"Import: the new server noted about the {kind.name}: {said}")
        if kind is FOLLOWS:
            pending = self._follow_requests(ctx, file, failures_file)
            result["follow_requests"] = pending
            if pending:
                shown = ", ".join(pending[:SHOWN_PENDING]) + (" ..." if len(pending) > SHOWN_PENDING else "")
                report.append(f"Import: {len(pending)} follow request(s) wait for approval by locked accounts "
                              f"(or servers that have not answered yet): {shown}")
        ctx.evidence.log.info("imports.finished", list=kind.name, **row.as_dict())
        result["report"] = report
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
                        mode: str) -> dict[str, Any]:
        """Up to 4.1: the upload is the import. An interrupted upload is sent again: in either mode
        the second application leaves the same lists."""
        notes = self._notes(ctx, kind)
        again = notes.get("state") == "submitting"
        notes.update({"state": "submitting", "file": str(file), "mode": mode})
        ctx.save_notes()
        outcome = page.upload(kind.import_type, file, mode, kind.mime)
        screenshot(ctx, page, f"{kind.name}-uploaded")
        if outcome.errors:
            raise ImportRejected(f"The new server refused {file.name} as {kind.name}: {'; '.join(outcome.errors)}")
        line = (f"Import: {kind.name} ({rows} rows) handed to the server, which applies it in the background "
                "and shows no progress (Mastodon 4.1 or older)")
        if again:
            line += "; sent again after an interruption"
        result = {"rows": rows, "finished": None, "legacy": True}
        notes.update({"state": "submitted", "result": {**result, "report": [line]}})
        ctx.save_notes()
        ctx.evidence.log.info("imports.submitted", list=kind.name, rows=rows)
        return {**result, "report": [line]}

    # --- resume --------------------------------------------------------------------------
    def verify(self, ctx: StepContext) -> bool:
        """Every noted import is finished (or, up to 4.1, submitted); one still running means
        the step should run again to keep waiting."""

        def check() -> bool:
            page = view(ctx, Role.NEW, ImportsPage)
            opened = False
            for kind in CARRIED_IMPORT_ORDER:
                notes = ctx.notes.get(kind.name, {})
                if notes.get("state") in (None, "finished", "submitted"):
                    continue
                if notes.get("state") != "confirmed":
                    return False
                if not opened:
                    page.open()
                    opened = True
                row = page.row(notes["import_id"])
                if row is not None and not row.finished:
                    return False
            return True

        return attempt(ctx, check)
