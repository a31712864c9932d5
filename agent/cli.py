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
SkipBackup = Annotated[bool, typer.Option("--skip-backup", help="Do not save the old account's notifications, private mentions and archive before the move (they are unreachable after it).", rich_help_panel=_RUN)]
UnlockNew = Annotated[bool, typer.Option("--unlock-new-account", help="If the new account needs follow approval, switch that off before the move.", rich_help_panel=_RUN)]
AliasWait = Annotated[Optional[float], _opt("--alias-wait-hours", "How long to keep retrying while the old server does not see the alias yet (default 24).", _RUN)]


def _settings(**flags):
    from mastomove.agent.settings import Settings

    return Settings(**{name: value for name, value in flags.items() if value not in (None, False)})


@app.command()
def migrate(
    old_handle: OldHandle = None, old_url: OldUrl = None, old_email: OldEmail = None,
    new_handle: NewHandle = None, new_url: NewUrl = None, new_email: NewEmail = None,
    run_dir: RunDir = None, headed: Headed = False, slow_mo: SlowMo = None,
    allow_insecure_http: Insecure = False, trace: Trace = False, video: Video = False,
    confirm_move: Annotated[Optional[str], _opt("--confirm-move", "Answer the pause in advance: the new handle, exactly.", _RUN)] = None,
    unlock_new_account: UnlockNew = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Import in overwrite mode (replaces the new account's lists) instead of merge.", rich_help_panel=_RUN)] = False,
    announcement: Annotated[Optional[str], _opt("--announcement", "Text posted from the new account; {old} and {new} become the handles.", _RUN)] = None,
    alias_wait_hours: AliasWait = None,
    skip_backup: SkipBackup = False,
) -> None:
    """Run the whole move: sign in, copy the profile, announce, export, import, alias, back up, [bold]pause[/bold], move, verify.

    Passwords come from MASTOMOVE_OLD_PASSWORD / MASTOMOVE_NEW_PASSWORD (environment or .env) or a hidden prompt.
    Rerunning with the same run folder resumes: finished steps are re-checked, not repeated."""
    from mastomove.agent.app import run_migration

    settings = _settings(
        old_handle=old_handle, old_url=old_url, old_email=old_email, new_handle=new_handle,
        new_url=new_url, new_email=new_email, run_dir=run_dir, headed=headed, slow_mo=slow_mo,
        allow_insecure_http=allow_insecure_http, trace=trace, video=video, confirm_move=confirm_move,
        unlock_new_account=unlock_new_account, import_mode="overwrite" if overwrite else None,
        announcement=announcement,
        alias_wait_seconds=alias_wait_hours * 3600 if alias_wait_hours is not None else None,
        skip_backup=skip_backup,
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
    from mastomove.agent.app import run_plan

    settings = _settings(old_handle=old_handle, old_url=old_url, old_email=old_email,
                         new_handle=new_handle, new_url=new_url, new_email=new_email,
                         run_dir=run_dir, headed=headed, allow_insecure_http=allow_insecure_http)
    raise typer.Exit(run_plan(settings))


@app.command()
def demo(
    headed: Headed = False, slow_mo: SlowMo = None,
    version: Annotated[str, typer.Option(help="Mastodon version the local servers imitate (4.1 to 4.7).")] = "4.7",
    old_version: Annotated[Optional[str], typer.Option(help="Version of the old server only (default: --version).")] = None,
    new_version: Annotated[Optional[str], typer.Option(help="Version of the new server only (default: --version).")] = None,
    locale: Annotated[str, typer.Option(help="UI language of the local servers (en, de, fr).")] = "en",
    follows: Annotated[int, typer.Option(help="How many accounts the old account follows.")] = 300,
    serve_only: Annotated[bool, typer.Option("--serve-only", help="Only start the servers and print how to sign in.")] = False,
) -> None:
    """Start local imitation Mastodon servers and migrate a seeded account between them.

    Headless unless --headed; prints where the screenshots are."""
    from mastomove.agent.app import run_demo

    raise typer.Exit(run_demo(headed=headed, slow_mo=slow_mo or 0, version=version, locale=locale,
                              follows=follows, serve_only=serve_only, old_version=old_version,
                              new_version=new_version))


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
    from mastomove.agent.app import run_login
    from mastomove.agent.steps import Role

    if role not in ("old", "new"):
        raise typer.BadParameter("old or new", param_hint="ROLE")
    settings = _settings(old_handle=old_handle, old_url=old_url, old_email=old_email, new_handle=new_handle,
                         new_url=new_url, new_email=new_email, allow_insecure_http=allow_insecure_http)
    raise typer.Exit(run_login(settings, Role(role), timeout_s=wait_minutes * 60))


@app.command("check-ui", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def check_ui(
    ctx: typer.Context,
    base_url: Annotated[Optional[str], _opt("--base-url", "The server under test [MASTOMOVE_OLD_URL, default https://<handle domain>]", _RUN)] = None,
    old_handle: Annotated[Optional[str], _opt("--old-handle", "The test account, user@server.example [MASTOMOVE_OLD_HANDLE]")] = None,
    old_email: OldEmail = None,
    new_handle: Annotated[Optional[str], _opt("--new-handle", "Another existing account that is not an alias of the test account; with --destructive, the one it moves to [MASTOMOVE_NEW_HANDLE]")] = None,
    new_url: NewUrl = None, new_email: NewEmail = None,
    output: Annotated[Path, typer.Option("--output", help="Folder for report.html, junit.xml and screenshots (replaced every run).", rich_help_panel=_RUN)] = Path("check-ui-results"),
    destructive: Annotated[bool, typer.Option("--destructive", help="Also move the test account to the new account for real, end to end. [bold]Only with two throwaway accounts.[/bold]", rich_help_panel=_RUN)] = False,
    headed: Headed = False,
    browser_channel: Annotated[Optional[str], _opt("--browser-channel", "Browser channel, e.g. chrome or msedge.", _RUN)] = None,
    slowmo: Annotated[Optional[int], _opt("--slowmo", "Slow every browser action by this many milliseconds.", _RUN)] = None,
    tracing: Annotated[Optional[str], _opt("--tracing", "Playwright trace per check: on, off, retain-on-failure (nothing is recorded while a password is typed).", _RUN)] = None,
    screenshot: Annotated[Optional[str], _opt("--screenshot", "pytest-playwright's screenshot at the end of each check: on, off, only-on-failure.", _RUN)] = None,
    video: Annotated[Optional[str], _opt("--video", "Video per check: on, off, retain-on-failure.", _RUN)] = None,
    page_timeout: Annotated[Optional[float], _opt("--page-timeout", "Seconds a page or action may take before its check fails.", _RUN)] = None,
    allow_insecure_http: Insecure = False,
) -> None:
    """Check that account migration still works through this server's web pages: sign-in (and
    two-factor), the settings navigation, every export, the import form up to its confirmation
    (cancelled), and the alias and move forms' errors. [bold]Changes nothing[/bold] unless --destructive.
    The password comes from MASTOMOVE_OLD_PASSWORD or a prompt. Arguments it does not know go to
    pytest (e.g. -k export -x). Exit code 0: all checks passed; 1: a check failed (see the report)."""
    from mastomove.agent.checkui import run_check_ui

    settings = _settings(old_handle=old_handle, old_email=old_email, new_handle=new_handle, new_url=new_url,
                         new_email=new_email, headed=headed, allow_insecure_http=allow_insecure_http)
    passed = [f"{flag}={value}" for flag, value in (("--browser-channel", browser_channel), ("--slowmo", slowmo),
                                                    ("--tracing", tracing), ("--screenshot", screenshot),
                                                    ("--video", video)) if value is not None]
    raise typer.Exit(run_check_ui(settings, base_url=base_url, output=output, destructive=destructive,
                                  playwright_args=passed + (["--headed"] if headed else []),
                                  page_timeout=page_timeout, pytest_args=list(ctx.args)))


@app.command()
def watch(
    old_handle: OldHandle = None, old_url: OldUrl = None, old_email: OldEmail = None,
    new_handle: NewHandle = None, new_url: NewUrl = None, new_email: NewEmail = None,
    run_dir: RunDir = None, headed: Headed = False, allow_insecure_http: Insecure = False,
    minutes: Annotated[float, typer.Option("--minutes", help="Stop watching after this long (run again any time).", rich_help_panel=_RUN)] = 60,
) -> None:
    """After the move: watch your followers arrive on the new account, with a progress bar.

    Compares the new account's followers with the number the old one had when it moved (from the
    run folder, or the old account's migration page), shows follow requests waiting for your
    approval, and stops when all have arrived or time is up. Followers move as their servers process
    the move, which can take hours: run it again later. Exit code 0: all arrived; 3: not all yet."""
    from mastomove.agent.app import run_watch

    settings = _settings(old_handle=old_handle, old_url=old_url, old_email=old_email, new_handle=new_handle,
                         new_url=new_url, new_email=new_email, run_dir=run_dir, headed=headed,
                         allow_insecure_http=allow_insecure_http)
    raise typer.Exit(run_watch(settings, minutes=minutes))


@app.command()
def report(
    run_dir: Annotated[Path, typer.Argument(help="A run folder (the one migrate printed).", metavar="RUN_DIR")],
    open_: Annotated[bool, typer.Option("--open", help="Open it in your web browser.")] = False,
) -> None:
    """Build the run's HTML report again (report.html in the run folder) and say where it is.

    One self-contained file: each step with its screenshots, timings, retries and errors, the counts
    verified against the servers, what was saved before the move, and what is left for you."""
    from mastomove.agent.app import run_report

    raise typer.Exit(run_report(run_dir, open_in_browser=open_))


@app.command()
def batch(
    accounts_csv: Annotated[Path, typer.Argument(help="CSV, one account per row: old_handle, old_email, new_handle, new_email (and old_url, new_url, confirm_move if needed).", metavar="ACCOUNTS_CSV")],
    secrets: Annotated[Optional[Path], _opt("--secrets", "Passwords and OTP secrets, in a file only you can read (format below).", _RUN)] = None,
    parallel: Annotated[int, typer.Option("--parallel", min=1, max=16, help="How many accounts at a time, each in its own browser contexts of one browser (reached on a 127.0.0.1 port while the batch runs; 1: one after the other, no port).", rich_help_panel=_RUN)] = 2,
    batch_dir: Annotated[Optional[Path], _opt("--batch-dir", "Folder for the run folders and the combined report (default runs/batch-<csv name>); the same folder again resumes.", _RUN)] = None,
    confirm_moves: Annotated[bool, typer.Option("--confirm-moves", help="Answer every account's pause in advance (unattended). Without it, each pause is asked at the terminal, one at a time, unless the row's confirm_move column answers it; with no terminal, that account stops before its move.", rich_help_panel=_RUN)] = False,
    headed: Headed = False, slow_mo: SlowMo = None, allow_insecure_http: Insecure = False,
    trace: Trace = False, skip_backup: SkipBackup = False, unlock_new_account: UnlockNew = False,
    alias_wait_hours: AliasWait = None,
) -> None:
    """Move several accounts, N at a time, each with its own run folder, and a combined report.

    A failure of one account does not stop the others. Secrets file: CSV with the header
    handle,password,otp_secret (or a JSON object {"HANDLE": {"password": ..., "otp_secret": ...}});
    without one, passwords are asked for when a terminal is attached. Exit code 0 when every
    account moved, else the highest exit code of the accounts."""
    from mastomove.agent.batch import run_batch

    settings = _settings(headed=headed, slow_mo=slow_mo, allow_insecure_http=allow_insecure_http, trace=trace,
                         skip_backup=skip_backup, unlock_new_account=unlock_new_account,
                         alias_wait_seconds=alias_wait_hours * 3600 if alias_wait_hours is not None else None)
    raise typer.Exit(run_batch(accounts_csv, settings, secrets_file=secrets, parallel=parallel, batch_dir=batch_dir,
                               confirm_all=confirm_moves))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
