"""One run of a command against two accounts: its folder (named in one place), log, state,
browser and step context, closed in one place; and how a command's block ends on Ctrl-C or a
MastomoveError."""
from __future__ import annotations

import re
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from mastomove.agent.errors import ExitCode, MastomoveError
from mastomove.agent.person import ConsolePerson
from mastomove.agent.settings import Settings
from mastomove.agent.steps import Account, Role, Step

if TYPE_CHECKING:
    from mastomove.agent.confirmation import Confirmation

RUNS = Path("runs")


def run_folder_name(old: object, new: object) -> str:
    """`<old>-to-<new>`, safe as a folder name: the run folder of one migration, wherever it lives."""
    return re.sub(r"[^A-Za-z0-9_.@-]+", "_", f"{old}-to-{new}")


def default_run_dir(accounts: dict[Role, Account]) -> Path:
    return RUNS / run_folder_name(accounts[Role.OLD].handle, accounts[Role.NEW].handle)


def run_dir_of(settings: Settings, accounts: dict[Role, Account]) -> Path:
    """The migration's folder: --run-dir, else runs/<old>-to-<new>. Plan, login and watch keep
    their files in a folder inside it."""
    return settings.run_dir or default_run_dir(accounts)


def session_files(settings: Settings, accounts: dict[Role, Account]) -> dict[str, Path]:
    return {role.value: settings.session_dir / f"{role.value}-{account.handle}.json" for role, account in accounts.items()}


def sigterm_as_interrupt() -> None:
    if threading.current_thread() is not threading.main_thread():
        return  # a batch worker: the batch's main thread handles signals

    def handler(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


class Run:
    """Everything one run owns: folder, log, state, browser, context. Closed in one place."""

    def __init__(self, settings: Settings, accounts: dict[Role, Account], person: ConsolePerson, run_dir: Path):
        from mastomove.agent.browser import BrowserConfig, BrowserSession
        from mastomove.agent.evidence import Evidence
        from mastomove.agent.runner import RunContext
        from mastomove.agent.state import RunState

        self.settings = settings
        self.accounts = accounts
        self.person = person
        self.run_dir = run_dir
        self.evidence = Evidence(run_dir, screenshots=settings.screenshots, full_page=settings.full_page_screenshots)
        for account in accounts.values():
            self.evidence.redact(*(s.get_secret_value() for s in (account.password, account.otp_secret) if s))
        person.redact = self.evidence.redactor.scrub_text  # what the person reads is redacted too
        self.state = RunState.open(run_dir / "state.json", old=str(accounts[Role.OLD].handle),
                                   new=str(accounts[Role.NEW].handle), scrub=self.evidence.redactor.scrub)
        config = BrowserConfig.load()
        config.headless = not settings.headed and config.headless
        if settings.slow_mo is not None:
            config.slow_mo = settings.slow_mo
        self.watchalong = None
        if settings.watch_along if settings.watch_along is not None else not config.headless:
            from mastomove.agent.watchalong import WatchAlong

            self.watchalong = WatchAlong(lead_ms=settings.slow_mo or 250)
            person.observers.append(self.watchalong.show)
        self.browser = BrowserSession(
            config, run_dir=run_dir, session_files=session_files(settings, accounts),
            trace=settings.trace, video=settings.video, on_context=self._on_context,
        )
        self.ctx = RunContext(settings=settings, accounts=accounts, evidence=self.evidence, person=person,
                              state=self.state, pages=lambda role: self.browser.page(role.value))

    def _on_context(self, role: str, context: Any) -> None:
        if self.settings.trace:
            self.evidence.watch_tracing(context)
        if self.watchalong is not None:
            self.watchalong.attach(context)

    def close(self) -> None:
        if self.watchalong is not None:
            self.watchalong.detach()
            if self.watchalong.show in self.person.observers:
                self.person.observers.remove(self.watchalong.show)
        self.person.close()
        self.browser.close()
        self.evidence.close()


def open_run(settings: Settings, person: ConsolePerson, *, sub: str | None = None, need_password: bool = True,
             confirmation: "Confirmation | None" = None) -> Run:
    """Check the input (asking for missing passwords; a confirmation given in advance must name the
    new account), then open the run folder (`sub`: a folder inside the migration's own, for plan,
    login and watch)."""
    from mastomove.agent.accounts import accounts_for

    accounts = accounts_for(settings, ask=person.ask_secret, need_password=need_password)
    if confirmation is not None:
        confirmation.check(accounts[Role.NEW].handle)
    run_dir = run_dir_of(settings, accounts)
    return Run(settings, accounts, person, run_dir / sub if sub else run_dir)


def rebuild_report(run_dir: Path, redact: Callable[[str], str] | None = None, *,
                   steps: "Sequence[Step]" = ()) -> Path | None:
    """Build the run folder's report again (a migration's: it has a state file), redacted by `redact`
    once rendered, with the sections of the plan's `steps`; the command's outcome stands without it."""
    if not (run_dir / "state.json").is_file():
        return None
    from mastomove.agent.report import write_report

    try:
        return write_report(run_dir, redact, steps)
    except Exception:  # noqa: BLE001 - the outcome stands without its report
        return None


class Stops:
    """`with Stops(person) as stops:` ends a command's block on Ctrl-C or a MastomoveError, says
    the error in one line, and keeps the exit code in `stops.code` (None while nothing stopped)."""

    def __init__(self, person: ConsolePerson):
        self.person = person
        self.code: int | None = None

    def __enter__(self) -> "Stops":
        return self

    def __exit__(self, kind, error, _traceback) -> bool:
        if kind is not None and issubclass(kind, KeyboardInterrupt):
            self.code = int(ExitCode.INTERRUPTED)
            return True
        if isinstance(error, MastomoveError):
            from mastomove.agent.commands.options import told

            self.person.say(told(error), "red")
            self.code = int(error.exit_code)
            return True
        return False
