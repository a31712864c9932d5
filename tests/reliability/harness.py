"""The reliability harness: the real `mastomove` command in its own process group (so it can be
killed like a closed laptop or stopped like Ctrl-C), watched through the run folder's log.jsonl,
against fixture clusters; every run is remembered for the secrets scan that follows each test."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from mastomove.agent.demo import cluster_environment

PROJECT = Path(__file__).resolve().parents[2]

# Small enough that a whole migration is quick, big enough that every list has rows to lose.
SMALL_SEED: dict[str, Any] = {
    "follows": 12,
    "pending_requests": 1,
    "lists": 2,
    "list_members": 3,
    "blocks": 2,
    "mutes": 2,
    "domain_blocks": 2,
    "bookmarks": 3,
    "followers_old": 2,
    "followers_new": 1,
    "followers_remote": 4,
    "statuses": 3,
    "direct_messages": 1,
    "notifications": 2,
}

# Test speed: the alias shows up at once here, and followers move in a second.
FAST = {
    "MASTOMOVE_ALIAS_FIRST_WAIT_SECONDS": "1",
    "MASTOMOVE_ALIAS_WAIT_CAP_SECONDS": "3",
    "MASTOMOVE_ALIAS_WAIT_SECONDS": "60",
    "MASTOMOVE_FOLLOWER_WATCH_SECONDS": "5",
    "COLUMNS": "160",
}

# For "slow" faults: a browser config whose timeouts a slow response outlasts.
SHORT_TIMEOUTS = {"action_ms": 5000, "navigation_ms": 5000}
# Past the timeouts by more than the first retry's backoff (1-2 s): a form whose answer timed out is
# abandoned by the retry's navigation before the server reads it (a slow request the client gave up on
# is not carried out), never raced at the margin.
SLOW_DELAY = 9.0  # seconds


@dataclass
class Secrets:
    """What must never be written down: passwords, the TOTP secret, and the codes it made."""

    passwords: list[str] = field(default_factory=list)
    otp_secrets: list[str] = field(default_factory=list)


@dataclass
class RunRecord:
    """One agent process, for the secrets scan: its run folder, its terminal output, its time."""

    run_dir: Path
    output: str
    secrets: Secrets
    started: float
    ended: float
    session_dir: Path | None = None
    own_folder: bool = True  # False: the run folder existed before (its own mode is not the run's)


class Registry:
    """Agent processes not yet scanned for secrets (the autouse check after each test reads the
    global one; a campaign running in the background keeps its own until a test claims it)."""

    def __init__(self) -> None:
        self.records: list[RunRecord] = []
        self._lock = threading.Lock()

    def add(self, record: RunRecord) -> None:
        with self._lock:
            self.records.append(record)

    def take(self) -> list[RunRecord]:
        with self._lock:
            taken, self.records = self.records, []
        return taken


REGISTRY = Registry()
_local = threading.local()


def current_registry() -> Registry:
    return getattr(_local, "registry", None) or REGISTRY


def use_registry(registry: Registry | None) -> None:
    """Agent runs of this thread go to `registry` (None: the global one)."""
    _local.registry = registry


def agent_env(cluster, run_dir: Path, *, otp: bool = True, session_dir: Path | None = None,
              **overrides: str) -> dict[str, str]:
    """The documented MASTOMOVE_* variables for the seeded accounts of `cluster`."""
    env = {
        **cluster_environment(cluster, otp=otp),
        "MASTOMOVE_RUN_DIR": str(run_dir),
        "MASTOMOVE_SESSION_DIR": str(session_dir or run_dir.parent / "sessions"),
        **FAST,
        **overrides,
    }
    return {k: v for k, v in env.items() if v is not None}


def secrets_of(cluster) -> Secrets:
    from secrets_scan import cluster_secrets

    return Secrets(**cluster_secrets(cluster))


@dataclass
class AgentResult:
    code: int
    output: str
    run_dir: Path
    events: list[dict[str, Any]]  # this process's log.jsonl events
    state: dict[str, Any] = field(default_factory=dict)  # state.json as this run left it
    summary: dict[str, Any] = field(default_factory=dict)  # summary.json as this run left it

    def event_names(self) -> list[str]:
        return [e.get("event", "") for e in self.events]

    def stop_line(self) -> str:
        """The one line that says why the run stopped."""
        lines = [line.strip() for line in self.output.splitlines()
                 if line.strip().startswith(("Stopped:", "Interrupted."))]
        return lines[-1] if lines else ""


class Agent:
    """`mastomove ARGS` in its own process group; `wait_for` watches its log events."""

    def __init__(self, cluster, run_dir: Path, *args: str, env: dict[str, str] | None = None,
                 secrets: Secrets | None = None, launcher: list[str] | None = None, own_folder: bool = True,
                 **overrides: str):
        self.cluster = cluster
        self.own_folder = own_folder
        # how `mastomove` is started (a test may start it through a module that installs a fault first)
        self.launcher = launcher or [sys.executable, "-m", "mastomove.agent.cli"]
        self.run_dir = run_dir
        self.args = args or ("migrate",)
        self.env = env or agent_env(cluster, run_dir, **overrides)
        self.secrets = secrets or secrets_of(cluster)
        # whatever the run was given counts too (a wrong password is still a password)
        self.secrets.passwords += [self.env[k] for k in ("MASTOMOVE_OLD_PASSWORD", "MASTOMOVE_NEW_PASSWORD")
                                   if self.env.get(k) and self.env[k] not in self.secrets.passwords]
        self.secrets.otp_secrets += [self.env[k] for k in ("MASTOMOVE_OLD_OTP_SECRET", "MASTOMOVE_NEW_OTP_SECRET")
                                     if self.env.get(k) and self.env[k] not in self.secrets.otp_secrets]
        self.log = run_dir / "log.jsonl"
        self._offset = self.log.stat().st_size if self.log.exists() else 0
        self._chunks: list[str] = []
        self.proc: subprocess.Popen | None = None
        self.started = 0.0

    def start(self) -> "Agent":
        self.started = time.time()
        self.proc = subprocess.Popen(
            [*self.launcher, *self.args], cwd=PROJECT, env=self.env,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self

    def _read(self) -> None:
        assert self.proc and self.proc.stdout
        for line in self.proc.stdout:
            self._chunks.append(line)

    @property
    def output(self) -> str:
        return "".join(self._chunks)

    def events(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        with self.log.open("rb") as handle:
            handle.seek(self._offset)
            data = handle.read()
        events = []
        for line in data.decode("utf-8", "replace").splitlines():
            try:
                events.append(json.loads(line))
            except ValueError:
                pass  # a line being written right now
        return events

    def wait_for(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 240) -> dict[str, Any]:
        """The first event of this process matching `predicate`; fails if the process ends first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events():
                if predicate(event):
                    return event
            if self.proc is not None and self.proc.poll() is not None:
                for event in self.events():
                    if predicate(event):
                        return event
                raise AssertionError(f"the agent ended (exit {self.proc.returncode}) before the awaited event:\n"
                                     + self.output[-3000:])
            time.sleep(0.02)
        raise AssertionError(f"no such event within {timeout} s:\n" + self.output[-3000:])

    def signal(self, sig: int, *, group: bool = True) -> None:
        """SIGKILL to the group: the laptop lid (agent, driver and browser die together).
        SIGINT to the group: what a terminal's Ctrl-C does."""
        assert self.proc is not None
        try:
            if group:
                os.killpg(self.proc.pid, sig)
            else:
                self.proc.send_signal(sig)
        except ProcessLookupError:
            pass

    def wait(self, timeout: float = 400) -> AgentResult:
        assert self.proc is not None
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.proc.wait(30)
            raise AssertionError(f"the agent did not finish within {timeout} s:\n" + self.output[-3000:])
        self._reader.join(10)
        self._reap_group()
        current_registry().add(RunRecord(self.run_dir, self.output, self.secrets, self.started, time.time(),
                                         Path(self.env["MASTOMOVE_SESSION_DIR"]), self.own_folder))
        return AgentResult(code, self.output, self.run_dir, self.events(),
                           _json_or_empty(self.run_dir / "state.json"), _json_or_empty(self.run_dir / "summary.json"))

    def _reap_group(self) -> None:
        """After a SIGKILL the browser may outlive the agent for a moment: wait, then make sure."""
        assert self.proc is not None
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.killpg(self.proc.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def without_two_factor(cluster) -> None:
    """White-box: the old account signs in without a TOTP code on this (private) cluster. A code
    is accepted once per 30 s, so runs that sign in again and again would mostly wait for codes."""
    user = cluster.server("old").store.users_by_email[cluster.credentials["old"].email.lower()]
    user.otp_secret = None


def _json_or_empty(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def run_agent(cluster, run_dir: Path, *args: str, timeout: float = 400, **overrides: str) -> AgentResult:
    return Agent(cluster, run_dir, *args, **overrides).start().wait(timeout)


def event(name: str, step: str | None = None, **fields: Any) -> Callable[[dict[str, Any]], bool]:
    """A predicate for `Agent.wait_for`."""

    def matches(e: dict[str, Any]) -> bool:
        return (e.get("event") == name and (step is None or e.get("step") == step)
                and all(e.get(k) == v for k, v in fields.items()))

    return matches


def any_of(*predicates: Callable[[dict[str, Any]], bool]) -> Callable[[dict[str, Any]], bool]:
    return lambda e: any(p(e) for p in predicates)
