"""Signing the test account in through the sign-in form, checking each element on the way, and
typing secrets without a trace recording them."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from playwright.sync_api import Error as PlaywrightError

from mastomove.agent.steps import Account
from mastomove.flows.checks.ui import Checker, UIRegression
from mastomove.flows.pages import AccountSettingsPage, SignInPage
from mastomove.flows.pages.sign_in import SignInStage
from mastomove.flows.steps.sign_in import one_time_code

if TYPE_CHECKING:
    from playwright.sync_api import Page


def open_entry() -> "SecretEntry":
    """For made-up values, and for the sign-in's own context, which is never traced."""
    return SecretEntry(tracing=False)


class SecretEntry:
    """A `secret_entry` for the page objects. A pytest-playwright trace (--tracing) keeps typed
    values, DOM snapshots and, for the whole recording, request bodies (a form post with the
    password included): so recording stops before the password is typed, the part before it is
    kept where `keep()` says, and a new recording starts on a blank page when `resume()` is called
    at the end of the check."""

    def __init__(self, tracing: bool, keep: Callable[[], Path] | None = None):
        self.tracing = tracing
        self.keep = keep
        self.paused: list = []  # browser contexts whose recording is stopped

    @contextlib.contextmanager
    def __call__(self, page: "Page") -> Iterator[None]:
        context = page.context
        if self.tracing and context not in self.paused:
            target = self.keep() if self.keep else None
            context.tracing.stop(**({"path": str(target)} if target else {}))
            self.paused.append(context)
        yield

    def resume(self) -> None:
        for context in self.paused:
            with contextlib.suppress(PlaywrightError):
                for page in context.pages:
                    page.goto("about:blank")
                context.tracing.start(screenshots=True, snapshots=True)
        self.paused.clear()


@dataclass
class SignIn:
    """What signing in showed; shared by every check of the run (one sign-in, one session)."""

    two_factor: bool = False
    storage_state: dict[str, Any] | None = None
    error: UIRegression | None = None
    screenshots: list[tuple[str, str]] = field(default_factory=list)  # (label, path)


def _stage_words(form: SignInPage, stage: SignInStage) -> str:
    return {
        SignInStage.SIGNED_IN: f"the server signed in at once and sent the browser to {form.path}",
        SignInStage.PASSWORD: "the e-mail and password form again",
        SignInStage.SECURITY_KEY: "a security-key (WebAuthn) step",
        SignInStage.EMAILED_CODE: "an e-mailed security-code step",
        SignInStage.EXTERNAL_ONLY: "no form this suite knows",
    }.get(stage, str(stage)) + f"; form fields {form.form_fields()}"


def sign_in(page: "Page", account: Account, ui: Checker) -> bool:
    """E-mail and password, then the one-time code when the account has a TOTP secret; True when
    the second step was shown and passed."""
    form = SignInPage(page, account)
    with ui.step(form, element="the sign-in page", expected="the sign-in form at /auth/sign_in"):
        form.open()
    ui.expect(form.has(form.EMAIL) and form.has(form.PASSWORD), form,
              element=f"the e-mail and password fields ({form.EMAIL}, {form.PASSWORD})",
              expected="both fields of the sign-in form", found=lambda: f"form fields {form.form_fields()}")
    ui.expect(form.has(form.PASSWORD_SUBMIT), form, element=f"the “Log in” button ({form.PASSWORD_SUBMIT})",
              expected="a submit button in the sign-in form", found="no submit button in the form")
    with ui.step(form, element=f"the “Log in” button ({form.PASSWORD_SUBMIT})",
                 expected="the server to answer the e-mail and password"):
        form.submit_password(account.email, account.password.get_secret_value(), open_entry())
    ui.expect(not form.rejected(), form, element="the e-mail and password",
              expected=f"the server to accept the test account's e-mail and password ({account.email})",
              found=lambda: f"the alert “{form.alert_text()}” (check MASTOMOVE_OLD_EMAIL / MASTOMOVE_OLD_PASSWORD)")
    stage = form.stage()
    two_factor = False
    if account.otp_secret is not None and account.otp_secret.get_secret_value():
        ui.expect(stage is SignInStage.ONE_TIME_CODE, form,
                  element=f"the two-factor code field ({form.ONE_TIME_CODE})",
                  expected="the second sign-in step asking for the authenticator app's code",
                  found=lambda: _stage_words(form, stage))
        for tries_left in (1, 0):  # a code is single-use: one more try with the next one
            with ui.step(form, element=f"the two-factor “Log in” button ({form.ONE_TIME_CODE_SUBMIT})",
                         expected="the server to answer the two-factor code"):
                form.submit_one_time_code(one_time_code(account), open_entry())
            if not (tries_left and form.rejected() and form.stage() is SignInStage.ONE_TIME_CODE):
                break
        ui.expect(not form.rejected(), form, element=f"the two-factor code field ({form.ONE_TIME_CODE})",
                  expected="the server to accept the current code of MASTOMOVE_OLD_OTP_SECRET",
                  found=lambda: f"the alert “{form.alert_text()}” (check the secret and this computer's clock)")
        two_factor = True
    else:
        ui.expect(stage is SignInStage.SIGNED_IN, form, element="the sign-in page after the password",
                  expected="to be signed in (no MASTOMOVE_OLD_OTP_SECRET is set, so no second step)",
                  found=lambda: _stage_words(form, stage))
    settings = AccountSettingsPage(page, account)
    with ui.step(settings, element="the session", expected="the account settings page, signed in"):
        signed_in = settings.open_if_signed_in()
    ui.expect(signed_in, settings, element="the session cookie",
              expected="to stay signed in after the sign-in form", found="the server asked to sign in again")
    shown = settings.email()
    ui.expect(shown is None or shown.lower() == account.email.lower(), settings,
              element=f"the e-mail field ({settings.EMAIL})", expected=f"the test account's address {account.email}",
              found=f"{shown}: signed in as someone else")
    return two_factor
