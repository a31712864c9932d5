"""Flags shared by the commands, and Settings built from the flags a person actually gave.

A flag given on the command line wins over the environment and .env whatever its value (0 and
False included); a flag not given leaves the environment's value alone.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Callable, Optional

import typer

if TYPE_CHECKING:
    from mastomove.agent.confirmation import Confirmation
    from mastomove.agent.person import ConsolePerson
    from mastomove.agent.settings import Settings

ACCOUNT = "Accounts (or MASTOMOVE_* environment variables / .env)"
RUN = "Run"


def option(flag: str, help: str, panel: str = ACCOUNT) -> Any:
    return typer.Option(flag, help=help, rich_help_panel=panel, show_default=False)


def switch(flag: str, help: str, panel: str = RUN) -> Any:
    return typer.Option(flag, help=help, rich_help_panel=panel)


OldHandle = Annotated[Optional[str], option("--old-handle", "Old account, user@old.example [MASTOMOVE_OLD_HANDLE]")]
OldUrl = Annotated[Optional[str], option("--old-url", "Old server's web address if not https://<handle domain> [MASTOMOVE_OLD_URL]")]
OldEmail = Annotated[Optional[str], option("--old-email", "E-mail to sign in to the old account [MASTOMOVE_OLD_EMAIL]")]
NewHandle = Annotated[Optional[str], option("--new-handle", "New account, user@new.example [MASTOMOVE_NEW_HANDLE]")]
NewUrl = Annotated[Optional[str], option("--new-url", "New server's web address if not https://<handle domain> [MASTOMOVE_NEW_URL]")]
NewEmail = Annotated[Optional[str], option("--new-email", "E-mail to sign in to the new account [MASTOMOVE_NEW_EMAIL]")]
RunDir = Annotated[Optional[Path], option("--run-dir", "Run folder; the same folder again resumes [MASTOMOVE_RUN_DIR]", RUN)]
Headed = Annotated[bool, switch("--headed", "Show the browser window.")]
SlowMo = Annotated[Optional[float], option("--slow-mo", "Slow every browser action by this many milliseconds.", RUN)]
Insecure = Annotated[bool, switch("--allow-insecure-http", "Accept plain http:// for non-loopback servers.")]
Trace = Annotated[bool, switch("--trace", "Record a Playwright trace (no DOM snapshots: they keep typed passwords).")]
Video = Annotated[bool, switch("--video", "Record a video of each account's browser.")]
SkipBackup = Annotated[bool, switch("--skip-backup", "Do not save the old account's notifications, private mentions and archive before the move (they are unreachable after it).")]
UnlockNew = Annotated[bool, switch("--unlock-new-account", "If the new account needs follow approval, switch that off before the move.")]
AliasWait = Annotated[Optional[float], option("--alias-wait-hours", "How long to keep retrying while the old server does not see the alias yet (default 24; 0: do not wait).", RUN)]
ConfirmMove = Annotated[Optional[str], option("--confirm-move", "Answer the pause in advance: the new handle, exactly.", RUN)]

# Flags whose setting has another name or unit.
CONVERTED: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "overwrite": ("import_mode", lambda on: "overwrite" if on else "merge"),
    "alias_wait_hours": ("alias_wait_seconds", lambda hours: hours * 3600),
    "base_url": ("old_url", lambda url: url),
}


def settings_from(ctx: typer.Context, *, not_settings: tuple[str, ...] = (), **fixed: Any) -> "Settings":
    """Settings from the flags given on the command line (whatever their value) over the
    environment and .env; `fixed`: values the command sets itself. `not_settings`: flags of the
    command that share a setting's name but mean something else."""
    from mastomove.agent.settings import Settings

    given: dict[str, Any] = {}
    for name, value in ctx.params.items():
        source = ctx.get_parameter_source(name)
        # (typer ships its own click: the source is compared by name, whichever click made it)
        if name in not_settings or getattr(source, "name", None) != "COMMANDLINE":
            continue
        field, convert = CONVERTED.get(name, (name, lambda same: same))
        if field in Settings.model_fields:
            given[field] = convert(value)
    return Settings(**{**given, **fixed})


# Settings a flag can give (the others: the MASTOMOVE_* variable, .env, or a prompt for passwords).
FLAGS = {"old_handle": "--old-handle", "old_url": "--old-url", "old_email": "--old-email",
         "new_handle": "--new-handle", "new_url": "--new-url", "new_email": "--new-email", "run_dir": "--run-dir",
         "announcement": "--announcement", "unlock_new_account": "--unlock-new-account",
         "skip_backup": "--skip-backup", "alias_wait_seconds": "--alias-wait-hours", "slow_mo": "--slow-mo"}


def how_to_give(setting: str) -> str:
    variable = f"MASTOMOVE_{setting.upper()}"
    return f"{FLAGS[setting]} or {variable}" if setting in FLAGS else variable


def told(error: BaseException) -> str:
    """An error as the person reads it: its message and hint, then how to give the settings it
    names (flows name what is missing; the command line knows how it is given)."""
    settings = getattr(error, "settings", ())
    return str(error) + (f" [{'; '.join(how_to_give(name) for name in settings)}]" if settings else "")


def confirmation_from(flag_value: str | None, person: "ConsolePerson") -> "Confirmation | None":
    """--confirm-move when given; else the environment's, only with its explicit opt-in (a warning
    says when a MASTOMOVE_CONFIRM_MOVE is ignored)."""
    from mastomove.agent.confirmation import from_environment, from_flag

    if flag_value is not None:
        return from_flag(flag_value)
    confirmation, warning = from_environment()
    if warning:
        person.say(warning, "yellow")
    return confirmation
