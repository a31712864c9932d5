"""Every way a run can end badly, with the message a person acts on and the exit code.

The CLI maps these to exit codes in one place (`exit_code_for`). Flows raise them; they never
print or exit themselves.
"""
from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    # 1 is left to Python for crashes we did not foresee.
    BAD_INPUT = 2  # nothing was changed on either server
    STOPPED_BEFORE_MOVE = 3  # stopped (error, decline, or pause); nothing irreversible done; resumable
    FAILED_AFTER_MOVE = 4  # the move was submitted; rerun to verify or finish
    INTERRUPTED = 130  # Ctrl-C; resumable


class MastomoveError(Exception):
    """Base: a message for the person, and what they can do about it."""

    exit_code: ExitCode = ExitCode.STOPPED_BEFORE_MOVE

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

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
                 role: str | None = None):
        super().__init__(message, hint=hint or how_to_go_on(needs, role))
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
    "move_password": "set MASTOMOVE_OLD_PASSWORD, or run mastomove in a terminal to type it",
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


def exit_code_for(error: BaseException) -> ExitCode:
    if isinstance(error, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    if isinstance(error, MastomoveError):
        return error.exit_code
    return ExitCode.STOPPED_BEFORE_MOVE
