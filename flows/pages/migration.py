"""Account migration, /settings/migration (app/views/settings/migrations/show.html.haml).

- status block: while redirecting, the target's card, "Your account is redirecting to <acct>." and
  a "Cancel redirect" `data-method="delete"` link to /settings/migration/redirect;
- the move form: `account_migration[acct]` plus `[current_password]` (or `[current_username]`
  for accounts without a password); during the 30-day cooldown every input is `disabled` and a
  `span.warning-hint` names the days left;
- errors: `span.error` inside the `.field_with_errors` wrapper of the field concerned.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mastomove.agent.steps import Handle
from mastomove.flows.handles import handle_in_text
from mastomove.flows.messages import MoveFormErrors, parse_count
from mastomove.flows.pages.base import MastodonPage, SecretEntry

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Response

_NEAREST_SIMPLE_FORM = "xpath=ancestor::div[contains(concat(' ', normalize-space(@class), ' '), ' simple_form ')][1]"


@dataclass(frozen=True)
class MigrationState:
    redirecting: bool
    redirect_text: str  # the status block, which names the target's handle
    on_cooldown: bool
    cooldown_days: int | None
    challenge: str  # "current_password" or "current_username"
    local_domain: str | None = None  # the page names accounts of its own server by username alone
    readable: bool = True  # the page showed the move form or a redirect: False means "unknown", not "free"

    def redirects_to(self, handle: Handle) -> bool:
        return self.redirecting and handle_in_text(self.redirect_text, handle, self.local_domain)

    def as_dict(self) -> dict:
        return {"redirecting": self.redirecting, "on_cooldown": self.on_cooldown,
                "cooldown_days": self.cooldown_days}


class MigrationPage(MastodonPage):
    PATH = "/settings/migration"

    ACCT = "input[name='account_migration[acct]']"
    PASSWORD = "input[name='account_migration[current_password]']"
    USERNAME = "input[name='account_migration[current_username]']"
    SUBMIT = "form:has(input[name='account_migration[acct]']) button[type='submit']"
    COOLDOWN_HINT = "form:has(input[name='account_migration[acct]']) p.hint > span.warning-hint"
    CANCEL_REDIRECT = ("a[data-method='delete'][href$='/settings/migration/redirect'], "
                       "form[action$='/settings/migration/redirect'] button[type='submit']")
    PAST_MIGRATION_ROWS = "table tbody tr:has(time)"

    def masked(self) -> list["Locator"]:
        return [self.page.locator(self.ACCT)]

    def acct_field(self) -> "Locator":
        return self.page.locator(self.ACCT).first

    def state(self) -> MigrationState:
        cancel = self.page.locator(self.CANCEL_REDIRECT)
        redirecting = cancel.count() > 0
        text = ""
        if redirecting:
            block = cancel.first.locator(_NEAREST_SIMPLE_FORM)
            text = (block.first if block.count() else cancel.first.locator("xpath=../..")).inner_text()
        acct = self.acct_field()
        on_cooldown = acct.count() > 0 and acct.is_disabled()
        days = None
        if on_cooldown and self.has(self.COOLDOWN_HINT):
            days = parse_count(self.page.locator(self.COOLDOWN_HINT).first.inner_text())
        challenge = "current_username" if self.has(self.USERNAME) and not self.has(self.PASSWORD) else "current_password"
        return MigrationState(redirecting, text.strip(), on_cooldown, days, challenge, self.account.handle.domain,
                              readable=redirecting or acct.count() > 0)

    def submit_move(self, new_handle: Handle, challenge_value: str, secret_entry: SecretEntry,
                    *, timeout: float = 120_000) -> "Response | None":
        """Fill "Move to a different account" and press "Move followers"."""
        self.acct_field().fill(str(new_handle))
        submit = self.page.locator(self.SUBMIT).first
        if self.has(self.PASSWORD):
            return self.submit_secret(self.page.locator(self.PASSWORD).first, challenge_value, submit,
                                      secret_entry, timeout=timeout)
        self.page.locator(self.USERNAME).first.fill(challenge_value)
        return self.submit(submit, timeout=timeout)

    def errors(self) -> MoveFormErrors:
        fields = {}
        for attr, selector in (("acct", self.ACCT), ("current_password", self.PASSWORD),
                               ("current_username", self.USERNAME)):
            field = self.page.locator(selector)
            if field.count():
                message = self.error_of(field.first)
                if message is not None:
                    fields[attr] = message
        acct = self.acct_field()
        return MoveFormErrors(
            fields=fields,
            summary=self.error_summary(),
            acct_disabled=acct.count() > 0 and acct.is_disabled(),
        )

    def past_migration_followers(self) -> list[int]:
        """"Followers at time of move" of each past migration, newest first."""
        counts = []
        for row in self.page.locator(self.PAST_MIGRATION_ROWS).all():
            cells = row.locator("td")
            if cells.count() >= 2:
                value = parse_count(cells.nth(1).inner_text())
                if value is not None:
                    counts.append(value)
        return counts
