"""The "Recent imports" table and the confirmation page (app/views/settings/imports/*.html.haml),
read without their (translated) words."""
import pytest

from mastomove.agent.steps import Account, Handle, Role
from mastomove.flows.pages.imports import ImportConfirmationPage, ImportsPage, ImportVersion, parse_import_row

ACCOUNT = Account(Role.NEW, Handle("alice", "new.example"), "https://new.example", "alice@mail.example")

TABLE = """
<form class="simple_form" id="new_form_import" action="/settings/imports" method="post">
  <div class="field-group"><select name="form_import[type]" id="form_import_type">
    <optgroup label="Folgen &amp; Lesezeichen"><option value="following">Folgeliste</option>
    <option value="bookmarks">Lesezeichen</option><option value="lists">Listen</option></optgroup>
    <optgroup label="Blocks"><option value="muting">m</option><option value="blocking">b</option>
    <option value="domain_blocking">d</option></optgroup></select></div>
  <input type="file" name="form_import[data]" id="form_import_data">
  <ul><li><input type="radio" value="merge" checked name="form_import[mode]" id="form_import_mode_merge"></li>
      <li><input type="radio" value="overwrite" name="form_import[mode]" id="form_import_mode_overwrite"></li></ul>
  <div class="actions"><button name="button" type="submit" class="btn">Hochladen</button></div>
</form>
<table class="table"><thead><tr><th>Typ</th><th>Status</th><th>Importiert</th><th>Gestartet</th><th>Fehler</th></tr></thead>
<tbody>
  <tr id="bulk_import_7"><td>Folgeliste</td><td><a href="/settings/imports/7">Unbestätigt</a></td>
    <td>0 / 300</td><td><time class="formatted">1. Jan.</time></td><td></td></tr>
  <tr id="bulk_import_6"><td>Folgeliste</td><td>In Bearbeitung</td>
    <td>120 / 300</td><td><time class="formatted">1. Jan.</time></td><td>3</td></tr>
  <tr id="bulk_import_5"><td>Listen</td><td>Abgeschlossen</td>
    <td>8 / 10</td><td><time class="formatted">1. Jan.</time></td>
    <td><a href="/settings/imports/5/failures.csv">2</a></td></tr>
  <tr id="bulk_import_4"><td>Sperrliste</td><td>Abgeschlossen</td>
    <td>4 / 4</td><td><time class="formatted">1. Jan.</time></td><td></td></tr>
</tbody></table>
"""


def test_row_parser_pure():
    row = parse_import_row("5", ["Lists", "Finished", "8 / 10", "Jan 1", "2"], ["/settings/imports/5/failures.csv"])
    assert (row.imported, row.total, row.failures, row.finished, row.unconfirmed) == (8, 10, 2, True, False)
    row = parse_import_row("7", ["Following list", "Unconfirmed", "0 / 300", "Jan 1", ""], ["/settings/imports/7"])
    assert row.unconfirmed and not row.finished
    row = parse_import_row("6", ["Following list", "In progress", "300 / 300", "Jan 1", ""], [])
    assert row.finished  # every row imported, none failed
    row = parse_import_row("6", ["Following list", "In progress", "298 / 300", "Jan 1", "2"], [])
    assert not row.finished  # all processed, but the failures link (the finished state) is not there yet
    row = parse_import_row("3", ["Following list", "Finished", "10 / 300", "Jan 1", ""], [])
    assert row.finished  # ended early on an error: only the state word tells


def test_imports_table_on_a_page(page):
    page.set_content(TABLE)
    imports = ImportsPage(page, ACCOUNT)
    imports.version = ImportVersion.BULK
    rows = imports.rows()
    assert list(rows) == ["7", "6", "5", "4"]
    assert rows["7"].unconfirmed and not rows["7"].finished
    assert (rows["6"].imported, rows["6"].failures, rows["6"].finished) == (120, 3, False)
    assert rows["5"].finished and rows["5"].failures_href == "/settings/imports/5/failures.csv"
    assert rows["4"].finished and rows["4"].failures == 0
    assert imports.row("5") == rows["5"] and imports.row("99") is None
    assert imports.failures_link("5").get_attribute("href").endswith("/5/failures.csv")
    assert imports.offers_type("lists") and imports.offers_type("domain_blocking")
    assert not imports.offers_type("custom_filters")


@pytest.mark.parametrize("warning", [True, False])
def test_confirmation_page(page, warning):
    flash = "<div class='flash-message warning'>Falscher Typ?</div>" if warning else ""
    page.set_content(f"""{flash}<p class="hint">Du bist dabei, bis zu <strong>300 Konten</strong> aus
      <strong>follows.csv</strong> zu folgen.</p>
      <div class="simple_form"><div class="actions">
        <a class="button button-tertiary" data-method="delete" href="/settings/imports/7">Abbrechen</a>
        <a class="button" data-method="post" href="/settings/imports/7/confirm">Bestätigen</a></div></div>""")
    confirmation = ImportConfirmationPage(page, ACCOUNT, "7")
    assert confirmation.can_confirm()
    assert bool(confirmation.mismatch_warning()) is warning
    assert "follows.csv" in confirmation.preamble()
    assert not ImportConfirmationPage(page, ACCOUNT, "8").can_confirm()
