"""Account aliases, /settings/aliases (app/views/settings/aliases/index.html.haml and
_account_alias.html.haml): the form `account_alias[acct]` and a table whose rows each carry an
"Unlink alias" `data-method="delete"` link to /settings/aliases/:id."""
from __future__ import annotations

from typing import TYPE_CHECKING

from mastomove.agent.steps import Handle
from mastomove.flows.handles import same_acct
from mastomove.flows.pages.base import MastodonPage

if TYPE_CHECKING:
    from playwright.sync_api import Locator


class AliasesPage(MastodonPage):
    PATH = "/settings/aliases"

    ACCT = "input[name='account_alias[acct]']"
    SUBMIT = "form:has(input[name='account_alias[acct]']) button[type='submit']"
    UNLINK = "a[data-method='delete'][href*='/settings/aliases/'], form[action*='/settings/aliases/'] button[type='submit']"
    ROWS = "table tbody tr"

    def masked(self) -> list["Locator"]:
        return [self.page.locator(self.ACCT)]

    def listed(self) -> list[str]:
        """The handles in the alias table, as the page shows them."""
        handles = []
        for row in self.page.locator(self.ROWS).filter(has=self.page.locator(self.UNLINK)).all():
            cell = row.locator("td").first
            handles.append(cell.inner_text().strip())
        return handles

    def lists(self, handle: Handle) -> bool:
        return any(same_acct(text, handle) for text in self.listed())

    def acct_field(self) -> "Locator":
        return self.page.locator(self.ACCT).first

    def add(self, handle: Handle) -> str | None:
        """Create the alias; the server's error under the handle field, if it refused."""
        self.acct_field().fill(str(handle))
        self.submit(self.page.locator(self.SUBMIT).first)
        if self.has(self.ACCT):
            error = self.error_of(self.acct_field())
            if error is not None:
                return error or "refused"
        return self.error_summary()
