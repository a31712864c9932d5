"""Pages that stand between signing in and the settings: recognised, and stopped at before
anything changes, with what the server asks and a screenshot (flows/pages/landing.py).

`check_usable` runs right after each sign-in: it asks for the profile page, which only a usable
account reaches, and stops when the server sends the account elsewhere (an admin requires
two-factor authentication, the e-mail address is unconfirmed, the account is disabled, or a page
the agent does not know), and when changed terms of service stand in front of the web app. What it
costs: one page (the profile page) when the sign-in landed on the web app, whose answer shows the
terms interstitial if there is one; one more request (the web app's HTML, fetched) otherwise. The
stop says what is missing in plain words; `needs` names it for the agent, which adds how to go on."""
from __future__ import annotations

from mastomove.agent.errors import NeedsPerson, SessionExpired
from mastomove.agent.steps import Role, StepContext
from mastomove.flows.pages.account_settings import AccountSettingsPage
from mastomove.flows.pages.base import MastodonPage
from mastomove.flows.pages.landing import (TERMS_PATH, WEB_APP_PATH, Landing, landing, terms_in_front,
                                           web_app_blocked_by_terms)
from mastomove.flows.pages.profile import ProfilePage
from mastomove.flows.steps.common import view


def shown_at(ctx: StepContext, page: MastodonPage, action: str) -> str:
    """A screenshot of the page, and where it is, for the person's message."""
    file = ctx.evidence.screenshot(page.page, action, mask=page.masked())
    if file is None:
        return ""
    root = ctx.evidence.path("log.jsonl").parent
    try:
        shown = file.resolve().relative_to(root.resolve())
    except ValueError:
        shown = file
    return f" (screenshot: {shown})"


def stop_for(ctx: StepContext, role: Role, page: MastodonPage, where: Landing, wanted: str) -> None:
    """Raise the stop that `where` (the page the server showed instead of `wanted`) calls for."""
    handle = ctx.accounts[role].handle
    if where is Landing.WANTED:
        return
    if where is Landing.SIGN_IN:
        raise SessionExpired(str(role))
    shot = shown_at(ctx, page, f"{role}-{where.value.replace('_', '-')}")
    ctx.evidence.log.warning("gate.stopped", account=str(role), landing=str(where), url=page.page.url, wanted=wanted)
    if where is Landing.TWO_FACTOR_SETUP:
        raise NeedsPerson(f"The {role} server requires two-factor authentication for {handle}, which has none set "
                          f"up: it sends the account to its two-factor setup page before any other settings{shot}",
                          needs="set_up_two_factor", role=str(role))
    if where is Landing.AUTH_SETUP:
        raise NeedsPerson(f"The {role} server has not activated {handle} yet: its e-mail address is not confirmed "
                          f"or the account waits for the server's approval{shot}",
                          needs="finish_account_setup", role=str(role))
    if where is Landing.ACCOUNT_SETTINGS:
        raise NeedsPerson(f"The {role} server lets {handle} into its account settings only, not into {wanted}: the "
                          f"account is disabled or cannot use its settings{shot}",
                          needs="account_unusable", role=str(role))
    raise NeedsPerson(f"The {role} server shows a page mastomove does not know ({_shown_url(page)}) instead of "
                      f"{wanted}{shot}", needs="look_at_page", role=str(role))


def _shown_url(page: MastodonPage) -> str:
    url = page.page.url
    return page.path if page.on_own_origin() else url.split("?")[0]


def check_usable(ctx: StepContext, role: Role, *, web_app_answer: str | None = None) -> ProfilePage:
    """Ask for a page only a usable account reaches; stop (changing nothing) when the server sends
    the account elsewhere. `web_app_answer`: the HTML the web app answered the sign-in with, when
    it landed there (the page still shows it): it says whether changed terms stand in front of the
    web app, so that no other request is needed for it. Returns the profile page, loaded."""
    page = view(ctx, role, ProfilePage)
    if web_app_answer is not None and terms_in_front(web_app_answer):
        _stop_for_terms(ctx, role, page)
    page.open(signed_in=False)
    where = landing(page, page.PATH)
    if where is Landing.ACCOUNT_SETTINGS and AccountSettingsPage(page.page, page.account).redirect_notice():
        return page  # up to 4.2 a moved account is kept to its account settings: it can still do what is left
    stop_for(ctx, role, page, where, page.PATH)
    if web_app_answer is None and web_app_blocked_by_terms(page):
        page.open(WEB_APP_PATH, signed_in=False)
        _stop_for_terms(ctx, role, page)
    return page


def _stop_for_terms(ctx: StepContext, role: Role, page: MastodonPage) -> None:
    """The web app shows the changed terms (on the page now): they are for the person to read."""
    handle = ctx.accounts[role].handle
    shot = shown_at(ctx, page, f"{role}-terms-changed")
    ctx.evidence.log.warning("gate.stopped", account=str(role), landing="terms_of_service_changed")
    raise NeedsPerson(f"The {role} server shows {handle} its changed terms of service before its web app: "
                      f"they are for the person to read (opening {TERMS_PATH} counts as having reviewed "
                      f"them){shot}", needs="review_terms", role=str(role))
