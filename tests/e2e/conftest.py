"""End-to-end: the real `mastomove` command, in its own process with its own Chromium, against
the fixture cluster running in the test process. Outcomes are read from the servers' state."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from agent.demo import cluster_environment

PROJECT = Path(__file__).resolve().parents[2]


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


def agent_env(cluster, run_dir: Path, **overrides: str) -> dict[str, str]:
    """The documented MASTOMOVE_* variables for the seeded accounts."""
    return {
        **cluster_environment(cluster),
        "MASTOMOVE_RUN_DIR": str(run_dir),
        # test speed: the alias and the followers show up within seconds here
        "MASTOMOVE_ALIAS_FIRST_WAIT_SECONDS": "1", "MASTOMOVE_ALIAS_WAIT_CAP_SECONDS": "5",
        "MASTOMOVE_ALIAS_WAIT_SECONDS": "120", "MASTOMOVE_FOLLOWER_WATCH_SECONDS": "30",
        "COLUMNS": "120",
        **overrides,
    }


@pytest.fixture
def run_agent(tmp_path):
    """`run_agent(cluster, "migrate", "--confirm-move", ...) -> AgentRun`."""

    def run(cluster, *args: str, run_dir: Path | None = None, timeout: float = 300, **env: str) -> AgentRun:
        run_dir = run_dir or tmp_path / "run"
        done = subprocess.run([sys.executable, "-m", "agent.cli", *args], cwd=PROJECT,
                              env=agent_env(cluster, run_dir, **env), capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)
        return AgentRun(done.returncode, done.stdout + done.stderr, run_dir)

    return run
