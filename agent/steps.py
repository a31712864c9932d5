"""The contract between the runner (agent/) and the steps of a migration (flows/).

The runner knows steps only through this module: their names, whether they are irreversible, and
`run`/`verify`. It knows nothing of Mastodon's pages.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ClassVar, ContextManager, Protocol, Sequence, TypeVar

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


# --- what a step returns, and what it contributes to the report and the summary ------------------
@dataclass(kw_only=True)
class StepResult:
    """What a step returns. Each step module defines its own subclass (one dataclass per step, its
    fields read by attribute, never by key), saved as JSON in the state file and read back typed
    (agent.results). `step` names the step that returns it; `report`: its lines for people.

    Every field has a default, so that a result saved by an older mastomove (a field it did not
    have) still loads; a key no field has any more is ignored."""

    step: ClassVar[str] = ""
    report: list[str] = field(default_factory=list)


R = TypeVar("R", bound=StepResult)


class Results(Protocol):
    """The results of a run's steps, typed: `results.of(ExportResult)` is the export step's result,
    or None when that step has not finished (or its saved result no longer reads)."""

    def of(self, kind: type[R]) -> R | None: ...


@dataclass(frozen=True)
class Cell:
    """One cell of a report table: text (never markup) and how it reads."""

    text: str = ""
    tone: str = ""  # "" | "ok" | "bad" | "muted"
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    columns: list[Cell]  # the header row (numeric: right-aligned)
    rows: list[list[Cell]]
    name: str = ""  # a class for the table in the page ("counts")


@dataclass(frozen=True)
class Section:
    """A step's part of the report, in generic pieces that agent.report renders without knowing
    what they are about: a heading, a table, lines of text after it."""

    title: str
    table: Table | None = None
    lines: list[Cell] = field(default_factory=list)


@dataclass(frozen=True)
class FollowUp:
    """Something left to the person after a run, and how to finish it. `kind` is stable (tests and
    batch tools read it); `list`: the list it is about; `accounts`/`count` when it names accounts."""

    kind: str
    what: str
    how: str
    list: str | None = None
    accounts: Sequence[str] | None = None
    count: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (summary.json, batch.json): the fields that are set."""
        return {key: (list(value) if key == "accounts" else value)
                for key, value in asdict(self).items() if value is not None}


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

    def result_of(self, kind: type[R]) -> R | None:
        """The result an earlier step returned, typed (`ctx.result_of(ExportResult)`); None if that
        step has not finished."""


class Step(Protocol):
    name: str  # stable: checkpoint key and screenshot prefix ("sign_in", "export", ...)
    title: str  # for people: "Download every CSV from the old account"
    irreversible: bool  # the runner pauses for confirmation before such a step
    result_type: type[StepResult]  # what `run` returns; its `step` is this step's name

    def run(self, ctx: StepContext) -> StepResult:
        """Do the step. Reads the server's state first and does only what is missing, so a rerun
        after an interruption never repeats a side effect. Returns its result (a `result_type`)."""

    def verify(self, ctx: StepContext) -> bool:
        """On resume: is this completed step still done? Changes nothing. Reads the UI where the
        move's safety depends on it (sign-in, alias, the migration page); a step nothing later
        depends on may trust its saved result and files instead (no page loaded)."""


class Reporting(Protocol):
    """What a step may add besides its report lines (both optional, looked up by name): its part of
    the report page, and what it leaves to the person. `result` is its own result (None when it has
    not finished); `results` the others', for a step whose part needs an earlier step's."""

    def report_section(self, result: Any, results: Results) -> Section | None: ...

    def followups(self, result: Any, results: Results) -> list[FollowUp]: ...


# A step's report line about something kept for the person (the pause lists these apart).
SAVED = "Saved: "


@dataclass
class Plan:
    steps: list[Step]
    sign_in: Callable[[StepContext, Role], None]  # used again when a session expires mid-step
    inspect: Callable[[StepContext], dict[str, Any]] | None = None  # read-only, for `mastomove plan`
