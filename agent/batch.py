"""`mastomove batch accounts.csv`: move several accounts, N at a time, for people who help others
move (a closing server has thousands of users).

- accounts.csv: a header row, then one account per row. Columns: old_handle, old_email,
  new_handle, new_email, and when needed old_url, new_url (see COLUMNS); `confirm_move` (the new
  handle, typed in advance) answers that row's pause. Lines starting with # are skipped.
- Passwords (and TOTP secrets) come from a secrets file only the owner can read: JSON
  {"alice@old.example": {"password": "...", "otp_secret": "..."}} or CSV with the header
  handle,password,otp_secret; else they are asked for when a terminal is attached.
- Each account runs in its own thread with its own browser (launched over a pipe: no DevTools
  port is ever open, so no other process of this computer can reach the accounts' sessions), its
  own run folder under the batch folder, its own log. A failure of one account (bad input, a
  refused sign-in, a crash) is that row's outcome; the others go on.
- At the end: batch.json and report.html in the batch folder, one row per account, linking each
  account's own report. The same batch folder again resumes each account where it stopped.
"""
from __future__ import annotations

import csv
import io
import json
import stat
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from rich.console import Console
from rich.table import Table
from rich.text import Text

from mastomove.agent.commands.options import told
from mastomove.agent.confirmation import Confirmation
from mastomove.agent.errors import BadInput, ExitCode, MastomoveError
from mastomove.agent.evidence import read_json
from mastomove.agent.files import private_dir, write_private
from mastomove.agent.person import ConsolePerson
from mastomove.agent.run import run_folder_name
from mastomove.agent.settings import Settings
from mastomove.agent.steps import Handle

COLUMNS = ("old_handle", "old_url", "old_email", "new_handle", "new_url", "new_email", "confirm_move")
REQUIRED = ("old_handle", "new_handle")
ACCOUNT_FIELDS = ("old_handle", "old_url", "old_email", "old_password", "old_otp_secret",
                  "new_handle", "new_url", "new_email", "new_password", "new_otp_secret")


@dataclass
class BatchRow:
    line: int
    values: dict[str, str]
    problem: str | None = None  # bad input found before anything ran
    result: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.values.get("old_handle") or f"row {self.line}"


def read_rows(path: Path) -> list[BatchRow]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise BadInput(f"Cannot read {path}: {error.strerror}") from error
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise BadInput(f"{path} has no {', '.join(missing)} column",
                       hint="the first row names the columns: " + ",".join(c for c in COLUMNS if c != "confirm_move"))
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise BadInput(f"{path} has columns mastomove does not know: {', '.join(unknown)}",
                       hint="known columns: " + ", ".join(COLUMNS) + " (passwords go in the --secrets file)")
    rows = []
    for number, raw in enumerate(reader, 2):
        values = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        rows.append(BatchRow(number, values))
    if not rows:
        raise BadInput(f"{path} lists no accounts")
    return rows


def read_secrets(path: Path | None) -> dict[str, dict[str, str]]:
    """handle -> {"password": ..., "otp_secret": ...}; handles compared without a leading @."""
    if path is None:
        return {}
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise BadInput(f"Cannot read the secrets file {path}: {error.strerror}") from error
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise BadInput(f"The secrets file {path} can be read by other users",
                       hint=f"chmod 600 {path}")
    secrets: dict[str, dict[str, str]] = {}
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as error:
            raise BadInput(f"The secrets file {path} is not valid JSON ({error.msg}, line {error.lineno})") from None
        for handle, entry in data.items():
            entry = {"password": entry} if isinstance(entry, str) else dict(entry or {})
            secrets[handle.strip().lstrip("@").lower()] = {k: str(v) for k, v in entry.items() if v}
        return secrets
    for entry in csv.DictReader(io.StringIO(text)):
        entry = {(k or "").strip().lower(): (v or "").strip() for k, v in entry.items()}
        if entry.get("handle"):
            secrets[entry["handle"].lstrip("@").lower()] = {k: v for k, v in entry.items() if k != "handle" and v}
    return secrets


def row_settings(row: BatchRow, base: Settings, secrets: dict[str, dict[str, str]], batch_dir: Path, *,
                 confirm_all: bool, ask, csv_name: str = "accounts.csv") -> tuple[Settings, Confirmation | None]:
    """The row's own settings: the batch's flags, and only this row's accounts (nothing of the
    MASTOMOVE_* account variables of the environment leaks from one row into another); and the
    row's confirmation, named after where it was given."""
    values = row.values
    old, new = Handle.parse(values["old_handle"]), Handle.parse(values["new_handle"])
    update: dict[str, Any] = {name: None for name in ACCOUNT_FIELDS}
    for role, handle in (("old", old), ("new", new)):
        update[f"{role}_handle"] = str(handle)
        update[f"{role}_url"] = values.get(f"{role}_url") or None
        update[f"{role}_email"] = values.get(f"{role}_email") or None
        secret = secrets.get(str(handle).lower(), {})
        password = secret.get("password")
        if password is None and ask is not None:
            password = ask(f"Password of {handle} (not shown)")
        update[f"{role}_password"] = SecretStr(password) if password else None
        update[f"{role}_otp_secret"] = SecretStr(secret["otp_secret"]) if secret.get("otp_secret") else None
    confirmation = None
    if confirm_all:
        confirmation = Confirmation(str(new), "--confirm-moves")
    elif values.get("confirm_move"):
        confirmation = Confirmation(values["confirm_move"], f"the confirm_move column of {csv_name}")
    if confirmation is not None:
        confirmation.check(new)
    update["run_dir"] = batch_dir / run_folder_name(old, new)
    return base.model_copy(update=update), confirmation


class RowPerson(ConsolePerson):
    """One account's voice in a shared terminal: every line says whose it is; no live bars
    (one terminal cannot redraw several); the question before the move is asked one at a time."""

    def __init__(self, name: str, console: Console, ask_lock: threading.Lock, *,
                 confirmation: Confirmation | None, interactive: bool):
        super().__init__(confirmation=confirmation, interactive=interactive, console=console)
        self.name = name
        self.ask_lock = ask_lock
        self.live = False

    def say(self, text: str, style: str | None = None, *, label: str | None = None,
            label_style: str | None = None) -> None:
        line = Text(self.redact(self.name), style="dim")
        line.append(" ")
        self.console.print(line + self.text(text, style, label=label, label_style=label_style))

    def heading(self, text: "Text | str") -> None:
        # a rule across a shared terminal would not say whose step it is
        self.console.print(Text(self.redact(self.name), style="dim") + Text(" ") + (
            text if isinstance(text, Text) else self.text(text)))

    def progress(self, label: str, done: int, total: int | None) -> None:
        super().progress(f"{self.name} {label}", done, total)

    def confirm_move(self, report, new_handle: str) -> bool:
        with self.ask_lock:
            self.console.rule(Text(self.redact(f"{self.name} → {new_handle}")), align="left")
            return super().confirm_move(report, new_handle)


def _outcome(row: BatchRow, run_dir: Path | None, code: int, seconds: float) -> dict[str, Any]:
    summary = (read_json(run_dir / "summary.json") if run_dir is not None else None) or {}
    outcome = summary.get("outcome") or ("completed" if code == 0 else "bad input" if code == ExitCode.BAD_INPUT
                                         else "stopped")
    return {"line": row.line, "old": row.values.get("old_handle"), "new": row.values.get("new_handle"),
            "exit_code": code, "outcome": outcome, "message": summary.get("message") or row.problem,
            "seconds": round(seconds, 1), "run_dir": str(run_dir) if run_dir else "",
            "left_to_you": summary.get("left_to_you") or []}


def run_batch(accounts_csv: Path, base: Settings, *, secrets_file: Path | None, parallel: int,
              batch_dir: Path | None, confirm_all: bool, console: Console | None = None) -> int:
    from mastomove.agent.commands.migrate import run_migration
    from mastomove.agent.run import RUNS, sigterm_as_interrupt

    console = console or Console(stderr=True, highlight=False)
    interactive = ConsolePerson(console=console).interactive
    try:
        rows = read_rows(accounts_csv)
        secrets = read_secrets(secrets_file)
    except MastomoveError as error:
        console.print(Text(told(error), style="red"))
        return int(error.exit_code)
    batch_dir = private_dir(batch_dir or RUNS / f"batch-{accounts_csv.stem}")
    ask = ConsolePerson(console=console).ask_secret if interactive else None

    prepared: list[tuple[BatchRow, tuple[Settings, Confirmation | None] | None]] = []
    for row in rows:
        try:
            prepared.append((row, row_settings(row, base, secrets, batch_dir, confirm_all=confirm_all, ask=ask,
                                               csv_name=accounts_csv.name)))
        except MastomoveError as error:
            row.problem = told(error)
            prepared.append((row, None))
            console.print(Text(f"{row.name}: {error}", style="red"))
    console.print(Text(f"Batch of {len(rows)} account(s), {parallel} at a time; folder {batch_dir}"))

    sigterm_as_interrupt()
    ask_lock = threading.Lock()
    results: list[dict[str, Any]] = []

    def migrate(row: BatchRow, given: tuple[Settings, Confirmation | None] | None) -> dict[str, Any]:
        started = time.monotonic()
        if given is None:
            return _outcome(row, None, int(ExitCode.BAD_INPUT), 0)
        settings, confirmation = given
        person = RowPerson(row.name, console, ask_lock, confirmation=confirmation, interactive=interactive)
        try:
            code = run_migration(settings, person=person)  # its own browser, in this thread
        except Exception as error:  # noqa: BLE001 - one account's crash is its own outcome
            person.say(f"crashed: {type(error).__name__}: {error}", "red")
            code = 1
        return _outcome(row, settings.run_dir, code, time.monotonic() - started)

    interrupted = False
    futures: list = []
    pool = ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="mastomove-batch")
    try:
        futures = [pool.submit(migrate, row, settings) for row, settings in prepared]
        for future in futures:
            results.append(future.result())
    except KeyboardInterrupt:
        interrupted = True
        console.print(Text.assemble(("Interrupted:", "yellow"),
                                    " closing the browsers; every account resumes from its run folder."))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    if interrupted:
        results = [f.result() for f in futures if f.done() and not f.cancelled() and f.exception() is None]

    from mastomove.agent.report import write_batch_report

    _write_json(batch_dir / "batch.json", {"csv": str(accounts_csv), "accounts": results})
    report = write_batch_report(batch_dir, results)
    table = Table(title=f"mastomove batch: {sum(r['exit_code'] == 0 for r in results)} of {len(rows)} moved")
    for column in ("account", "outcome", "exit", "seconds", "message"):
        table.add_column(column)
    for result in results:
        table.add_row(*(Text(str(cell)) for cell in (f"{result['old']} → {result['new']}", result["outcome"],
                                                      result["exit_code"], result["seconds"],
                                                      (result["message"] or "")[:120])))
    console.print(table)
    console.print(Text(f"Report: {report}"))
    if interrupted:
        return int(ExitCode.INTERRUPTED)
    return max((r["exit_code"] for r in results), default=0)


def _write_json(path: Path, data: Any) -> None:
    write_private(path, json.dumps(data, indent=2))
