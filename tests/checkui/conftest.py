"""The shipped UI check suite (flows/checks), run as the real `mastomove check-ui` in its own
process with its own Chromium, against the fixture cluster in the test process; broken pages come
from mastomove.fixtures.breaks (a rewriting proxy in front of the old instance). Outcomes are read from the
run's JUnit XML and report, and the servers' own state."""
from __future__ import annotations

import pytest

from tests.checkui.checkui_runs import CheckRun, run_check_ui


@pytest.fixture
def run_check(tmp_path):
    """`run_check(cluster, *args, base_url=None, **env) -> CheckRun`: the real command, in a subprocess."""

    def run(cluster, *args: str, base_url: str | None = None, timeout: float = 420, **env: str) -> CheckRun:
        return run_check_ui(cluster, tmp_path / "check-ui", *args, base_url=base_url, timeout=timeout, **env)

    return run
