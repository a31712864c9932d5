"""Import, in its two shapes, told apart by the page itself:

- up to 4.1, /settings/import: one form (`import[type|data|mode]`), applied without confirmation
  and without progress;
- 4.2+, /settings/imports: the form (`form_import[type|data|mode]`) uploads to a confirmation page
  /settings/imports/:id (Confirm / Cancel `data-method` links, a `.flash-message.warning` when the
  file looks like another list type), then a "Recent imports" table of `tr#bulk_import_<id>` rows:
  type, status, `imported / total`, time, failures (a link to failures.csv once finished;
  failures.json for 4.6's filters import).
Uploads are sent with the file's content type named explicitly: 4.6 reads an upload sent as
application/json as JSON (the filters import), anything else as CSV.
(app/views/settings/imports/{index,show,_import}.html.haml; app/controllers/settings/imports_controller.rb)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from mastomove.agent.errors import ImportRejected, PageChanged
from mastomove.flows.messages import parse_count, says_finished
from mastomove.flows.pages.base import MastodonPage

if TYPE_CHECKING:
    from playwright.sync_api import Locator


class ImportVersion(StrEnum):
    BULK = "bulk"  # 4.2+: confirmation step and progress table
    LEGACY = "legacy"  # up to 4.1: applied at once, no progress shown


_IMPORTED_OF_TOTAL = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
_IMPORT_ID_IN_PATH = re.compile(r"/settings/imports/(\d+)/?$")


@dataclass(frozen=True)
class ImportRow:
    id: str
    state_text: str
    unconfirmed: bool
    imported: int | None
    total: int | None
    failures: int
    failures_href: str | None

    @property
    def finished(self) -> bool:
        if self.unconfirmed:
            return False
        if self.failures_href:
            return True  # the failures link is only offered once an import has finished
        if self.total is not None and self.imported is not None and self.failures == 0 and self.imported >= self.total:
            return True
        return says_finished(self.state_text)  # ended early on an error: the counts never add up

    def as_dict(self) -> dict:
        return {"id": self.id, "imported": self.imported, "total": self.total, "failures": self.failures,
                "finished": self.finished, "state": self.state_text}


def parse_import_row(import_id: str, cells: list[str], links: list[str]) -> ImportRow:
    """A "Recent imports" row from its cell texts and link hrefs (no language involved)."""
    imported = total = None
    counts_at = None
    for index, text in enumerate(cells):
        match = _IMPORTED_OF_TOTAL.match(text)
        if match:
            imported, total, counts_at = int(match[1]), int(match[2]), index
            break
    failures_cell = cells[-1] if counts_at is not None and len(cells) - 1 > counts_at else ""
    failures_href = next((href for href in links if href.split("?")[0].endswith(("/failures.csv", "/failures.json"))),
                         None)
    # Only an unconfirmed import's status links back to its confirmation page.
    unconfirmed = any(href.split("?")[0].rstrip("/").endswith(f"/settings/imports/{import_id}") for href in links)
    return ImportRow(
        id=import_id,
        state_text=cells[1].strip() if len(cells) > 1 else "",
        unconfirmed=unconfirmed,
        imported=imported,
        total=total,
        failures=parse_count(failures_cell) or 0,
        failures_href=failures_href,
    )


@dataclass(frozen=True)
class UploadOutcome:
    import_id: str | None  # 4.2+: the unconfirmed import the upload created
    errors: list[str]  # the server's messages under the file or type field


class ImportsPage(MastodonPage):
    PATH = "/settings/imports"
    LEGACY_PATH = "/settings/import"

    FIELD = "[name='{key}[{attr}]']"
    TYPE_OPTION = "select[name='{key}[type]'] option[value='{value}'], input[type='radio'][name='{key}[type]'][value='{value}']"
    MODE = "input[type='radio'][name='{key}[mode]'][value='{value}']"
    TYPE_CHOICES = "select[name='{key}[type]'] option, input[type='radio'][name='{key}[type]']"
    MODE_CHOICES = "input[type='radio'][name='{key}[mode]']"
    SUBMIT = "form:has([name='{key}[data]']) button[type='submit'], form:has([name='{key}[data]']) input[type='submit']"
    ROWS = "tr[id^='bulk_import_']"
    ROW = "tr#bulk_import_{id}"

    KEYS = {ImportVersion.BULK: "form_import", ImportVersion.LEGACY: "import"}

    version: ImportVersion | None = None

    def open_form(self, expected: ImportVersion | None = None) -> ImportVersion:
        """Open the import form and tell which kind it is: 4.2+'s at /settings/imports, else the
        older one at /settings/import. `expected` (what an earlier look found) is tried first."""
        forms = [(ImportVersion.BULK, self.PATH), (ImportVersion.LEGACY, self.LEGACY_PATH)]
        if expected is ImportVersion.LEGACY:
            forms.reverse()
        for version, path in forms:
            response = self.open(path)
            if (response is None or response.status != 404) and self.has(self._field(version, "data")):
                self.version = version
                return version
        raise PageChanged("The new server's import page has no file field (looked at /settings/imports and /settings/import)")

    def form_on_screen(self) -> ImportVersion | None:
        """The import form this page already shows (4.2+ shows it above its list of imports), if any:
        no need to load it again."""
        for version, path in ((ImportVersion.BULK, self.PATH), (ImportVersion.LEGACY, self.LEGACY_PATH)):
            if self.on(path) and self.has(self._field(version, "data")):
                self.version = version
                return version
        return None

    def _field(self, version: ImportVersion, attr: str) -> str:
        return self.FIELD.format(key=self.KEYS[version], attr=attr)

    @property
    def key(self) -> str:
        assert self.version, "open_form() first"
        return self.KEYS[self.version]

    def offers_type(self, import_type: str) -> bool:
        return self.has(self.TYPE_OPTION.format(key=self.key, value=import_type))

    def offered_types(self) -> list[str]:
        """The values of the form's list types (select options or radio buttons)."""
        return self.page.locator(self.TYPE_CHOICES.format(key=self.key)).evaluate_all(
            "choices => choices.map(c => c.value)")

    def offered_modes(self) -> list[str]:
        return self.page.locator(self.MODE_CHOICES.format(key=self.key)).evaluate_all(
            "choices => choices.map(c => c.value)")

    def upload(self, import_type: str, file: Path, mode: str, mime: str = "text/csv") -> UploadOutcome:
        type_field = self.page.locator(f"select[name='{self.key}[type]']")
        if type_field.count():
            type_field.first.select_option(value=import_type)
        else:
            self.page.locator(f"input[type='radio'][name='{self.key}[type]'][value='{import_type}']").first.check()
        mode_choice = self.page.locator(self.MODE.format(key=self.key, value=mode))
        if mode_choice.count():
            mode_choice.first.check()
        elif mode != "merge":
            raise ImportRejected(f"This server's import form has no {mode!r} mode", hint="import in merge mode")
        self.page.locator(self._field(self.version, "data")).first.set_input_files(
            {"name": file.name, "mimeType": mime, "buffer": file.read_bytes()})
        self.submit(self.page.locator(self.SUBMIT.format(key=self.key)).first)
        errors = self.field_errors()
        match = _IMPORT_ID_IN_PATH.search(self.path)
        if match and self.version is ImportVersion.BULK:
            return UploadOutcome(match[1], [])
        summary = None if errors else self.error_summary()
        if summary is not None:
            errors = [summary]
        return UploadOutcome(None, errors)

    # --- recent imports (4.2+) -------------------------------------------------------------
    def row(self, import_id: str) -> ImportRow | None:
        row = self.page.locator(self.ROW.format(id=import_id))
        return self._read_row(import_id, row.first) if row.count() else None

    def rows(self) -> dict[str, ImportRow]:
        found = {}
        for row in self.page.locator(self.ROWS).all():
            import_id = (row.get_attribute("id") or "").removeprefix("bulk_import_")
            if import_id:
                found[import_id] = self._read_row(import_id, row)
        return found

    def _read_row(self, import_id: str, row: "Locator") -> ImportRow:
        seen = row.evaluate(
            """tr => ({cells: [...tr.cells].map(c => c.innerText.trim()),
                       links: [...tr.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))})"""
        )
        return parse_import_row(import_id, seen["cells"], seen["links"])

    def failures_link(self, import_id: str) -> "Locator":
        row = self.ROW.format(id=import_id)
        return self.page.locator(f"{row} a[href$='/failures.csv'], {row} a[href$='/failures.json']").first


class ImportConfirmationPage(MastodonPage):
    PATH = "/settings/imports/{id}"

    # The file looks like another list type (`likely_mismatched`); 4.6's filters import can add a
    # second warning below it, that some filtered posts are unknown to this server (`missing_status`).
    MISMATCH_WARNING = ".flash-message.warning"
    PREAMBLE = "p.hint"
    # Mastodon renders these as `data-method` links; a form button is accepted for the same action.
    CONFIRM = ("a[data-method='post'][href$='/settings/imports/{id}/confirm'], "
               "form[action$='/settings/imports/{id}/confirm'] button[type='submit']")
    CANCEL = ("a[data-method='delete'][href$='/settings/imports/{id}'], "
              "form[action$='/settings/imports/{id}'] button[type='submit']")

    def __init__(self, page, account, import_id: str):
        super().__init__(page, account)
        self.import_id = import_id

    def open_import(self) -> bool:
        """Load the confirmation page; False when it is gone (confirmed, cancelled or expired)."""
        response = self.open(self.PATH.format(id=self.import_id))
        return not (response is not None and response.status == 404) and self.can_confirm()

    def can_confirm(self) -> bool:
        return self.has(self.CONFIRM.format(id=self.import_id))

    def can_cancel(self) -> bool:
        return self.has(self.CANCEL.format(id=self.import_id))

    def warnings(self) -> list[str]:
        return [text.strip() for text in self.page.locator(self.MISMATCH_WARNING).all_inner_texts() if text.strip()]

    def mismatch_warning(self, *, json_upload: bool = False) -> str | None:
        """The type-mismatch warning, if shown. For a filters (JSON) upload of the right type
        Mastodon never warns of a mismatch, so a lone warning there is the unknown-posts note."""
        shown = self.warnings()
        if json_upload and len(shown) < 2:
            return None
        return shown[0] if shown else None

    def preamble(self) -> str:
        hints = self.page.locator(self.PREAMBLE)
        return hints.first.inner_text().strip() if hints.count() else ""

    def confirm(self) -> None:
        self.follow_data_method_link(self.page.locator(self.CONFIRM.format(id=self.import_id)).first)

    def cancel(self) -> None:
        self.follow_data_method_link(self.page.locator(self.CANCEL.format(id=self.import_id)).first)
