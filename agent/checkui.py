"""`mastomove check-ui`: run the shipped UI check suite (flows/checks) with pytest, in this process,
against the server of the test account, and leave JUnit XML, an HTML report and screenshots in
one output folder."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Sequence

from mastomove.agent.errors import ExitCode, MastomoveError
from mastomove.agent.person import ConsolePerson
from mastomove.agent.settings import Settings
from mastomove.agent.steps import Role

# pytest's exit codes, as mastomove's (agent.errors.ExitCode): 1 stays "a check failed".
_PYTEST_EXIT = {0: 0, 1: 1, 2: int(ExitCode.INTERRUPTED), 3: 3, 4: int(ExitCode.BAD_INPUT), 5: 5}


class _Given:
    """Hands the already-checked settings (passwords included) to the suite, never via argv."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def pytest_configure(self, config) -> None:
        from mastomove.flows.checks.plugin import SETTINGS_KEY

        config.stash[SETTINGS_KEY] = self.settings


def _clear(output: Path) -> None:
    """The folder holds one run: the previous run's files go (only the ones the suite writes)."""
    for name in ("report.html", "junit.xml"):
        (output / name).unlink(missing_ok=True)
    for name in ("screenshots", "traces", "artifacts", "destructive-migration", "destructive-migration-sessions"):
        shutil.rmtree(output / name, ignore_errors=True)


def run_check_ui(settings: Settings, *, base_url: str | None, output: Path, destructive: bool,
                 playwright_args: Sequence[str] = (), page_timeout: float | None = None,
                 pytest_args: Sequence[str] = (), person: ConsolePerson | None = None) -> int:
    person = person or ConsolePerson()
    try:
        import pytest

        import mastomove.flows.checks
    except ImportError as error:
        person.say(f"[red]check-ui needs pytest and pytest-playwright ({error.name} is missing)[/red]: "
                   "pip install 'mastomove[check]'")
        return int(ExitCode.BAD_INPUT)
    from mastomove.agent.accounts import account_for

    if base_url:
        settings = settings.model_copy(update={"old_url": base_url})
    try:  # checked (and passwords asked for) before a browser starts
        old = account_for(Role.OLD, settings, ask=person.ask_secret)
        settings = settings.model_copy(update={"old_password": old.password, "old_url": old.url})
        if settings.new_handle or destructive:
            new = account_for(Role.NEW, settings, ask=person.ask_secret, need_password=destructive)
            if destructive:
                settings = settings.model_copy(update={"new_password": new.password})
    except MastomoveError as error:
        person.say(f"[red]{error}[/red]")
        return int(error.exit_code)

    suite = Path(mastomove.flows.checks.__file__).resolve().parent
    output = output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    _clear(output)
    args = [
        "-p", "mastomove.flows.checks.plugin", "-p", "no:cacheprovider", "--rootdir", str(suite),
        *(["-c", str(suite / "pytest.ini")] if (suite / "pytest.ini").is_file() else []),
        str(suite), "--base-url", old.url, "--check-output", str(output),
        "--junitxml", str(output / "junit.xml"), "--output", str(output / "artifacts"),
        *(["--destructive"] if destructive else []),
        *(["--page-timeout", str(page_timeout)] if page_timeout else []),
        *playwright_args, *pytest_args,
    ]
    person.say(f"Checking {old.handle} on {old.url}" + (" [bold red](destructive)[/bold red]" if destructive else ""))
    code = int(pytest.main(args, plugins=[_Given(settings)]))
    person.say(f"Report: {output / 'report.html'} · JUnit: {output / 'junit.xml'}")
    return _PYTEST_EXIT.get(code, code)
