"""Import and export › Import: the server's import worker runs.

Mastodon 4.2+ applies an import in the background: confirming it schedules a BulkImportWorker and
one Import::RowWorker per row on Sidekiq's `pull` queue (app/workers/bulk_import_worker.rb). A
queue nobody serves (a Sidekiq process not started after an upgrade, or started without `pull`)
leaves every import "Scheduled" at 0 / N for ever, while every page still looks fine.

Without changing the account, the check makes the server do that work once: it re-imports the test
account's own export of one of its lists in merge mode, which adds nothing that is not there
already, and requires the import to finish within a time limit (MASTOMOVE_CHECK_IMPORT_WAIT_SECONDS,
default 120). It takes the list whose re-import costs the server least (domain blocks first: no
account has to be looked up; follows last). The import stays in the account's "Recent imports"
for a week, as any import does. Skipped, with the reason, when every list is empty or the server
imports without a confirmation step and progress (Mastodon 4.1 and older)."""
from __future__ import annotations

import os

import pytest
from mastomove.agent.retry import poll
from mastomove.flows import csv_formats
from mastomove.flows.csv_formats import (
    BLOCKS,
    BOOKMARKS,
    DOMAIN_BLOCKS,
    FOLLOWS,
    LISTS,
    MUTES,
)
from mastomove.flows.pages import (
    ExportPage,
    ImportConfirmationPage,
    ImportsPage,
    ImportVersion,
)

# Cheapest first: domain blocks touch no account, follows may resolve remote accounts.
CHEAPEST_FIRST = (DOMAIN_BLOCKS, BLOCKS, MUTES, BOOKMARKS, LISTS, FOLLOWS)
WAIT_SECONDS = float(os.environ.get("MASTOMOVE_CHECK_IMPORT_WAIT_SECONDS") or 120)


def test_import_worker_processes_a_merge_import(account_page, account, ui, tmp_path):
    """A merge re-import of the account's own list is processed within the time limit."""
    imports = ImportsPage(account_page, account)
    with ui.step(imports, element="the import form (form_import[data] on /settings/imports)",
                 expected="the import form"):
        version = imports.open_form()
    if version is ImportVersion.LEGACY:
        pytest.skip("this server imports at once and shows no progress (Mastodon up to 4.1): "
                    "its import worker cannot be watched from the pages")

    export = ExportPage(account_page, account)
    with ui.step(export, element="the export page (/settings/export)", expected="the export table with its counts"):
        export.open()
        counts = {kind: export.count(kind) for kind in CHEAPEST_FIRST if export.offers(kind)}
    chosen = file = rows = None
    for kind, shown in counts.items():
        if not shown:
            continue
        target = tmp_path / kind.filename
        with ui.step(export, element=f"the {kind.filename} link (a[href$='{kind.export_path}'])",
                     expected=f"the browser to download {kind.filename}"):
            if not export.on(export.PATH):
                export.open()
            export.download_csv(kind, target)
        rows = csv_formats.count_rows(csv_formats.read(target))
        if rows:
            chosen, file = kind, target
            break
    if chosen is None:
        pytest.skip("every list of the test account is empty (" + ", ".join(
            f"{kind.name} {count}" for kind, count in counts.items()) + "): there is nothing to re-import "
            "without changing the account, so the import worker cannot be checked")

    with ui.step(imports, element="the import form", expected="the import form"):
        imports.open_form()
    ui.expect(imports.offers_type(chosen.import_type), imports, element=f"the import type {chosen.import_type}",
              expected=f"the {chosen.name} type in {imports.key}[type]",
              found=lambda: f"types {imports.offered_types()}")
    upload = f"the Upload button ({imports.SUBMIT.format(key=imports.key).split(',')[0]})"
    with ui.step(imports, element=upload, expected="the confirmation page /settings/imports/<id>"):
        outcome = imports.upload(chosen.import_type, file, "merge", chosen.mime)
    ui.expect(outcome.import_id, imports, element=upload,
              expected=f"the confirmation page of the merge re-import of {file.name} ({rows} rows)",
              found=lambda: f"the browser at {imports.path}" + (f" with errors {outcome.errors}" if outcome.errors else ""))
    confirmation = ImportConfirmationPage(account_page, account, outcome.import_id)
    confirm = f"the Confirm button ({confirmation.CONFIRM.format(id=outcome.import_id).split(',')[0]})"
    ui.expect(confirmation.can_confirm(), confirmation, element=confirm, expected="a Confirm button",
              found="no Confirm button (the unconfirmed import expires by itself; nothing was imported)")
    with ui.step(confirmation, element=confirm, expected="the import page, the import scheduled"):
        confirmation.confirm()

    def read_row():
        with ui.step(imports, element="the recent imports table", expected="the import page"):
            imports.open()
            return imports.row(outcome.import_id)

    # agent.retry's poll: backoff from 0.5 s, until the row has finished (or is gone) or time is up
    row = poll(read_row, until=lambda found: found is None or found.finished, within=WAIT_SECONDS,
               first_wait=0.5, max_wait=10.0)
    ui.expect(row is not None, imports, element=f"the import's row ({imports.ROW.format(id=outcome.import_id)})",
              expected="the confirmed import in the recent imports table", found="no such row")
    ui.expect(row.finished, imports, element=f"the import's row ({imports.ROW.format(id=outcome.import_id)})",
              expected=f"the merge re-import of {file.name} ({rows} rows) finished within {WAIT_SECONDS:g} s: "
                       "Mastodon's import worker (Sidekiq, queue `pull`) processes it",
              found=lambda: f"still “{row.state_text}” at {row.imported} / {row.total} after {WAIT_SECONDS:g} s: the "
                            "server's background workers may not be running or not serving the `pull` queue "
                            "(the import stays listed; it changes nothing when it runs)")
