"""`mastomove`: move a Mastodon account to another server through its web UI.

Thin: each command turns flags into Settings and calls one function of agent.app. Nothing heavy
(Playwright, the flows) is imported until a command runs, so `--help` is instant.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(
    name="mastomove",
    help="Move a Mastodon account to another server through Mastodon's own web pages, "
    "with a screenshot at every step and a pause before the move.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

_ACCOUNT = "Accounts (or MASTOMOVE_* environment variables / .env)"
_RUN = "Run"


def _opt(flag: str, help: str, panel: str = _ACCOUNT):
    return typer.Option(flag, help=help, rich_help_panel=panel, show_default=False)


OldHandle = Annotated[Optional[str], _opt("--old-handle", "Old account, user@old.example [MASTOMOVE_OLD_HANDLE]")]
OldUrl = Annotated[Optional[str], _opt("--old-url", "Old server's web address if not https://<handle domain> [MASTOMOVE_OLD_URL]")]
OldEmail = Annotated[Optional[str], _opt("--old-email", "E-mail to sign in to the old account [MASTOMOVE_OLD_EMAIL]")]
NewHandle = Annotated[Optional[str], _opt("--new-handle", "New account, user@new.example [MASTOMOVE_NEW_HANDLE]")]
NewUrl = Annotated[Optional[str], _opt("--new-url", "New server's web address if not https://<handle domain> [MASTOMOVE_NEW_URL]")]
NewEmail = Annotated[Optional[str], _opt("--new-email", "E-mail to sign in to the new account [MASTOMOVE_NEW_EMAIL]")]
RunDir = Annotated[Optional[Path], _opt("--run-dir", "Run folder; the same folder again resumes [MASTOMOVE_RUN_DIR]", _RUN)]
Headed = Annotated[bool, typer.Option("--headed", help="Show the browser window.", rich_help_panel=_RUN)]
SlowMo = Annotated[Optional[float], _opt("--slow-mo", "Slow every browser action by this many milliseconds.", _RUN)]
Insecure = Annotated[bool, typer.Option("--allow-insecure-http", help="Accept plain http:// for non-loopback servers.", rich_help_panel=_RUN)]
Trace = Annotated[bool, typer.Option("--trace", help="Record a Playwright trace (no DOM snapshots: they keep typed passwords).", rich_help_panel=_RUN)]
Video = Annotated[bool, typer.Option("--video", help="Record a video of each account's browser.", rich_help_panel=_RUN)]


def _settings(**flags):
    from agent.settings import Settings

    return Settings(**{name: value for name, value in flags.items() if value not in (None, False)})


@app.command()
def migrate(
    old_handle: OldHandle = None, old_url: OldUrl = None, old_email: OldEmail = None,
    new_handle: NewHandle = None, new_url: NewUrl = None, new_email: NewEmail = None,
    run_dir: RunDir = None, headed: Headed = False, slow_mo: SlowMo = None,
    allow_insecure_http: Insecure = False, trace: Trace = False, video: Video = False,
    confirm_move: Annotated[Optional[str], _opt("--confirm-move", "Answer the pause in advance: the new handle, exactly.", _RUN)] = None,
    unlock_new_account: Annotated[bool, typer.Option("--unlock-new-account", help="If the new account needs follow approval, switch that off before the move.", rich_help_panel=_RUN)] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Import in overwrite mode (replaces the new account's lists) instead of merge.", rich_help_panel=_RUN)] = False,
    announcement: Annotated[Optional[str], _opt("--announcement", "Text posted from the new account; {old} and {new} become the handles.", _RUN)] = None,
    alias_wait_hours: Annotated[Optional[float], _opt("--alias-wait-hours", "How long to keep retrying while the old server does not see the alias yet (default 24).", _RUN)] = None,
) -> None:
    """Run the whole move: sign in, copy the profile, announce, export, import, alias, [bold]pause[/bold], move, verify.

    Passwords come from MASTOMOVE_OLD_PASSWORD / MASTOMOVE_NEW_PASSWORD (environment or .env) or a hidden prompt.
    Rerunning with the same run folder resumes: finished steps are re-checked, not repeated."""
    from agent.app import run_migration

    settings = _settings(
        old_handle=old_handle, old_url=old_url, old_email=old_email, new_handle=new_handle,
        new_url=new_url, new_email=new_email, run_dir=run_dir, headed=headed, slow_mo=slow_mo,
        allow_insecure_http=allow_insecure_http, trace=trace, video=video, confirm_move=confirm_move,
        unlock_new_account=unlock_new_account, import_mode="overwrite" if overwrite else None,
        announcement=announcement,
        alias_wait_seconds=alias_wait_hours * 3600 if alias_wait_hours is not None else None,
    )
    raise typer.Exit(run_migration(settings))


@app.command()
def plan(
    old_handle: OldHandle = None, old_url: OldUrl = None, old_email: OldEmail = None,
    new_handle: NewHandle = None, new_url: NewUrl = None, new_email: NewEmail = None,
    run_dir: RunDir = None, headed: Headed = False, allow_insecure_http: Insecure = False,
) -> None:
    """Sign in to both accounts and print what [bold]migrate[/bold] would do. Changes nothing.

    Reads counts, whether the alias exists, whether the old account already moved or is on cooldown,
    and whether the new account needs follow approval."""
    from agent.app import run_plan

    settings = _settings(old_handle=old_handle, old_url=old_url, old_email=old_email,
                         new_handle=new_handle, new_url=new_url, new_email=new_email,
                         run_dir=run_dir, headed=headed, allow_insecure_http=allow_insecure_http)
    raise typer.Exit(run_plan(settings))


@app.command()
def demo(
    headed: Headed = False, slow_mo: SlowMo = None,
    version: Annotated[str, typer.Option(help="Mastodon version the local servers imitate (4.1, 4.2, 4.3).")] = "4.3",
    locale: Annotated[str, typer.Option(help="UI language of the local servers (en, de, fr).")] = "en",
    follows: Annotated[int, typer.Option(help="How many accounts the old account follows.")] = 300,
    serve_only: Annotated[bool, typer.Option("--serve-only", help="Only start the servers and print how to sign in.")] = False,
) -> None:
    """Start local imitation Mastodon servers and migrate a seeded account between them.

    Headless unless --headed; prints where the screenshots are."""
    from agent.app import run_demo

    raise typer.Exit(run_demo(headed=headed, slow_mo=slow_mo or 0, version=version, locale=locale,
                              follows=follows, serve_only=serve_only))


@app.command()
def login(
    role: Annotated[str, typer.Argument(help="Which account: old or new.", metavar="old|new")],
    old_handle: OldHandle = None, old_url: OldUrl = None, old_email: OldEmail = None,
    new_handle: NewHandle = None, new_url: NewUrl = None, new_email: NewEmail = None,
    allow_insecure_http: Insecure = False,
    wait_minutes: Annotated[float, typer.Option(help="How long to wait for you to sign in.")] = 10,
) -> None:
    """Sign in by hand in a browser window and keep the session for later runs.

    For servers that need a person: single sign-on, security keys, captchas. The session is kept in a
    file only you can read; delete it to forget it."""
    from agent.app import run_login
    from agent.steps import Role

    if role not in ("old", "new"):
        raise typer.BadParameter("old or new", param_hint="ROLE")
    settings = _settings(old_handle=old_handle, old_url=old_url, old_email=old_email, new_handle=new_handle,
                         new_url=new_url, new_email=new_email, allow_insecure_http=allow_insecure_http)
    raise typer.Exit(run_login(settings, Role(role), timeout_s=wait_minutes * 60))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
