"""`mastomove batch accounts.csv`: move several accounts, N at a time, for people who help others
move (a closing server has thousands of users).

- accounts.csv: a header row, then one account per row. Columns: old_handle, old_email,
  new_handle, new_email, and when needed old_url, new_url (see COLUMNS); `confirm_move` (the new
  handle, typed in advance) answers that row's pause. Lines starting with # are skipped.
- Passwords (and TOTP secrets) come from a secrets file only the owner can read: JSON
  {"alice@old.example": {"password": "...", "otp_secret": "..."}} or CSV with the header
  handle,password,otp_secret; else they are asked for when a terminal is attached.
- One browser for the batch; each account runs in its own thread with its own browser contexts
  (connected to that browser over its DevTools address), its own run folder under the batch
  folder, its own log. A failure of one account (bad input, a refused sign-in, a crash) is that
  row's outcome; the others go on. The DevTools address listens on 127.0.0.1 only, but other
  users of the same computer could reach it while the batch runs: on a shared machine use
  --parallel 1, which runs the accounts one after the other, each in a browser of its own with no
  port open.
- At the end: batch.json and report.html in the batch folder, one row per account, linking each
  account's own report. The same batch folder again resumes each account where it stopped.
"""
from __future__ import annotations

import csv
import io
import json
import re
import socket
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

from mastomove.agent.errors import BadInput, ExitCode, MastomoveError
from mastomove.agent.evidence import private_dir, read_json, write_private
from mastomove.agent.person import ConsolePerson
from mastomove.agent.settings import Settings
from mastomove.agent.steps import Handle

COLUMNS = ("old_handle", "old_url", "old_email", "new_handle", "new_url", "new_email", "confirm_move")
REQUIRED = ("old_handle", "new_handle")
ACCOUNT_FIELDS = ("old_handle", "old_url", "old_email", "old_password", "old_otp_secret",
                  "new_handle", "new_url", "new_email", "new_password", "new_otp_secret", "confirm_move")


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


def _run_dir_name(old: str, new: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.@-]+", "_", f"{old}-to-{new}")


def row_settings(row: BatchRow, base: Settings, secrets: dict[str, dict[str, str]], batch_dir: Path, *,
                 confirm_all: bool, ask) -> Settings:
    """The row's own settings: the batch's flags, and only this row's accounts (nothing of the
    MASTOMOVE_* account variables of the environment leaks from one row into another)."""
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
    confirm = values.get("confirm_move") or None
    if confirm_all:
        confirm = str(new)
    update["confirm_move"] = confirm
    update["run_dir"] = batch_dir / _run_dir_name(str(old), str(new))
    return base.model_copy(update=update)


class RowPerson(ConsolePerson):
    """One account's voice in a shared terminal: every line says whose it is; no live bars
    (one terminal cannot redraw several); the question before the move is asked one at a time."""

    def __init__(self, name: str, console: Console, ask_lock: threading.Lock, *, confirm_move: str | None,
                 interactive: bool):
        super().__init__(confirm_move=confirm_move, interactive=interactive, console=console)
        self.name = name
        self.ask_lock = ask_lock
        self.live = False

    def say(self, text: str) -> None:
        self.console.print(f"[dim]{self.name}[/dim] {text}")

    def heading(self, text: str) -> None:
        self.say(text)  # a rule across a shared terminal would not say whose step it is

    def progress(self, label: str, done: int, total: int | None) -> None:
        super().progress(f"{self.name} {label}", done, total)

    def confirm_move(self, report, new_handle: str) -> bool:
        with self.ask_lock:
            self.console.rule(f"{self.name} → {new_handle}", align="left")
            return super().confirm_move(report, new_handle)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SharedBrowser:
    """The batch's one browser, opened for DevTools connections on a loopback port."""

    def __init__(self, settings: Settings):
        from mastomove.agent.browser import BrowserConfig, start

        config = BrowserConfig.load()
        config.headless = not settings.headed and config.headless
        config.slow_mo = 0  # each account's connection applies its own
        self.port = _free_port()
        config.args = [*config.args, f"--remote-debugging-port={self.port}", "--remote-debugging-address=127.0.0.1"]
        self.playwright, self.browser = start(config)
        self.endpoint = f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        try:
            self.browser.close()
        finally:
            self.playwright.stop()


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
    from mastomove.agent.app import _sigterm_as_interrupt, run_migration

    console = console or Console(stderr=True, highlight=False)
    interactive = ConsolePerson(console=console).interactive
    try:
        rows = read_rows(accounts_csv)
        secrets = read_secrets(secrets_file)
    except MastomoveError as error:
        console.print(f"[red]{error}[/red]")
        return int(error.exit_code)
    batch_dir = private_dir(batch_dir or Path("runs") / f"batch-{accounts_csv.stem}")
    ask = ConsolePerson(console=console).ask_secret if interactive else None

    prepared: list[tuple[BatchRow, Settings | None]] = []
    for row in rows:
        try:
            prepared.append((row, row_settings(row, base, secrets, batch_dir, confirm_all=confirm_all, ask=ask)))
        except MastomoveError as error:
            row.problem = str(error)
            prepared.append((row, None))
            console.print(f"[red]{row.name}: {error}[/red]")
    console.print(f"Batch of {len(rows)} account(s), {parallel} at a time; folder {batch_dir}")

    _sigterm_as_interrupt()
    ask_lock = threading.Lock()
    results: list[dict[str, Any]] = []
    shared = SharedBrowser(base) if parallel > 1 and any(s is not None for _, s in prepared) else None

    def migrate(row: BatchRow, settings: Settings | None) -> dict[str, Any]:
        started = time.monotonic()
        if settings is None:
            return _outcome(row, None, int(ExitCode.BAD_INPUT), 0)
        person = RowPerson(row.name, console, ask_lock, confirm_move=settings.confirm_move, interactive=interactive)
        try:
            code = run_migration(settings, person=person, connect=shared.endpoint if shared else None)
        except Exception as error:  # noqa: BLE001 - one account's crash is its own outcome
            person.say(f"[red]crashed: {type(error).__name__}: {error}[/red]")
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
        console.print("[yellow]Interrupted:[/yellow] closing the browser; every account resumes from its run folder.")
    finally:
        if shared is not None:
            shared.close()
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
        table.add_row(f"{result['old']} → {result['new']}", result["outcome"], str(result["exit_code"]),
                      str(result["seconds"]), (result["message"] or "")[:120])
    console.print(table)
    console.print(f"Report: {report}")
    if interrupted:
        return int(ExitCode.INTERRUPTED)
    return max((r["exit_code"] for r in results), default=0)


def _write_json(path: Path, data: Any) -> None:
    write_private(path, json.dumps(data, indent=2))
