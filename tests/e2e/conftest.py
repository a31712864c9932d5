"""End-to-end: the real `mastomove` command, in its own process with its own Chromium, against
the fixture cluster running in the test process. Outcomes are read from the servers' state."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from e2e_runs import account_env, mastomove


@dataclass
class AgentRun:
    code: int
    output: str
    run_dir: Path

    def log_lines(self) -> str:
        return self.log_lines_of()

    def log_lines_of(self, sub: str = "") -> str:
        """log.jsonl of the run folder, or of its `sub` folder (plan/, watch/, ...)."""
        log = self.run_dir / sub / "log.jsonl"
        return log.read_text() if log.exists() else ""


@pytest.fixture
def run_agent(tmp_path):
    """`run_agent(cluster, "migrate", "--confirm-move", ...) -> AgentRun`."""

    def run(cluster, *args: str, run_dir: Path | None = None, timeout: float = 300, **env: str) -> AgentRun:
        run_dir = run_dir or tmp_path / "run"
        done = mastomove(*args, env=account_env(cluster, run_dir, **env), timeout=timeout)
        return AgentRun(done.returncode, done.stdout + done.stderr, run_dir)

    return run
