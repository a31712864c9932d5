"""Helpers of the end-to-end tests of the backup, the report, the watch, batches and traces:

- `traced_migration`: one whole `mastomove migrate --trace` on a fresh seed, made once per
  test session and shared by the tests that only read what it left (the report, the trace), with
  the servers' state before and after it;
- `Browserless`: a person's signed-in HTTP session, to do by hand what the agent is not under
  test for (the alias and the move before `mastomove watch`);
- `in_thread`: run agent code in-process beside pytest-playwright's browser.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar

from mastomove.agent.demo import cluster_environment
from browserless import Browserless
from mastomove.fixtures.pytest_plugin import TEST_SEED

PROJECT = Path(__file__).resolve().parents[2]
FAST = {  # the fixtures answer in seconds: no need to wait as long as on real servers
    "MASTOMOVE_ALIAS_FIRST_WAIT_SECONDS": "1", "MASTOMOVE_ALIAS_WAIT_CAP_SECONDS": "5",
    "MASTOMOVE_ALIAS_WAIT_SECONDS": "120", "MASTOMOVE_FOLLOWER_WATCH_SECONDS": "30",
    "MASTOMOVE_ARCHIVE_WAIT_SECONDS": "60", "COLUMNS": "120",
}


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MASTOMOVE_")}
    env.update(FAST)
    env.update(extra)
    return env


def account_env(cluster, run_dir: Path, **extra: str) -> dict[str, str]:
    """The documented MASTOMOVE_* variables for the cluster's seeded accounts, and the run folder."""
    return clean_env(**{**cluster_environment(cluster, base={}), "MASTOMOVE_RUN_DIR": str(run_dir), **extra})


def mastomove(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mastomove.agent.cli", *args], cwd=PROJECT, env=env, capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)


# --- one traced migration per session --------------------------------------------------------------
@dataclass
class SharedRun:
    code: int
    output: str
    run_dir: Path
    before_old: dict[str, Any]
    after_old: dict[str, Any]
    after_new: dict[str, Any]
    secrets: list[str]  # passwords and the TOTP secret used
    otp_secret: str | None
    announcement: str

    def summary(self) -> dict[str, Any]:
        return json.loads((self.run_dir / "summary.json").read_text())

    def state(self) -> dict[str, Any]:
        return json.loads((self.run_dir / "state.json").read_text())


_SHARED: dict[str, SharedRun] = {}
ANNOUNCEMENT = "Moving house: {old} is now {new}. Trace-visible marker 7f3a."


def traced_migration(cluster, folder: Path) -> SharedRun:
    """`mastomove migrate --trace --confirm-move` on a fresh seed (made once). No --video: Playwright
    records videos with its own ffmpeg build, which `playwright install ffmpeg` downloads."""
    if "run" in _SHARED:
        return _SHARED["run"]
    # More followers than one page of the web app's column (80): the next pages are asked for with
    # the app's session token, which the trace must not keep either.
    cluster.reset(seed={**TEST_SEED, "followers_remote": 120})
    old, new = cluster.credentials["old"], cluster.credentials["new"]
    before = cluster.old.state(account="alice")["account"]
    run_dir = folder / "traced-run"
    done = mastomove("migrate", "--confirm-move", new.acct, "--trace", "--announcement", ANNOUNCEMENT,
                     env=account_env(cluster, run_dir))
    cluster.wait_idle(30)
    shared = SharedRun(
        code=done.returncode, output=done.stdout + done.stderr, run_dir=run_dir, before_old=before,
        after_old=cluster.old.state(account="alice")["account"], after_new=cluster.new.state(account="alice")["account"],
        secrets=[s for s in (old.password, new.password, old.otp_secret) if s], otp_secret=old.otp_secret,
        announcement=ANNOUNCEMENT.format(old=old.acct, new=new.acct))
    _SHARED["run"] = shared
    return shared


def unzipped(zip_path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(zip_path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# --- a person's hands, without a browser -----------------------------------------------------------
def move_by_hand(cluster) -> None:
    """The alias on the new account, then the move on the old one, as a person does it."""
    old, new = cluster.credentials["old"], cluster.credentials["new"]
    on_new = Browserless(new)
    answer = on_new.submit("/settings/aliases", "/settings/aliases", {"account_alias[acct]": old.acct})
    assert answer.status_code == 302, answer.text[:300]
    on_new.close()
    on_old = Browserless.sparing_totp(old)  # leaves this half-minute's code to the agent
    answer = on_old.submit("/settings/migration", "/settings/migration",
                           {"account_migration[acct]": new.acct, "account_migration[current_password]": old.password})
    assert answer.status_code == 302, answer.text[:300]
    on_old.close()


# --- more people who move ---------------------------------------------------------------------------
T = TypeVar("T")


def in_thread(action: Callable[[], T]) -> T:
    """Run `action` in a thread of its own: the agent's browser uses Playwright's sync API, which
    refuses a thread where another Playwright (pytest-playwright's, for other tests) already runs."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(action).result()



# --- steps in this process -------------------------------------------------------------------------
def in_process_run(cluster, run_dir: Path, *, step: str = "backup", **settings) -> "Run":
    """A run of the agent in this process (its browser, its run folder), for calling steps one by one
    (call it inside `in_thread`)."""
    import io

    from pydantic import SecretStr
    from rich.console import Console

    from mastomove.agent.accounts import accounts_for
    from mastomove.agent.run import Run
    from mastomove.agent.person import ConsolePerson
    from mastomove.agent.settings import Settings
    from mastomove.flows.steps import sign_in as sign_in_module

    old = cluster.credentials["old"]
    config = Settings(_env_file=None, old_handle=old.acct, old_url=cluster.old.url, old_email=old.email,
                      old_password=SecretStr(old.password), old_otp_secret=SecretStr(old.otp_secret),
                      new_handle=cluster.credentials["new"].acct, new_url=cluster.new.url,
                      new_email=cluster.credentials["new"].email,
                      new_password=SecretStr(cluster.credentials["new"].password), run_dir=run_dir,
                      archive_wait_seconds=60, **settings)
    person = ConsolePerson(interactive=False, console=Console(file=io.StringIO(), width=200))
    run = Run(config, accounts_for(config), person, run_dir)
    run.ctx.current_step = step
    # The cluster was reset: no code of this process was used on it (else the agent waits for the next).
    sign_in_module._last_code_step.clear()
    return run
