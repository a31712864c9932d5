"""`mastomove check-ui`: the shipped UI check suite (flows/checks) run with pytest in this process
against the server of the test account; JUnit XML, an HTML report and screenshots in one
owner-only output folder. Passwords reach the suite through the plugin, never argv, and never
its reports (the plugin redacts them)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional, Sequence

import typer

from mastomove.agent.commands.options import (RUN, Headed, Insecure, NewEmail, NewUrl, OldEmail, option,
                                              settings_from, switch)

# pytest's exit codes, as mastomove's (agent.errors.ExitCode): 1 stays "a check failed".
PYTEST_EXIT = {0: 0, 1: 1, 2: 130, 3: 3, 4: 2, 5: 5}
# Flags handed on to pytest-playwright as they are.
PLAYWRIGHT_FLAGS = ("browser_channel", "slowmo", "tracing", "screenshot", "video")


def check_ui(
    ctx: typer.Context,
    base_url: Annotated[Optional[str], option("--base-url", "The server under test [MASTOMOVE_OLD_URL, default https://<handle domain>]", RUN)] = None,
    old_handle: Annotated[Optional[str], option("--old-handle", "The test account, user@server.example [MASTOMOVE_OLD_HANDLE]")] = None,
    old_email: OldEmail = None,
    new_handle: Annotated[Optional[str], option("--new-handle", "Another existing account that is not an alias of the test account; with --destructive, the one it moves to [MASTOMOVE_NEW_HANDLE]")] = None,
    new_url: NewUrl = None, new_email: NewEmail = None,
    output: Annotated[Path, switch("--output", "Folder for report.html, junit.xml and screenshots (replaced every run).")] = Path("check-ui-results"),
    destructive: Annotated[bool, switch("--destructive", "Also move the test account to the new account for real, end to end. [bold]Only with two throwaway accounts.[/bold]")] = False,
    headed: Headed = False,
    browser_channel: Annotated[Optional[str], option("--browser-channel", "Browser channel, e.g. chrome or msedge.", RUN)] = None,
    slowmo: Annotated[Optional[int], option("--slowmo", "Slow every browser action by this many milliseconds.", RUN)] = None,
    tracing: Annotated[Optional[str], option("--tracing", "Playwright trace per check: on, off, retain-on-failure (nothing is recorded while a password is typed).", RUN)] = None,
    screenshot: Annotated[Optional[str], option("--screenshot", "pytest-playwright's screenshot at the end of each check: on, off, only-on-failure.", RUN)] = None,
    video: Annotated[Optional[str], option("--video", "Video per check: on, off, retain-on-failure.", RUN)] = None,
    page_timeout: Annotated[Optional[float], option("--page-timeout", "Seconds a page or action may take before its check fails.", RUN)] = None,
    allow_insecure_http: Insecure = False,
) -> None:
    """Check that account migration still works through this server's web pages: sign-in (and
    two-factor), the settings navigation, every export, the import form up to its confirmation
    (cancelled), and the alias and move forms' errors. [bold]Changes nothing[/bold] unless --destructive.
    The password comes from MASTOMOVE_OLD_PASSWORD or a prompt. Arguments it does not know go to
    pytest (e.g. -k export -x). Exit code 0: all checks passed; 1: a check failed (see the report)."""
    passed = [f"--{name.replace('_', '-')}={ctx.params[name]}" for name in PLAYWRIGHT_FLAGS
              if ctx.params[name] is not None]
    raise typer.Exit(run_check_ui(settings_from(ctx, not_settings=PLAYWRIGHT_FLAGS), output=output,
                                  destructive=destructive, playwright_args=passed + (["--headed"] if headed else []),
                                  page_timeout=page_timeout, pytest_args=list(ctx.args)))


class _Given:
    """Hands the already-checked settings (passwords included) to the suite, never via argv."""

    def __init__(self, settings):
        self.settings = settings

    def pytest_configure(self, config) -> None:
        from mastomove.flows.checks.plugin import SETTINGS_KEY

        config.stash[SETTINGS_KEY] = self.settings


def _clear(output: Path) -> None:
    """The folder holds one run: the previous run's files go (only the ones the suite writes)."""
    import shutil

    for name in ("report.html", "junit.xml"):
        (output / name).unlink(missing_ok=True)
    for name in ("screenshots", "traces", "artifacts", "destructive-migration", "destructive-migration-sessions"):
        shutil.rmtree(output / name, ignore_errors=True)


def run_check_ui(settings, *, output: Path, destructive: bool, playwright_args: Sequence[str] = (),
                 page_timeout: float | None = None, pytest_args: Sequence[str] = (), person=None) -> int:
    from mastomove.agent.errors import ExitCode, MastomoveError
    from mastomove.agent.files import private_dir
    from mastomove.agent.person import ConsolePerson
    from mastomove.agent.steps import Role

    person = person or ConsolePerson()
    try:
        import pytest

        import mastomove.flows.checks
    except ImportError as error:
        person.say(f"check-ui needs pytest and pytest-playwright ({error.name} is missing): "
                   "pip install 'mastomove[check]'", "red")
        return int(ExitCode.BAD_INPUT)
    from mastomove.agent.accounts import account_for

    try:  # checked (and passwords asked for) before a browser starts
        old = account_for(Role.OLD, settings, ask=person.ask_secret)
        settings = settings.model_copy(update={"old_password": old.password, "old_url": old.url})
        if settings.new_handle or destructive:
            new = account_for(Role.NEW, settings, ask=person.ask_secret, need_password=destructive)
            if destructive:
                settings = settings.model_copy(update={"new_password": new.password})
    except MastomoveError as error:
        from mastomove.agent.commands.options import told

        person.say(told(error), "red")
        return int(error.exit_code)

    suite = Path(mastomove.flows.checks.__file__).resolve().parent
    output = private_dir(output.resolve())
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
    person.say(f"Checking {old.handle} on {old.url}" + (" (destructive)" if destructive else ""))
    code = int(pytest.main(args, plugins=[_Given(settings)]))
    person.say(f"Report: {output / 'report.html'} · JUnit: {output / 'junit.xml'}")
    return PYTEST_EXIT.get(code, code)
