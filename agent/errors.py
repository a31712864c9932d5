"""Every way a run can end badly, with the message a person acts on and the exit code.

The CLI maps these to exit codes in one place (`exit_code_for`). Flows raise them; they never
print or exit themselves.
"""
from __future__ import annotations

from enum import IntEnum
from typing import Callable, TypeVar

T = TypeVar("T")


class ExitCode(IntEnum):
    OK = 0
    # 1 is left to Python for crashes we did not foresee.
    BAD_INPUT = 2  # nothing was changed on either server
    STOPPED_BEFORE_MOVE = 3  # stopped (error, decline, or pause); nothing irreversible done; resumable
    FAILED_AFTER_MOVE = 4  # the move was submitted; rerun to verify or finish
    INTERRUPTED = 130  # Ctrl-C; resumable


class MastomoveError(Exception):
    """Base: a message for the person, and what they can do about it. `settings`: the names of the
    settings (agent.settings.Settings) to check or give; the command line says how to give them
    (a flag, a MASTOMOVE_* variable), so flows never name either."""

    exit_code: ExitCode = ExitCode.STOPPED_BEFORE_MOVE

    def __init__(self, message: str, *, hint: str | None = None, settings: tuple[str, ...] = ()):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.settings = tuple(settings)

    def __str__(self) -> str:  # one clear line, plus the hint when there is one
        return self.message if not self.hint else f"{self.message} ({self.hint})"


# --- bad input: refused before anything happens ---------------------------------------------
class BadInput(MastomoveError):
    exit_code = ExitCode.BAD_INPUT


# --- stops before the irreversible step ------------------------------------------------------
class Stopped(MastomoveError):
    """A stop before the move: nothing irreversible happened, the run folder can be resumed."""

    exit_code = ExitCode.STOPPED_BEFORE_MOVE


class SignInRejected(Stopped):
    """The server refused the credentials or the two-factor code. Never retried: Mastodon
    throttles sign-ins per IP and e-mail."""


class NeedsPerson(Stopped):
    """The server wants a human (SSO, security key, captcha, a two-factor setup, a page we do not
    know). Flows say what is missing in plain words and name it in `needs`; the hint (which
    command, which setting) is added here, so that flows never name commands or variables."""

    def __init__(self, message: str, *, hint: str | None = None, needs: str | None = None,
                 role: str | None = None, settings: tuple[str, ...] = ()):
        super().__init__(message, hint=hint or how_to_go_on(needs, role), settings=settings)
        self.needs = needs
        self.role = role


# What a person does about a NeedsPerson, by its `needs`; {role} is old or new, {ROLE} OLD or NEW.
NEEDS_HINTS = {
    "sign_in_by_hand": "run `mastomove login {role}` and sign in in the browser window it opens, then run the "
                       "same command again",
    "password": "set MASTOMOVE_{ROLE}_PASSWORD, or sign in by hand with `mastomove login {role}`",
    "one_time_code": "set MASTOMOVE_{ROLE}_OTP_SECRET (the secret behind the QR code), or sign in by hand with "
                     "`mastomove login {role}`",
    "set_up_two_factor": "set up two-factor authentication for that account in your browser (Preferences > Account "
                         "> Two-factor authentication), keep the secret it shows as MASTOMOVE_{ROLE}_OTP_SECRET, "
                         "then run the same command again; nothing was changed",
    "finish_account_setup": "confirm the account's e-mail address (or wait for the server's approval), then run "
                            "the same command again; nothing was changed",
    "account_unusable": "sign in to that account in your browser to see what the server asks, then run the same "
                        "command again; nothing was changed",
    "look_at_page": "open that server in your browser and do what the page asks, or sign in by hand with "
                    "`mastomove login {role}`; then run the same command again. Nothing was changed",
    "review_terms": "sign in to that account in your browser and read the server's new terms of service (the "
                    "page it shows links to them), then run the same command again; nothing was changed",
}


def how_to_go_on(needs: str | None, role: str | None) -> str | None:
    text = NEEDS_HINTS.get(needs or "")
    if text is None:
        return None
    role = str(role or "old")
    return text.format(role=role, ROLE=role.upper())


class UnsafeOrigin(Stopped):
    """A credential was about to be typed into a page of another origin."""


class PreflightFailed(Stopped):
    """A check before the pause failed (locked target, cooldown, already moved, ...)."""


class MoveNotConfirmed(Stopped):
    """The person did not confirm the move (or no confirmation was possible)."""


class ImportRejected(Stopped):
    """The new server refused a CSV (its own error message is included)."""


class MoveRejected(Stopped):
    """The old server refused the move form for a reason retrying cannot fix."""


class PageChanged(Stopped):
    """A page did not have what Mastodon's page has (an element, a field, a URL)."""


class BrowserClosed(Stopped):
    """The browser window was closed, or the browser crashed, in the middle of the run."""


class GaveUp(Stopped):
    """An action's one retry budget is spent (agent.retry): nothing retries it again."""


# --- after the move --------------------------------------------------------------------------
class FailedAfterMove(MastomoveError):
    exit_code = ExitCode.FAILED_AFTER_MOVE


# --- transient: retried by agent.retry, never shown unless retries run out -------------------
class Transient(MastomoveError):
    """Worth another try: the side effect it interrupted must be checked before it is repeated."""


class ServerError(Transient):
    def __init__(self, status: int, url: str):
        super().__init__(f"The server answered {status} for {url}")
        self.status = status
        self.url = url


class RateLimited(Transient):
    def __init__(self, url: str, retry_after: float | None):
        wait = f"; it asks to wait {retry_after:.0f} s" if retry_after else ""
        super().__init__(f"The server is rate-limiting requests to {url}{wait}")
        self.url = url
        self.retry_after = retry_after


class SessionExpired(Transient):
    def __init__(self, role: str):
        super().__init__(f"The {role} account's session has expired; signing in again")
        self.role = role


class FormRejected(Transient):
    """The server rejected a form's security token (HTTP 422); reload the form and try again."""


class ConnectionFailed(Transient):
    """The connection dropped or timed out."""


class NotAnAliasYet(Transient):
    """The old server does not see the alias yet (it caches the new account for up to a day)."""


# --- Playwright's errors, as these: the one place ----------------------------------------------
NETWORK_MARKERS = ("net::ERR_", "NS_ERROR_", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH",
                   "ENOTFOUND", "socket hang up", "Connection closed", "Request timed out",
                   # A load that timed out still arrives later and cuts off the retry's navigation.
                   "is interrupted by another navigation")
CLOSED_MARKERS = ("has been closed", "Browser closed", "Target closed", "Target crashed")
# Timeouts of calls that wait for a server (a page load, a request, a response, a download) rather
# than for an element of a page that has loaded.
SERVER_WAITS = ("Page.goto", "Page.reload", "Page.go_back", "Page.go_forward", "Page.wait_for_url",
                "Page.wait_for_load_state", "Page.wait_for_navigation", "Page.expect_", "Frame.goto",
                "Frame.wait_for_url", "Frame.wait_for_load_state", "Frame.expect_", "BrowserContext.expect_",
                "APIRequestContext.", "waiting for event", "navigating to",
                # a click whose element was clicked, then waited for the page it sent for
                "waiting for scheduled navigations")


def from_playwright(error: BaseException, *, url: str | None = None) -> BaseException:
    """Playwright's error as an agent error, by one rule wherever it is caught: a closed browser
    stops the run (BrowserClosed); a dropped connection, and a timeout waiting for a server, are
    worth another try (ConnectionFailed); a timeout waiting for an element, and any other browser
    error, mean the page is not the one expected (PageChanged). Anything else is returned as it is."""
    if isinstance(error, MastomoveError):
        return error
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout
    except ImportError:  # pragma: no cover
        return error
    if not isinstance(error, PlaywrightError):
        return error
    text = str(error)
    first_line = text.splitlines()[0] if text.strip() else type(error).__name__
    where = f"{url}: " if url else ""
    if any(marker in text for marker in CLOSED_MARKERS):
        return BrowserClosed("The browser was closed (or crashed) during the run",
                             hint="nothing is lost: run the same command again to continue where it stopped")
    if isinstance(error, PlaywrightTimeout):
        if any(marker in text for marker in SERVER_WAITS):
            return ConnectionFailed(f"{where}the server did not answer in time ({first_line})")
        return PageChanged(f"{where}a page did not show what was expected in time ({first_line})")
    if any(marker in text for marker in NETWORK_MARKERS):
        return ConnectionFailed(f"{where}the connection failed ({first_line})")
    return PageChanged(f"{where}a page did not behave as expected ({first_line})")


def translated(action: Callable[[], T]) -> Callable[[], T]:
    """`action`, raising agent errors where Playwright raised its own (`from_playwright`)."""

    def run() -> T:
        try:
            return action()
        except Exception as error:  # noqa: BLE001 - translated, or raised as it is
            converted = from_playwright(error)
            if converted is error:
                raise
            raise converted from error

    return run


def exit_code_for(error: BaseException) -> ExitCode:
    if isinstance(error, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    if isinstance(error, MastomoveError):
        return error.exit_code
    return ExitCode.STOPPED_BEFORE_MOVE
