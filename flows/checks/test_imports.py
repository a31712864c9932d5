"""Import and export › Import: the form's choices, a refused empty file, and (Mastodon 4.2+) an
upload taken to the confirmation step and cancelled there, so nothing is imported.

Up to Mastodon 4.1 an accepted upload is applied at once (there is no confirmation step), so on
those servers the suite only submits the empty file, which must be refused."""
from __future__ import annotations

import pytest

from mastomove.flows.pages import ImportConfirmationPage, ImportsPage, ImportVersion

TYPES = {
    ImportVersion.BULK: {"following", "bookmarks", "lists", "muting", "blocking", "domain_blocking"},
    ImportVersion.LEGACY: {"following", "blocking", "muting", "domain_blocking", "bookmarks"},
}
MODES = {"merge", "overwrite"}
# A domain block nobody can mean (RFC 2606 reserves .invalid), uploaded but never confirmed.
PROBE_DOMAIN = "mastomove-check-ui.invalid"


def _open(imports: ImportsPage, ui) -> ImportVersion:
    with ui.step(imports, element="the import form (form_import[data] on /settings/imports, or import[data] "
                                  "on /settings/import up to 4.1)", expected="one of the two import forms"):
        return imports.open_form()


def test_import_form_offers_every_list_type(account_page, account, ui):
    """The import form offers every list type Mastodon exports, and the merge and overwrite modes."""
    imports = ImportsPage(account_page, account)
    version = _open(imports, ui)
    offered = set(imports.offered_types())
    missing = sorted(TYPES[version] - offered)
    ui.expect(not missing, imports, element=f"the import type choice ({imports.key}[type])",
              expected=f"the types {sorted(TYPES[version])}", found=f"{sorted(offered)}; missing {missing}")
    modes = set(imports.offered_modes())
    ui.expect(MODES <= modes, imports, element=f"the mode choice ({imports.key}[mode])",
              expected="merge and overwrite", found=f"{sorted(modes) or 'no mode choice'}")


def test_import_refuses_an_empty_file(account_page, account, ui, tmp_path):
    """An empty file is refused with a message under the form, and nothing is imported."""
    imports = ImportsPage(account_page, account)
    version = _open(imports, ui)
    before = set(imports.rows()) if version is ImportVersion.BULK else set()
    empty = tmp_path / "follows.csv"
    empty.write_bytes(b"")
    with ui.step(imports, element=f"the Upload button ({imports.SUBMIT.format(key=imports.key).split(',')[0]})",
                 expected="the form again, with an error"):
        outcome = imports.upload("following", empty, "merge")
    ui.expect(outcome.import_id is None, imports, element="the Upload button",
              expected="the empty file refused", found=f"an import was created ({imports.path})")
    ui.expect(outcome.errors, imports, element=f"the file field's error ({imports.key}[data] … span.error)",
              expected="a message such as “can't be blank” or “This file is empty”",
              found=lambda: f"no error on the page at {imports.path}; form fields {imports.form_fields()}")
    if version is ImportVersion.BULK:
        with ui.step(imports, element="the recent imports table", expected="the import page"):
            imports.open_form()
        ui.expect(set(imports.rows()) == before, imports, element=f"the recent imports table ({imports.ROWS})",
                  expected="no new import", found=f"imports {sorted(set(imports.rows()) - before)} added")


def test_import_reaches_confirmation_and_cancel_leaves_nothing(account_page, account, ui, tmp_path):
    """Upload a one-line file up to the confirmation step, where Confirm and Cancel are offered, and
    cancel: the import is gone and nothing was imported (Mastodon 4.2+)."""
    imports = ImportsPage(account_page, account)
    version = _open(imports, ui)
    if version is ImportVersion.LEGACY:
        pytest.skip("this server imports at once, without a confirmation step (Mastodon up to 4.1): "
                    "an upload would change the account, so only the empty file is checked")
    before = set(imports.rows())
    probe = tmp_path / "blocked_domains.csv"
    probe.write_text(f"{PROBE_DOMAIN}\n", encoding="utf-8")
    upload = f"the Upload button ({imports.SUBMIT.format(key=imports.key).split(',')[0]})"
    with ui.step(imports, element=upload, expected="the confirmation page /settings/imports/<id>"):
        outcome = imports.upload("domain_blocking", probe, "merge")
    ui.expect(outcome.import_id, imports, element=upload, expected="the confirmation page /settings/imports/<id>",
              found=lambda: f"the browser at {imports.path}" + (f" with errors {outcome.errors}" if outcome.errors else ""))
    confirmation = ImportConfirmationPage(account_page, account, outcome.import_id)
    ui.expect(confirmation.can_confirm(), confirmation,
              element=f"the Confirm button ({confirmation.CONFIRM.format(id=outcome.import_id).split(',')[0]})",
              expected="a Confirm button (not clicked)", found="no Confirm button")
    cancel = f"the Cancel button ({confirmation.CANCEL.format(id=outcome.import_id).split(',')[0]})"
    ui.expect(confirmation.can_cancel(), confirmation, element=cancel,
              expected="a Cancel button to back out of the import",
              found="no Cancel button (the unconfirmed import stays until Mastodon clears it, about 10 minutes; "
                    "nothing was imported)")
    with ui.step(confirmation, element=cancel, expected="back to the import page, the import deleted"):
        confirmation.cancel()
    ui.expect(imports.on(imports.PATH), imports, element=cancel, expected=f"back on {imports.PATH}",
              found=f"the browser at {imports.path}")
    with ui.step(imports, element="the recent imports table", expected="the import page"):
        imports.open_form()
    left = sorted(set(imports.rows()) - before)
    ui.expect(not left, imports, element=f"the recent imports table ({imports.ROWS})",
              expected="the cancelled import gone", found=f"import {left} still listed after Cancel")
    with ui.step(confirmation, element="the cancelled import's page", expected="Not found"):
        still_there = confirmation.open_import()
    ui.expect(not still_there, confirmation, element=f"/settings/imports/{outcome.import_id}",
              expected="Not found after Cancel", found="the confirmation page still offers Confirm")
