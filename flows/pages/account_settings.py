"""Account settings, /auth/edit (app/views/auth/registrations/edit.html.haml and _status).

Reachable by every signed-in account, moved ones included (the server sends a moved account's
other settings pages here), which makes it the page for "are we signed in, and as whom"."""
from __future__ import annotations

from typing import TYPE_CHECKING

from mastomove.flows.pages.base import ACCOUNT_SETTINGS_PATH, SIGN_IN_PATH, MastodonPage

if TYPE_CHECKING:
    from playwright.sync_api import Locator


SIGN_OUT_PATH = "/auth/sign_out"


class AccountSettingsPage(MastodonPage):
    PATH = ACCOUNT_SETTINGS_PATH

    EMAIL = "input[name='user[email]']"
    # _status.html.haml: the warning for a redirecting account carries a link to the migration page.
    REDIRECT_NOTICE = ".flash-message.warning:has(a[href$='/settings/migration'])"

    def masked(self) -> list["Locator"]:
        return [self.page.locator(self.EMAIL)]

    def open_if_signed_in(self) -> bool:
        """Load the page; False when the server asks to sign in instead."""
        self.open(signed_in=False)
        return not self.on(SIGN_IN_PATH)

    def email(self) -> str | None:
        field = self.page.locator(self.EMAIL)
        return field.first.input_value().strip() if field.count() else None

    def sign_out(self) -> None:
        """Log out through the sidebar's "Logout" link (`data-method="delete"` to /auth/sign_out),
        which ends the server's session; lands on the sign-in page."""
        self.follow_data_method_link(self.link_to(SIGN_OUT_PATH).first, ends_session=True)

    def redirect_notice(self) -> str | None:
        """The "your account is inactive because it is redirecting to ..." warning, if shown."""
        notice = self.page.locator(self.REDIRECT_NOTICE)
        return notice.first.inner_text().strip() if notice.count() else None
