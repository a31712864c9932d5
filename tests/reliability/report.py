"""`make reliability`: run the reliability suite and print its figures, counted by the tests from
their real runs (tests/reliability/figures.py): faults injected and survived, interruptions and
resumes, bad inputs tried, side effects duplicated, secrets leaked (also after runs that crashed on
purpose), data lost, fail-closed checks (unreadable answers taken as the safe case: must be 0) and
sends per action (a form sent more than 5 times: must be 0).

    .venv/bin/python tests/reliability/report.py [pytest arguments]

Exit status: pytest's, or 1 when a must-be-zero figure is not zero or a fault was not survived.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from figures import MUST_BE_ZERO, render  # noqa: E402


def main(argv: list[str]) -> int:
    figures_file = Path(os.environ.get("MASTOMOVE_RELIABILITY_FIGURES", PROJECT / "test-results" / "reliability.json"))
    figures_file.unlink(missing_ok=True)
    env = {**os.environ, "MASTOMOVE_RELIABILITY_FIGURES": str(figures_file), "MASTOMOVE_RELIABILITY_QUIET": "1"}
    code = subprocess.call([sys.executable, "-m", "pytest", str(HERE), "-q", *argv], cwd=PROJECT, env=env)
    if not figures_file.exists():
        print("reliability: no figures were written (did any test run?)")
        return code or 1
    data = json.loads(figures_file.read_text())
    print()
    print("mastomove reliability")
    print("=" * 72)
    for line in render(data):
        print(line)
    problems = [f"{name} = {data[name]}" for name in MUST_BE_ZERO if data[name]]
    if data["faults_survived"] != data["faults_injected"]:
        problems.append(f"{data['faults_injected'] - data['faults_survived']} fault(s) not survived")
    if data["bad_inputs_refused_cleanly"] != data["bad_inputs_tried"]:
        problems.append(f"{data['bad_inputs_tried'] - data['bad_inputs_refused_cleanly']} bad input(s) not refused cleanly")
    print("=" * 72)
    if problems or code:
        print("FAIL: " + "; ".join(problems + ([f"pytest exit {code}"] if code else [])))
        return code or 1
    print(f"PASS: every fault survived, every interruption resumed, nothing duplicated, leaked or lost "
          f"(figures: {figures_file})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
