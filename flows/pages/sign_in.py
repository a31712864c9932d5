"""The sign-in form, /auth/sign_in (app/views/auth/sessions/new.html.haml), and its second step
at the same URL: the one-time-code form (two_factor/_otp_authentication_form) or the security-key
form (two_factor/_webauthn_form)."""
from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from mastomove.flows.pages.base import SIGN_IN_PATH, MastodonPage, SecretEntry

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Response


class SignInStage(StrEnum):
    SIGNED_IN = "signed_in"  # the server sent us elsewhere
    PASSWORD = "password"  # e-mail + password form
    ONE_TIME_CODE = "one_time_code"  # TOTP or recovery code
    SECURITY_KEY = "security_key"  # WebAuthn only: needs a person
    EMAILED_CODE = "emailed_code"  # 3.x "suspicious sign-in" security code: needs a person
    EXTERNAL_ONLY = "external_only"  # single sign-on only (OMNIAUTH_ONLY): needs a person
    UNKNOWN = "unknown"  # a form at the sign-in URL asking for something else: needs a person


class SignInPage(MastodonPage):
    PATH = SIGN_IN_PATH
    SIGNED_IN = False

    EMAIL = "input[name='user[email]']"
    PASSWORD = "input[name='user[password]']"
    PASSWORD_SUBMIT = "form:has(input[name='user[password]']) button[type='submit']"
    ONE_TIME_CODE = "input[name='user[otp_attempt]']"
    ONE_TIME_CODE_SUBMIT = "form:has(input[name='user[otp_attempt]']) button[type='submit']"
    SECURITY_KEY_FORM = "form#webauthn-form"
    EMAILED_CODE_FIELD = "input[name='user[sign_in_token_attempt]']"
    SWITCH_TO_ONE_TIME_CODE = "a#link-to-otp"
    EXTERNAL_LOGIN = ".alternative-login"
    # Single sign-on buttons post to /auth/auth/<provider> (auth/shared/_links, omniauth).
    EXTERNAL_BUTTON = "form[action*='/auth/auth/'], a[href*='/auth/auth/']"
    ALERT = ".flash-message.alert"

    def masked(self) -> list["Locator"]:
        return [self.page.locator(self.EMAIL)]

    def stage(self) -> SignInStage:
        if not self.on(SIGN_IN_PATH):
            return SignInStage.SIGNED_IN
        if self.has(self.ONE_TIME_CODE):
            if not self.page.locator(self.ONE_TIME_CODE).first.is_visible() and self.has(self.SWITCH_TO_ONE_TIME_CODE):
                # Security key first, one-time code behind a link: the code is what we can give.
                self.page.locator(self.SWITCH_TO_ONE_TIME_CODE).first.click()
                self.page.locator(self.ONE_TIME_CODE).first.wait_for(state="visible")
            return SignInStage.ONE_TIME_CODE
        if self.has(self.SECURITY_KEY_FORM):
            return SignInStage.SECURITY_KEY
        if self.has(self.EMAILED_CODE_FIELD):
            return SignInStage.EMAILED_CODE
        if self.has(self.PASSWORD):
            return SignInStage.PASSWORD
        if self.has(self.EXTERNAL_LOGIN) or self.has(self.EXTERNAL_BUTTON):
            return SignInStage.EXTERNAL_ONLY
        return SignInStage.UNKNOWN

    def rejected(self) -> bool:
        """Still on the sign-in URL, a form to fill again, and an alert: the server said no.
        Recognised without reading the (translated) alert."""
        return (self.on(SIGN_IN_PATH) and self.has(self.ALERT)
                and (self.has(self.PASSWORD) or self.has(self.ONE_TIME_CODE)))

    def alert_text(self) -> str:
        alerts = self.page.locator(self.ALERT)
        return alerts.first.inner_text().strip() if alerts.count() else ""

    def submit_password(self, email: str, password: str, secret_entry: SecretEntry) -> "Response | None":
        self.ensure_origin()  # not even the e-mail address goes into another site's form
        self.page.locator(self.EMAIL).first.fill(email)
        return self.submit_secret(self.page.locator(self.PASSWORD).first, password,
                                  self.page.locator(self.PASSWORD_SUBMIT).first, secret_entry)

    def submit_one_time_code(self, code: str, secret_entry: SecretEntry) -> "Response | None":
        return self.submit_secret(self.page.locator(self.ONE_TIME_CODE).first, code,
                                  self.page.locator(self.ONE_TIME_CODE_SUBMIT).first, secret_entry)
