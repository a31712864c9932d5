"""`mastomove check-ui` as a person runs it, in its own process against a fixture cluster: its
outcome read from the run's JUnit XML (tests/checkui and the reliability suite use it)."""
from __future__ import annotations

import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from mastomove.agent.demo import cluster_environment

PROJECT = Path(__file__).resolve().parents[2]
# Pages here answer in well under a second even on a busy machine: a check that waits 15 s has met
# a page that never finishes.
PAGE_TIMEOUT = "15"


@dataclass
class Case:
    name: str  # the test function's name, e.g. test_export_download[follows]
    outcome: str  # passed, failed, error, skipped
    message: str = ""
    properties: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class CheckRun:
    code: int
    output: str
    folder: Path
    seconds: float
    cases: dict[str, Case]

    def failed(self) -> dict[str, Case]:
        return {name: case for name, case in self.cases.items() if case.outcome in ("failed", "error")}

    def outcomes(self) -> dict[str, str]:
        return {name: case.outcome for name, case in self.cases.items()}


def read_junit(path: Path) -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for element in ET.parse(path).getroot().iter("testcase"):
        case = Case(element.get("name"), "passed")
        for kind in ("failure", "error", "skipped"):
            found = element.find(kind)
            if found is not None:
                case.outcome = {"failure": "failed", "error": "error", "skipped": "skipped"}[kind]
                case.message = (found.get("message") or "") + "\n" + (found.text or "")
                break
        for prop in element.iter("property"):
            case.properties.setdefault(prop.get("name"), []).append(prop.get("value"))
        cases[case.name] = case
    return cases


def check_env(cluster, **overrides: str) -> dict[str, str]:
    """The documented MASTOMOVE_* settings: the old account is the one under test, the new one the
    account that is not its alias (and the destination with --destructive)."""
    env = cluster_environment(cluster)
    # Without --destructive the suite signs in only as the account under test.
    for name in ("MASTOMOVE_NEW_EMAIL", "MASTOMOVE_NEW_PASSWORD"):
        env.pop(name)
    return {**env, "COLUMNS": "120", **overrides}


def run_check_ui(cluster, folder: Path, *args: str, base_url: str | None = None, timeout: float = 420,
                 **env: str) -> CheckRun:
    """The real command, in a subprocess started in `folder`'s parent; its output in `folder`."""
    command = [sys.executable, "-m", "mastomove.agent.cli", "check-ui", "--output", str(folder),
               "--page-timeout", PAGE_TIMEOUT, *(["--base-url", base_url] if base_url else []), *args]
    started = time.monotonic()
    done = subprocess.run(command, cwd=folder.parent, env=check_env(cluster, **env), capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)
    junit = folder / "junit.xml"
    return CheckRun(done.returncode, done.stdout + done.stderr, folder, time.monotonic() - started,
                    read_junit(junit) if junit.exists() else {})
