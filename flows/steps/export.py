"""Download every list the old account's export page offers into the run folder (CSV; the
filters as JSON from 4.6), and count their rows.

Read-only on the server, so a rerun simply downloads again (the export page keeps working after
a move, too)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mastomove.agent.steps import FollowUp, Results, Role, StepContext, StepResult
from mastomove.flows import csv_formats
from mastomove.flows.csv_formats import CARRIED_KINDS, FILTERS, LISTS
from mastomove.flows.pages.export import ExportPage
from mastomove.flows.steps.common import attempt, screenshot, view


@dataclass(kw_only=True)
class ExportedFile:
    path: str  # where it was saved (exports/ in the run folder)
    rows: int  # entries in the file (filters in the JSON)
    page_count: int | None = None  # what the export page said before the download
    list_names: list[str] | None = None  # the lists file only: the titles in it


@dataclass(kw_only=True)
class ExportResult(StepResult):
    step = "export"
    files: dict[str, ExportedFile] = field(default_factory=dict)  # by list name (csv_formats)
    not_offered: list[str] = field(default_factory=list)  # lists the old server has no export of
    filters_offered: bool | None = None  # None: saved by a mastomove that did not note it


class ExportStep:
    name = "export"
    title = "Download every list from the old account"
    irreversible = False
    result_type = ExportResult

    def run(self, ctx: StepContext) -> ExportResult:
        return attempt(ctx, lambda: self._export(ctx))

    def _export(self, ctx: StepContext) -> ExportResult:
        log = ctx.evidence.log
        page = view(ctx, Role.OLD, ExportPage)
        page.open()
        screenshot(ctx, page, "export-page")
        offered = page.available()
        shown = {kind.name: page.count(kind) for kind in offered}  # read before any download navigates
        files: dict[str, ExportedFile] = {}
        report = []
        for kind in offered:
            if not page.on(page.PATH):
                page.open()
            destination = ctx.evidence.path("exports", kind.filename)
            page.download_csv(kind, destination)
            text = csv_formats.read(destination)
            rows = csv_formats.count_entries(kind, text)
            entry = ExportedFile(path=str(destination), rows=rows, page_count=shown[kind.name])
            line = f"Export: {kind.name} {rows} {'filter(s)' if kind.is_json else 'row(s)'}"
            if kind is LISTS:
                entry.list_names = csv_formats.list_names(text)
                line += f" in {len(entry.list_names)} list(s)"
            elif shown[kind.name] is not None and shown[kind.name] != rows:
                line += f" (the page counts {shown[kind.name]})"
            files[kind.name] = entry
            report.append(line)
            log.info("export.downloaded", list=kind.name, rows=rows, page_count=shown[kind.name], file=str(destination))
        missing = [kind.name for kind in CARRIED_KINDS if kind not in offered and kind is not FILTERS]
        if missing:
            report.append("Export: this server offers no " + ", ".join(missing) + " export")
        if FILTERS not in offered:
            report.append("Filters: not carried: the old server is older than 4.6 (its export page has no filters)")
        return ExportResult(files=files, not_offered=missing, filters_offered=FILTERS in offered, report=report)

    def verify(self, ctx: StepContext) -> bool:
        # The files on disk are what the later steps use: no page to load for a resumed run.
        done = ctx.result_of(ExportResult)
        files = done.files if done else {}
        return all(Path(entry.path).is_file() for entry in files.values())

    # --- what is left to the person ---------------------------------------------------------------
    def followups(self, result: ExportResult | None, results: Results) -> list[FollowUp]:
        if result is None:
            return []
        todo = []
        if result.filters_offered is False:
            todo.append(FollowUp(
                kind="filters_not_exported", list="custom_filters",
                what="Filters were not carried: the old server is older than Mastodon 4.6 and cannot export them",
                how="if the old account has filters, recreate them in the new account's preferences (Filters), "
                    "copying them from the old account's Filters page while it still signs in"))
        for name in result.not_offered:
            todo.append(FollowUp(kind="not_exported", list=name,
                                 what=f"The old server offers no {name.replace('_', ' ')} export",
                                 how="copy them by hand from the old account's web app while it still signs in"))
        return todo
