"""Mastodon's CSV exports: which lists exist, what their files look like, how many rows they hold.

Formats (app/models/export.rb, app/models/form/import.rb):
- follows.csv  header `Account address,Show boosts,Notify on new posts,Languages`
- mutes.csv    header `Account address,Hide notifications`
- blocks.csv, domain_blocks.csv, bookmarks.csv: no header, one value per line
- lists.csv    no header, `List title,acct` per member
A first row is a header when its first cell is one Mastodon's importer recognises.

From 4.6 filters travel too, as JSON: /settings/exports/custom_filters.json is
`{"custom_filters": [{title, expires_at, context, action, keywords_attributes, statuses}, ...]}`
(Export#to_custom_filters_json), imported as type `custom_filters`. Mastodon 4.6 decides between
CSV and JSON by the upload's content type (Form::Import#content_type_is_json?), so every upload
names its type explicitly (`ListKind.mime`).
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

HEADER_FIRST_CELLS = frozenset({"Account address", "#domain", "#uri", "List name"})


@dataclass(frozen=True)
class ListKind:
    name: str  # the export's basename: /settings/exports/<name>.csv
    import_type: str  # the value of the import form's type option
    account_column: int | None  # which column holds an account address, if any
    extension: str = "csv"
    mime: str = "text/csv"  # the content type an upload of it is sent with

    @property
    def filename(self) -> str:
        return f"{self.name}.{self.extension}"

    @property
    def export_path(self) -> str:
        return f"/settings/exports/{self.name}.{self.extension}"

    @property
    def is_json(self) -> bool:
        return self.extension == "json"


FOLLOWS = ListKind("follows", "following", 0)
LISTS = ListKind("lists", "lists", 1)
BLOCKS = ListKind("blocks", "blocking", 0)
MUTES = ListKind("mutes", "muting", 0)
DOMAIN_BLOCKS = ListKind("domain_blocks", "domain_blocking", None)
BOOKMARKS = ListKind("bookmarks", "bookmarks", None)

# Export order is the page's; import order matters: follows before lists (a list can only hold
# followed accounts), the rest as the issue lists them.
EXPORT_KINDS: tuple[ListKind, ...] = (FOLLOWS, LISTS, BLOCKS, MUTES, DOMAIN_BLOCKS, BOOKMARKS)
IMPORT_ORDER: tuple[ListKind, ...] = (FOLLOWS, LISTS, BLOCKS, MUTES, DOMAIN_BLOCKS, BOOKMARKS)
# 4.6+: the filters, as JSON. Kept out of the CSV tuples above (what every version offers).
FILTERS = ListKind("custom_filters", "custom_filters", None, extension="json", mime="application/json")
CARRIED_KINDS: tuple[ListKind, ...] = EXPORT_KINDS + (FILTERS,)
CARRIED_IMPORT_ORDER: tuple[ListKind, ...] = IMPORT_ORDER + (FILTERS,)
BY_NAME = {kind.name: kind for kind in CARRIED_KINDS}


def rows(text: str) -> list[list[str]]:
    """The data rows of a Mastodon CSV: header dropped, blank lines skipped, cells stripped."""
    text = text.lstrip("\ufeff")
    parsed = [
        [cell.strip() for cell in row]
        for row in csv.reader(io.StringIO(text))
        if any(cell.strip() for cell in row)
    ]
    if parsed and parsed[0][0] in HEADER_FIRST_CELLS:
        parsed = parsed[1:]
    return parsed


def count_rows(text: str) -> int:
    return len(rows(text))


def accounts(kind: ListKind, text: str) -> list[str]:
    """The account addresses a file names (leading @ dropped, as Mastodon's importer does)."""
    if kind.account_column is None:
        return []
    column = kind.account_column
    return [row[column].lstrip("@") for row in rows(text) if len(row) > column and row[column]]


def list_names(text: str) -> list[str]:
    """The distinct list titles in a lists.csv, in file order."""
    seen: dict[str, None] = {}
    for row in rows(text):
        seen.setdefault(row[0], None)
    return list(seen)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def filters(text: str) -> list[dict]:
    """The filters of a custom_filters.json (empty when the file holds none or is no such file)."""
    try:
        data = json.loads(text.lstrip("\ufeff") or "{}")
    except ValueError:
        return []
    found = data.get("custom_filters") if isinstance(data, dict) else None
    return [entry for entry in found if isinstance(entry, dict)] if isinstance(found, list) else []


def count_entries(kind: ListKind, text: str) -> int:
    """Rows of a CSV, filters of the filters JSON."""
    return len(filters(text)) if kind.is_json else count_rows(text)
