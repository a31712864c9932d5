"""`mastomove batch accounts.csv`: several accounts, N at a time, each in its own browser and run
folder, and a combined report (agent.batch does the work)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from mastomove.agent.commands.options import (RUN, AliasWait, Headed, Insecure, SkipBackup, SlowMo, Trace, UnlockNew,
                                              option, settings_from, switch)


def batch(
    ctx: typer.Context,
    accounts_csv: Annotated[Path, typer.Argument(help="CSV, one account per row: old_handle, old_email, new_handle, new_email (and old_url, new_url, confirm_move if needed).", metavar="ACCOUNTS_CSV")],
    secrets: Annotated[Optional[Path], option("--secrets", "Passwords and OTP secrets, in a file only you can read (format below).", RUN)] = None,
    parallel: Annotated[int, typer.Option("--parallel", min=1, max=16, help="How many accounts at a time, each in a browser of its own (no DevTools port is opened).", rich_help_panel=RUN)] = 2,
    batch_dir: Annotated[Optional[Path], option("--batch-dir", "Folder for the run folders and the combined report (default runs/batch-<csv name>); the same folder again resumes.", RUN)] = None,
    confirm_moves: Annotated[bool, switch("--confirm-moves", "Answer every account's pause in advance (unattended). Without it, each pause is asked at the terminal, one at a time, unless the row's confirm_move column answers it; with no terminal, that account stops before its move.")] = False,
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

    raise typer.Exit(run_batch(accounts_csv, settings_from(ctx), secrets_file=secrets, parallel=parallel,
                               batch_dir=batch_dir, confirm_all=confirm_moves))
