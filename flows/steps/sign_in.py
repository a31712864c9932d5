"""Sign in to both accounts through the sign-in form, or reuse the session the browser context
already holds. A refused sign-in is never retried: Mastodon throttles sign-ins per IP and e-mail."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pyotp

from mastomove.agent import retry
from mastomove.agent.errors import BadInput, NeedsPerson, RateLimited, SessionExpired, SignInRejected
from mastomove.agent.steps import Account, Role, StepContext, StepResult
from mastomove.flows.pages.account_settings import AccountSettingsPage
from mastomove.flows.pages.base import SIGN_IN_PATH
from mastomove.flows.pages.landing import Landing, is_web_app, landing
from mastomove.flows.pages.sign_in import SignInPage, SignInStage
from mastomove.flows.steps.common import attempt, screenshot, view
from mastomove.flows.steps.gate import check_usable, shown_at, stop_for
from mastomove.flows.steps.precheck import check_old_account_free, check_servers

# Where Mastodon sends a signed-in person (Devise's stored location or the web app's root).
KNOWN_AFTER_SIGN_IN = ("/home", "/web", "/deck", "/start", "/settings", "/auth/edit", "/oauth")

# Mastodon refuses a one-time code from a time step it has already accepted for that user.
_last_code_step: dict[tuple[str, str], int] = {}


def one_time_code(account: Account) -> str:
    totp = pyotp.TOTP(account.otp_secret.get_secret_value().replace(" ", "").upper())
    key = (account.origin, account.email)

    def current_step() -> int:
        return int(time.time()) // totp.interval

    fresh_step = retry.wait_until(current_step, until=lambda step: step != _last_code_step.get(key),
                                  every=1, within=totp.interval + 2)
    _last_code_step[key] = fresh_step
    return totp.at(fresh_step * totp.interval)


def _check_identity(page: AccountSettingsPage, account: Account) -> None:
    shown = page.email()
    if shown and "@" in (account.email or "") and shown.lower() != account.email.lower():
        raise BadInput(
            f"The {account.role} browser session is signed in as {shown}, not {account.email}",
            hint=f"run `mastomove login {account.role}` again, or remove that saved session",
        )


def _needs(account: Account, what: str, needs: str = "sign_in_by_hand") -> NeedsPerson:
    return NeedsPerson(f"Signing in to the {account.role} account ({account.handle}) needs {what}",
                       needs=needs, role=str(account.role))


@dataclass(kw_only=True)
class SignedIn:
    reused_session: bool  # the browser context's saved session was still signed in
    two_factor: bool = False  # a one-time code was asked for (and typed)


@dataclass(kw_only=True)
class SignInResult(StepResult):
    step = "sign_in"
    old: SignedIn | None = None
    new: SignedIn | None = None


def sign_in(ctx: StepContext, role: Role) -> SignedIn:
    """Make sure `role`'s browser context is signed in to its account (the runner calls this again
    when a session expires)."""
    return attempt(ctx, lambda: _sign_in_once(ctx, role))


def may_hold_session(ctx: StepContext, role: Role) -> bool:
    """Does `role`'s browser context hold any cookie for its server? Without one it holds no
    session there, which is known without loading a page."""
    return bool(ctx.page(role).context.cookies(ctx.accounts[role].url))


def _sign_in_once(ctx: StepContext, role: Role) -> SignedIn:
    account = ctx.accounts[role]
    log = ctx.evidence.log.bind(account=str(role))
    settings = view(ctx, role, AccountSettingsPage)
    form = view(ctx, role, SignInPage)
    if may_hold_session(ctx, role):
        # A saved session, or an earlier one of this run: the account settings page says whether
        # it still holds, and as whom. If not, the server shows the sign-in form instead (and
        # sends the browser back to the account settings after signing in).
        if settings.open_if_signed_in():
            return _reuse_session(ctx, role, settings)
    else:
        form.open()  # no cookie for this server: no session to look for
        if form.stage() is SignInStage.SIGNED_IN and settings.open_if_signed_in():
            return _reuse_session(ctx, role, settings)  # signed in without a cookie (another kind of session)

    stage = form.stage()
    two_factor = False
    last_answer = None  # the server's answer to the last form sent (the page it landed on)
    if stage is SignInStage.PASSWORD:
        if account.password is None or not account.password.get_secret_value():
            raise _needs(account, "a password, and none was given", "password")
        if not account.email:
            raise BadInput(f"No e-mail address for the {role} account", settings=(f"{role}_email",))
        screenshot(ctx, form, f"{role}-sign-in-form")
        try:
            last_answer = form.submit_password(account.email, account.password.get_secret_value(), ctx.evidence.secret_entry)
        except RateLimited as throttled:
            raise SignInRejected(f"The {role} server is throttling sign-ins for {account.handle}",
                                 hint="wait a few minutes before trying again") from throttled
        if form.rejected():
            log.warning("sign_in.rejected", step="password")
            raise SignInRejected(
                f"The {role} server refused the e-mail address and password for {account.handle}",
                settings=(f"{role}_email", f"{role}_password"),
                hint="check the e-mail address and the password; Mastodon locks out repeated tries, "
                     "so correct them before running again",
            )
        stage = form.stage()

    if stage is SignInStage.ONE_TIME_CODE:
        if account.otp_secret is None or not account.otp_secret.get_secret_value():
            raise _needs(account, "a two-factor code, and no two-factor secret was given", "one_time_code")
        two_factor = True
        # A code is accepted once: an earlier run may have used this time step's code already, so
        # a refused code gets one more try with the next one, as a person would do.
        for tries_left in (1, 0):
            try:
                last_answer = form.submit_one_time_code(one_time_code(account), ctx.evidence.secret_entry)
            except RateLimited as throttled:
                raise SignInRejected(f"The {role} server is throttling two-factor attempts",
                                     hint="wait before trying again") from throttled
            if not (tries_left and form.rejected() and form.stage() is SignInStage.ONE_TIME_CODE):
                break
            log.info("sign_in.code_refused_trying_next")
        if form.rejected():
            log.warning("sign_in.rejected", step="one_time_code")
            raise SignInRejected(
                f"The {role} server refused the two-factor code for {account.handle}",
                settings=(f"{role}_otp_secret",),
                hint="check the two-factor secret (the secret behind the QR code, not a code) "
                     "and this computer's clock",
            )
        stage = form.stage()

    if stage is SignInStage.SECURITY_KEY:
        raise _needs(account, "a security key")
    if stage is SignInStage.EMAILED_CODE:
        raise _needs(account, f"the security code the server just e-mailed{shown_at(ctx, form, f'{role}-emailed-code')}")
    if stage is SignInStage.EXTERNAL_ONLY:
        raise _needs(account, "the server's own sign-in service (single sign-on)")
    if stage is SignInStage.UNKNOWN:
        raise _needs(account, "something mastomove does not know: after the "
                              f"{'two-factor code' if two_factor else 'password'} the sign-in page asks for more "
                              f"(for example a code sent by e-mail){shown_at(ctx, form, f'{role}-sign-in-unknown')}")
    if stage is not SignInStage.SIGNED_IN:
        raise SignInRejected(f"Signing in to the {role} account did not get past the sign-in page")

    # Where the server sent us after the last form: a page that stands before the settings
    # (two-factor setup required by an admin, an unknown challenge) is said as such.
    landed = form.path
    after = landing(form, landed)
    if after in (Landing.TWO_FACTOR_SETUP, Landing.AUTH_SETUP):
        stop_for(ctx, role, form, after, "the account's pages")
    known_landing = form.on_own_origin() and (
        landed == "/" or any(landed == p or landed.startswith(p + "/") for p in KNOWN_AFTER_SIGN_IN))
    unknown_shot = "" if known_landing else shown_at(ctx, form, f"{role}-after-sign-in")  # before leaving it
    # The page where the sign-in landed is used as it is: the account settings (asked for before
    # signing in, Devise returns there) show whom we are signed in as; the web app's answer shows
    # whether changed terms stand in front of it. A sign-in from the bare form is the account
    # whose e-mail address and password were typed.
    web_app_answer = None
    shown = settings.on(settings.PATH) and settings.on_own_origin()
    if shown:
        _check_identity(settings, account)
        screenshot(ctx, settings, f"{role}-signed-in")
    elif is_web_app(form) and last_answer is not None and last_answer.ok:
        web_app_answer = last_answer.text()
    try:
        usable = check_usable(ctx, role, web_app_answer=web_app_answer)
    except SessionExpired:
        # Sent to the sign-in form right after signing in: the server did not keep the session.
        if not known_landing:
            raise NeedsPerson(f"After the {'two-factor code' if two_factor else 'password'}, the {role} server showed "
                              f"a page mastomove does not know ({landed}) and did not sign {account.handle} in"
                              f"{unknown_shot}", needs="look_at_page", role=str(role)) from None
        # A session can end by chance right after it began (a server restart, an admin): sign in
        # once more; a second time means the server does not keep it.
        lost = ctx.notes.setdefault("session_lost_after_sign_in", {})
        lost[str(role)] = lost.get(str(role), 0) + 1
        ctx.save_notes()
        if lost[str(role)] >= 2:
            raise SignInRejected(f"The {role} server accepted the sign-in but did not keep the session",
                                 hint="cookies may be blocked for this server") from None
        raise
    if not shown:
        screenshot(ctx, usable, f"{role}-signed-in")
    log.info("sign_in.done", two_factor=two_factor)
    return SignedIn(reused_session=False, two_factor=two_factor)


def _reuse_session(ctx: StepContext, role: Role, settings: AccountSettingsPage) -> SignedIn:
    """The context is signed in already (its account settings page is loaded)."""
    settings.ensure_origin()  # the account's own page, or the sign-in went to another site: no session of ours
    _check_identity(settings, ctx.accounts[role])
    screenshot(ctx, settings, f"{role}-session-reused")
    check_usable(ctx, role)
    ctx.evidence.log.info("sign_in.reused_session", account=str(role), url=settings.page.url)
    return SignedIn(reused_session=True)


class SignInStep:
    name = "sign_in"
    title = "Sign in to both accounts"
    irreversible = False
    result_type = SignInResult

    def run(self, ctx: StepContext) -> SignInResult:
        # Before anything changes: wrong addresses, unknown accounts and an old account that
        # cannot move stop the run here, with nothing done on either server.
        report = check_servers(ctx)
        signed: dict[Role, SignedIn] = {}
        for role in (Role.OLD, Role.NEW):
            signed[role] = outcome = sign_in(ctx, role)
            how = "a saved session" if outcome.reused_session else "the sign-in form"
            report.append(f"Signed in to {ctx.accounts[role].handle} ({role}) with {how}")
        report.extend(check_old_account_free(ctx))
        return SignInResult(old=signed[Role.OLD], new=signed[Role.NEW], report=report)

    def verify(self, ctx: StepContext) -> bool:
        # A resumed run's new browser holds no session unless one was saved: without a cookie for
        # a server, the step runs again without a page loaded to find that out.
        return all(
            may_hold_session(ctx, role)
            and attempt(ctx, lambda role=role: view(ctx, role, AccountSettingsPage).open_if_signed_in())
            for role in (Role.OLD, Role.NEW)
        )


def sign_in_by_person(ctx: StepContext, role: Role, *, timeout_s: float) -> dict[str, Any]:
    """`mastomove login`: open the sign-in page in a visible browser and wait while the person signs
    in however the server wants (single sign-on, security key, captcha). Nothing is typed for them."""
    account = ctx.accounts[role]
    settings = view(ctx, role, AccountSettingsPage)
    if attempt(ctx, settings.open_if_signed_in):
        _check_identity(settings, account)
        return {"already": True}
    form = view(ctx, role, SignInPage)
    attempt(ctx, form.open)
    ctx.person.say(f"Sign in to {account.handle} in the browser window; waiting up to {timeout_s / 60:.0f} min.")
    # The second factor is asked at the same URL, so "signed in" means "left the sign-in page".
    form.page.wait_for_url(lambda url: SIGN_IN_PATH not in url, timeout=timeout_s * 1000)
    if not attempt(ctx, settings.open_if_signed_in):
        raise SignInRejected(f"The {role} server did not keep the session after signing in")
    _check_identity(settings, account)
    screenshot(ctx, settings, f"{role}-signed-in-by-person")
    return {"already": False}
