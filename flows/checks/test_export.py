"""Import and export › Export (/settings/export): every CSV link, downloaded the way a person
clicks it, its HTTP headers checked and its rows parsed and counted against the page."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from mastomove.flows import csv_formats
from mastomove.flows.csv_formats import EXPORT_KINDS, ListKind
from mastomove.flows.handles import normalize_acct
from mastomove.flows.pages import ExportPage

# Mastodon's export headers (app/models/export.rb); the other files have none.
HEADERS = {
    "follows": ["Account address", "Show boosts", "Notify on new posts", "Languages"],
    "mutes": ["Account address", "Hide notifications"],
}
# The file holds exactly what the page counts (lists: a row per member, so at most that many titles;
# bookmarks: Mastodon leaves out bookmarks of deleted posts, so at most that many).
EXACT_COUNT = {"follows", "mutes", "blocks", "domain_blocks"}
DOMAIN = re.compile(r"^(?=.{1,253}$)[^\s/@:,]+\.[^\s/@:,]+$")


def test_export_page_offers_every_csv(account_page, account, ui):
    """The export page offers a CSV download for follows, lists, blocks, mutes, domain blocks and
    bookmarks."""
    export = ExportPage(account_page, account)
    with ui.step(export, element="the export page", expected="the page, signed in"):
        export.open()
    missing = [kind for kind in EXPORT_KINDS if not export.offers(kind)]
    ui.expect(not missing, export, element=", ".join(f"the CSV link a[href$='{k.export_path}']" for k in missing),
              expected="a CSV download for each of " + ", ".join(k.filename for k in EXPORT_KINDS),
              found=lambda: f"CSV links only to {[p for p in export.link_paths() if p.endswith('.csv')]}")


@pytest.mark.parametrize("kind", EXPORT_KINDS, ids=[k.name for k in EXPORT_KINDS])
def test_export_download(account_page, account, ui, kind: ListKind, tmp_path):
    """Download one CSV from the export page: HTTP 200, text/csv, an attachment named *.csv, rows
    in Mastodon's format, as many as the page counts."""
    export = ExportPage(account_page, account)
    with ui.step(export, element="the export page", expected="the page, signed in"):
        export.open()
    link = f"the {kind.filename} link (a[href$='{kind.export_path}'])"
    ui.expect(export.offers(kind), export, element=link, expected=f"a CSV download of {kind.name}",
              found=lambda: f"CSV links only to {[p for p in export.link_paths() if p.endswith('.csv')]}")
    shown = export.count(kind)
    with ui.step(export, element=link, expected=f"the browser to download {kind.filename}"):
        with account_page.expect_response(lambda r: urlsplit(r.url).path == kind.export_path) as answer:
            file = export.download_csv(kind, tmp_path / kind.filename)
    response = answer.value
    headers = response.headers
    ui.expect(response.status == 200, export, element=link, expected="HTTP 200",
              found=f"HTTP {response.status}")
    content_type = headers.get("content-type", "")
    ui.expect(content_type.split(";")[0].strip() == "text/csv", export, element=f"{kind.export_path}: Content-Type",
              expected="text/csv", found=content_type or "no Content-Type header")
    disposition = headers.get("content-disposition", "")
    ui.expect("attachment" in disposition.lower() and re.search(r'filename="?[^";]+\.csv', disposition), export,
              element=f"{kind.export_path}: Content-Disposition",
              expected="attachment; filename=\"….csv\" (follows.csv or following_accounts.csv and so on)",
              found=disposition or "no Content-Disposition header")
    try:
        text = file.read_text(encoding="utf-8")
        rows = csv_formats.rows(text)
    except Exception as error:  # noqa: BLE001 - any read or parse failure is the finding
        ui.fail(export, element=f"the contents of {kind.filename}", expected="a UTF-8 CSV file", found=str(error))
    first = [cell.strip() for cell in text.lstrip("\ufeff").splitlines()[0].split(",")] if text.strip() else []
    if kind.name in HEADERS:
        ui.expect(first == HEADERS[kind.name], export, element=f"the header row of {kind.filename}",
                  expected=",".join(HEADERS[kind.name]), found=",".join(first) or "an empty file")
    else:
        ui.expect(not first or first[0] not in csv_formats.HEADER_FIRST_CELLS, export,
                  element=f"the first row of {kind.filename}", expected="data (Mastodon writes no header here)",
                  found=",".join(first))
    if kind.account_column is not None:
        bad = [row for row in rows if len(row) <= kind.account_column
               or normalize_acct(row[kind.account_column]) is None or "@" not in row[kind.account_column]]
        ui.expect(not bad, export, element=f"the account column of {kind.filename}",
                  expected="user@domain addresses", found=f"rows {bad[:3]}")
    if kind.name == "domain_blocks":
        bad = [row for row in rows if not DOMAIN.match(row[0])]
        ui.expect(not bad, export, element=f"the rows of {kind.filename}", expected="one domain per row",
                  found=f"rows {bad[:3]}")
    if kind.name == "bookmarks":
        bad = [row for row in rows if not row[0].startswith(("https://", "http://"))]
        ui.expect(not bad, export, element=f"the rows of {kind.filename}", expected="one post URI per row",
                  found=f"rows {bad[:3]}")
    in_file = len(csv_formats.list_names(text)) if kind.name == "lists" else len(rows)
    if shown is not None:
        exact = kind.name in EXACT_COUNT
        ui.expect(in_file == shown if exact else in_file <= shown, export,
                  element=f"{kind.filename} against the count next to its link",
                  expected=f"{'exactly' if exact else 'at most'} {shown} {'lists' if kind.name == 'lists' else 'rows'}, "
                           "as the page says", found=f"{in_file} in the file")
