"""Where a signed-in account lands when it asks for a settings page, and what that means.

Mastodon lets an account use its settings only while it is "functional" (ApplicationController#
require_functional!, app/models/user.rb): otherwise every such page redirects:
- to the two-factor setup, /settings/two_factor_authentication_methods and from there
  /settings/otp_authentication, when an admin requires two-factor authentication for the account's
  role and it has none (4.6+, `User#missing_2fa?`, #37701);
- to /auth/setup while its e-mail address is unconfirmed or the account awaits approval;
- to /auth/edit (account settings) when it is disabled, or, up to 4.2, when it has moved;
- to /auth/sign_in when the session is gone.
Account settings, aliases, migration and export skip that check: only a page that requires it
(the profile page, the import page, the web app) shows whether the account is usable.

The web app (4.4+) has one more: while the server's terms of service have changed and the
person has not looked at them, every web app page answers with the interstitial "The terms of
service of <domain> are changing" (WebAppControllerConcern#redirect_to_tos_interstitial!, same URL,
status 200), whose only way on is the link to /terms-of-service (opening it counts as reviewing).

Anything else is a page the agent does not know: it stops and says so, with a screenshot.
"""
from __future__ import annotations

import re
from enum import StrEnum

from mastomove.flows.pages.base import ACCOUNT_SETTINGS_PATH, SIGN_IN_PATH, MastodonPage

TWO_FACTOR_SETUP_PATHS = ("/settings/two_factor_authentication_methods", "/settings/otp_authentication",
                          "/settings/two_factor_authentication")
AUTH_SETUP_PATH = "/auth/setup"
WEB_APP_PATH = "/home"
WEB_APP_PATHS = ("/home", "/web", "/deck", "/start")
TERMS_PATH = "/terms-of-service"
_LINK_TO_TERMS = re.compile(r"""<a\b[^>]*\bhref=["'](?:https?://[^/"']+)?/terms-of-service["'>]""", re.I)


class Landing(StrEnum):
    WANTED = "wanted"  # the page asked for
    SIGN_IN = "sign_in"
    TWO_FACTOR_SETUP = "two_factor_setup"
    AUTH_SETUP = "auth_setup"  # e-mail unconfirmed or approval pending
    ACCOUNT_SETTINGS = "account_settings"  # disabled (or moved, up to 4.2)
    UNKNOWN = "unknown"


def landing(page: MastodonPage, wanted: str) -> Landing:
    """Classify the page `page` shows after asking for `wanted` (a path of the account's server)."""
    if page.on(wanted):
        return Landing.WANTED
    if not page.on_own_origin():
        return Landing.UNKNOWN
    if page.on(SIGN_IN_PATH):
        return Landing.SIGN_IN
    if any(page.path.startswith(path) for path in TWO_FACTOR_SETUP_PATHS):
        return Landing.TWO_FACTOR_SETUP
    if page.on(AUTH_SETUP_PATH):
        return Landing.AUTH_SETUP
    if page.on(ACCOUNT_SETTINGS_PATH):
        return Landing.ACCOUNT_SETTINGS
    return Landing.UNKNOWN


def is_web_app(page: MastodonPage) -> bool:
    """Is `page` on one of the web app's own URLs (where Mastodon sends a person after signing in)?"""
    return page.on_own_origin() and (page.on("/") or any(page.on(path) or page.path.startswith(path + "/")
                                                         for path in WEB_APP_PATHS))


def terms_in_front(html: str) -> bool:
    """Is this web app answer (the server's HTML, not the page the app's script builds, whose footer
    links to the terms as well) the changed-terms interstitial? It links to /terms-of-service, which
    the app's own server-rendered page never does."""
    return bool(_LINK_TO_TERMS.search(html))


def web_app_blocked_by_terms(page: MastodonPage) -> bool:
    """Does the web app answer with the changed-terms interstitial? (Read with the session's own
    request, the page stays where it is.)"""
    response = page.fetch(page.url_for(WEB_APP_PATH))
    if not response.ok or not page.same_server(response.url):
        return False
    return terms_in_front(response.text())
