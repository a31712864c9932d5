"""Export, /settings/export (app/views/settings/exports/show.html.haml).

One table row per list: a label, a count, and a "CSV" link to /settings/exports/<name>.csv. Rows
are found by the link's href, never by the (translated) label. Older servers lack some rows."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from flows.csv_formats import EXPORT_KINDS, ListKind
from flows.messages import parse_count
from flows.pages.base import MastodonPage

if TYPE_CHECKING:
    from playwright.sync_api import Locator


class ExportPage(MastodonPage):
    PATH = "/settings/export"

    CSV_LINK = "a[href$='{path}']"

    def link(self, kind: ListKind) -> "Locator":
        return self.page.locator(self.CSV_LINK.format(path=kind.export_path)).first

    def offers(self, kind: ListKind) -> bool:
        return self.has(self.CSV_LINK.format(path=kind.export_path))

    def available(self) -> list[ListKind]:
        return [kind for kind in EXPORT_KINDS if self.offers(kind)]

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
