"""Download every list the old account's export page offers into the run folder (CSV; the
filters as JSON from 4.6), and count their rows.

Read-only on the server, so a rerun simply downloads again (the export page keeps working after
a move, too)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from mastomove.agent.steps import Role, StepContext
from mastomove.flows import csv_formats
from mastomove.flows.csv_formats import CARRIED_KINDS, FILTERS, LISTS
from mastomove.flows.pages.export import ExportPage
from mastomove.flows.steps.common import attempt, screenshot, view


class ExportStep:
    name = "export"
    title = "Download every list from the old account"
    irreversible = False

    def run(self, ctx: StepContext) -> dict[str, Any]:
        return attempt(ctx, lambda: self._export(ctx))

    def _export(self, ctx: StepContext) -> dict[str, Any]:
        log = ctx.evidence.log
        page = view(ctx, Role.OLD, ExportPage)
        page.open()
        screenshot(ctx, page, "export-page")
        offered = page.available()
        shown = {kind.name: page.count(kind) for kind in offered}  # read before any download navigates
        files: dict[str, Any] = {}
        report = []
        for kind in offered:
            if not page.on(page.PATH):
                page.open()
            destination = ctx.evidence.path("exports", kind.filename)
            page.download_csv(kind, destination)
            text = csv_formats.read(destination)
            rows = csv_formats.count_entries(kind, text)
            entry: dict[str, Any] = {"path": str(destination), "rows": rows, "page_count": shown[kind.name]}
            line = f"Export: {kind.name} {rows} {'filter(s)' if kind.is_json else 'row(s)'}"
            if kind is LISTS:
                entry["list_names"] = csv_formats.list_names(text)
                line += f" in {len(entry['list_names'])} list(s)"
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
        return {"files": files, "not_offered": missing, "filters_offered": FILTERS in offered, "report": report}

    def verify(self, ctx: StepContext) -> bool:
        # The files on disk are what the later steps use: no page to load for a resumed run.
        files = ctx.result_of(self.name).get("files", {})
        return all(Path(entry["path"]).is_file() for entry in files.values())
