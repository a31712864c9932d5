"""Log in (/auth/sign_in): e-mail and password, the two-factor step, and a refused password."""
from __future__ import annotations

import secrets

from mastomove.flows.checks.session import open_entry
from mastomove.flows.pages import SignInPage


def test_sign_in_with_password_and_two_factor(signed_in, account, ui):
    """Sign in with e-mail and password, then the authenticator code when the account has
    two-factor sign-in, and land signed in as the test account."""
    for label, path in signed_in.screenshots:
        ui.record(label, path)
    if signed_in.error is not None:
        raise signed_in.error
    assert signed_in.storage_state is not None
    if account.otp_secret is not None:
        assert signed_in.two_factor


def test_wrong_password_is_refused(signed_out_page, account, ui):
    """A wrong password is refused on the sign-in page with an alert, and the form is shown again."""
    form = SignInPage(signed_out_page, account)
    with ui.step(form, element="the sign-in page", expected="the sign-in form at /auth/sign_in"):
        form.open()
    ui.expect(form.has(form.PASSWORD), form, element=f"the password field ({form.PASSWORD})",
              expected="the sign-in form's password field", found=lambda: f"form fields {form.form_fields()}")
    wrong = f"not-the-password-{secrets.token_hex(4)}"
    with ui.step(form, element=f"the “Log in” button ({form.PASSWORD_SUBMIT})",
                 expected="the server to answer the e-mail and a wrong password"):
        form.submit_password(account.email, wrong, open_entry())
    ui.expect(form.on(form.PATH), form, element="the sign-in page after a wrong password",
              expected="to stay on /auth/sign_in", found=lambda: f"the browser went to {form.path}: signed in with a wrong password?")
    ui.expect(form.has(form.ALERT) and form.alert_text(), form,
              element=f"the alert ({form.ALERT})",
              expected="an alert such as “Invalid E-mail address or password.”",
              found=lambda: "no alert on the page" if not form.has(form.ALERT) else "an empty alert")
    ui.expect(form.has(form.PASSWORD), form, element=f"the password field ({form.PASSWORD})",
              expected="the form again, to try once more", found=lambda: f"form fields {form.form_fields()}")
