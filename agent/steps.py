"""The contract between the runner (agent/) and the steps of a migration (flows/).

The runner knows steps only through this module: their names, whether they are irreversible, and
`run`/`verify`. It knows nothing of Mastodon's pages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Protocol, Sequence

from mastomove.agent.errors import BadInput

if TYPE_CHECKING:  # keep Playwright out of start-up
    from playwright.sync_api import Locator, Page
    from pydantic import SecretStr
    from structlog.stdlib import BoundLogger


class Role(StrEnum):
    OLD = "old"
    NEW = "new"


_HANDLE = re.compile(r"^@?(?P<username>[A-Za-z0-9_]+(?:[.-]+[A-Za-z0-9_]+)*)@(?P<domain>[A-Za-z0-9.-]+\.[A-Za-z0-9-]+(?::\d+)?)$")


@dataclass(frozen=True)
class Handle:
    """A Mastodon handle, `username@domain` (a leading @ is accepted and dropped)."""

    username: str
    domain: str

    @classmethod
    def parse(cls, text: str) -> "Handle":
        match = _HANDLE.match((text or "").strip())
        if not match:
            raise BadInput(
                f"{text!r} is not a Mastodon handle",
                hint="write it as username@server.example, e.g. alice@mastodon.social",
            )
        return cls(match["username"], match["domain"].lower())

    def __str__(self) -> str:
        return f"{self.username}@{self.domain}"

    def same_account(self, other: "Handle") -> bool:
        return self.username.lower() == other.username.lower() and self.domain == other.domain


@dataclass
class Account:
    """One side of the move, as configured."""

    role: Role
    handle: Handle
    url: str  # the web address of the server, no trailing slash (may differ from the handle's domain)
    email: str
    password: "SecretStr | None" = None
    otp_secret: "SecretStr | None" = None

    @property
    def origin(self) -> str:
        from urllib.parse import urlsplit

        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"


class Evidence(Protocol):
    """The run folder: screenshots, the JSON log, files the steps keep."""

    log: "BoundLogger"

    def screenshot(self, page: "Page", action: str, *, mask: Sequence["Locator"] = ()) -> Path | None:
        """Numbered screenshot named after the current step and `action`; password and one-time-code
        fields are always masked."""

    def path(self, *parts: str) -> Path:
        """A path inside the run folder (parents created)."""

    def secret_entry(self, page: "Page") -> ContextManager[None]:
        """Wrap every fill of a password or one-time code: the trace records nothing inside it,
        and the screenshot after it is taken once the page has moved on or the field is masked."""


class Person(Protocol):
    """The human watching (or not): messages, progress, and the one question before the move."""

    def say(self, text: str, style: str | None = None) -> None:
        """A line of plain text (never read as markup), in a Rich style if given."""

    def progress(self, label: str, done: int, total: int | None) -> None: ...

    def waiting(self, what: str, seconds: float) -> None:
        """About to wait `seconds` for `what` (shown with the time of the next try)."""

    def confirm_move(self, report: Sequence[str], new_handle: str) -> bool:
        """Show what was verified and ask the person to type the new handle."""


class StepContext(Protocol):
    settings: Any  # agent.settings.Settings
    accounts: dict[Role, Account]
    evidence: Evidence
    person: Person

    def page(self, role: Role) -> "Page":
        """The browser page of that account (one context per account, one browser)."""

    @property
    def notes(self) -> dict[str, Any]:
        """This step's persistent scratchpad: saved in the state file with `save_notes()`, there
        again after an interruption. Write down what was submitted *before* waiting on its effect."""

    def save_notes(self) -> None: ...

    def result_of(self, step_name: str) -> dict[str, Any]:
        """The result an earlier step returned (empty if it has not run)."""


class Step(Protocol):
    name: str  # stable: checkpoint key and screenshot prefix ("sign_in", "export", ...)
    title: str  # for people: "Download every CSV from the old account"
    irreversible: bool  # the runner pauses for confirmation before such a step

    def run(self, ctx: StepContext) -> dict[str, Any]:
        """Do the step. Reads the server's state first and does only what is missing, so a rerun
        after an interruption never repeats a side effect. Returns a JSON-able result."""

    def verify(self, ctx: StepContext) -> bool:
        """On resume: is this completed step still done? Reads the UI; changes nothing."""


# A step's report line about something kept for the person (the pause lists these apart).
SAVED = "Saved: "


@dataclass
class Plan:
    steps: list[Step]
    sign_in: Callable[[StepContext, Role], None]  # used again when a session expires mid-step
    inspect: Callable[[StepContext], dict[str, Any]] | None = None  # read-only, for `mastomove plan`
    # What is left to the person, from the steps' results: [{"what": ..., "how": ...}, ...]
    followups: Callable[[dict[str, dict[str, Any]]], list[dict[str, Any]]] | None = None
