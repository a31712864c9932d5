"""Export, /settings/export (app/views/settings/exports/show.html.haml).

One table row per list: a label, a count, and a "CSV" link to /settings/exports/<name>.csv (from
4.6 also "Filters", a "JSON" link to /settings/exports/custom_filters.json). Rows are found by the
link's href, never by the (translated) label. Older servers lack some rows."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mastomove.flows.csv_formats import CARRIED_KINDS, ListKind
from mastomove.flows.messages import parse_count
from mastomove.agent.errors import PageChanged
from mastomove.flows.pages.base import MastodonPage

if TYPE_CHECKING:
    from playwright.sync_api import Locator

# BackupPolicy: one archive a week ("You can request an archive every 7 days"; the code allows
# it after 6 days in newer releases, so the page's promise is the safe one to repeat).
ARCHIVE_EVERY = dt.timedelta(days=7)


@dataclass(frozen=True)
class ArchiveRow:
    """One row of the archives table under "Request your archive"."""

    id: str | None  # from tr#backup_<id> (newer releases) or the download link
    created_at: dt.datetime | None  # the row's time[datetime]
    download_href: str | None  # /backups/<id>/download once compiled; None while compiling

    @property
    def ready(self) -> bool:
        return self.download_href is not None

    @property
    def next_allowed_at(self) -> dt.datetime | None:
        return self.created_at + ARCHIVE_EVERY if self.created_at else None


class ExportPage(MastodonPage):
    PATH = "/settings/export"

    CSV_LINK = "a[href$='{path}']"

    def link(self, kind: ListKind) -> "Locator":
        return self.page.locator(self.CSV_LINK.format(path=kind.export_path)).first

    def offers(self, kind: ListKind) -> bool:
        return self.has(self.CSV_LINK.format(path=kind.export_path))

    def available(self) -> list[ListKind]:
        return [kind for kind in CARRIED_KINDS if self.offers(kind)]

    def count(self, kind: ListKind) -> int | None:
        """The number the page shows next to the list's link (the row's first data cell)."""
        row = self.page.locator("tr").filter(has=self.page.locator(self.CSV_LINK.format(path=kind.export_path)))
        if row.count() == 0:
            return None
        cells = row.first.locator("td")
        return parse_count(cells.first.inner_text()) if cells.count() else None

    def counts(self) -> dict[str, int | None]:
        return {kind.name: self.count(kind) for kind in self.available()}

    def download_csv(self, kind: ListKind, destination: Path) -> Path:
        return self.download(self.link(kind), destination)

    # --- the archive ("Request your archive", app/views/settings/exports/show.html.haml) ------
    # A `data-method=post` link back to this page, shown only while BackupPolicy allows one; below
    # it a table of archives, one row each with a time, then a size and a download link once
    # compiled (or "Compiling your archive..." while it is not).
    ARCHIVE_REQUEST = "a[data-method='post'][href$='/settings/export']"
    ARCHIVE_ROWS = "table tbody tr:has(time[datetime])"
    ARCHIVE_DOWNLOAD = "a[href*='/backups/'][href$='/download']"

    def can_request_archive(self) -> bool:
        return self.has(self.ARCHIVE_REQUEST)

    def request_archive(self) -> None:
        self.follow_data_method_link(self.page.locator(self.ARCHIVE_REQUEST).first)

    def archives(self) -> list[ArchiveRow]:
        """Newest first, as the page lists them."""
        rows = []
        for row in self.page.locator(self.ARCHIVE_ROWS).all():
            row_id = (row.get_attribute("id") or "").removeprefix("backup_") or None
            stamp = row.locator("time[datetime]").first.get_attribute("datetime")
            link = row.locator(self.ARCHIVE_DOWNLOAD)
            href = link.first.get_attribute("href") if link.count() else None
            if row_id is None and href:
                row_id = href.rstrip("/").split("/")[-2]
            rows.append(ArchiveRow(row_id, _parse_time(stamp), href))
        rows.sort(key=lambda r: r.created_at or dt.datetime.min.replace(tzinfo=dt.timezone.utc), reverse=True)
        return rows

    def _archive_link(self, row: ArchiveRow) -> "Locator":
        return self.page.locator(f"{self.ARCHIVE_ROWS} {self.ARCHIVE_DOWNLOAD}[href='{row.download_href}']")

    def has_archive_link(self, row: ArchiveRow) -> bool:
        return self._archive_link(row).count() > 0

    def download_archive(self, row: ArchiveRow, destination: Path) -> Path:
        """Follow the row's download link: /backups/:id/download redirects to the storage (a signed
        URL on another host, or /system/backups/... on the media host), which the browser follows."""
        link = self._archive_link(row)
        if link.count() == 0:
            raise PageChanged(f"The export page no longer lists the archive {row.id} with a download link")
        return self.download(link.first, destination, timeout=10 * 60_000)


def _parse_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)
