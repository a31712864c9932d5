"""The reliability figures: counted by the tests from what really happened in their runs (faults
the servers report as hit, signals sent, bad inputs tried, duplicates and losses found on the
servers, secrets found in run folders), written as JSON and printed at the end of the session."""
from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MUST_BE_ZERO = ("side_effects_duplicated", "secrets_leaked", "data_lost", "fail_closed_broken", "sends_over_budget")
SEND_BUDGET = 5  # a form is sent at most this many times in all (agent.retry.ATTEMPTS)


@dataclass
class Figures:
    faults_injected: int = 0
    faults_hit: int = 0
    faults_survived: int = 0
    interruptions: int = 0
    resumes: int = 0
    resumes_completed: int = 0
    bad_inputs_tried: int = 0
    bad_inputs_refused_cleanly: int = 0
    side_effects_duplicated: int = 0
    secrets_leaked: int = 0
    data_lost: int = 0
    runs_scanned: int = 0
    agent_runs: int = 0
    crashes_scanned: int = 0  # runs that ended badly on purpose (a closed browser, an unforeseen error, ...)
    crash_secrets_leaked: int = 0  # of secrets_leaked, found after those
    fail_closed_checks: int = 0  # answers that could not be read, and had to be taken as unknown
    fail_closed_broken: int = 0  # ... and were taken as the safe case
    sends_over_budget: int = 0  # actions that sent a form more than SEND_BUDGET times
    sends_per_action: dict[str, int] = field(default_factory=dict)  # action -> the most sends seen
    fail_closed: dict[str, str] = field(default_factory=dict)  # check -> "held" or what broke
    faults_by_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    faults_by_step: dict[str, dict[str, int]] = field(default_factory=dict)
    interruptions_by_kind: dict[str, int] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)  # what broke a must-be-0
    notes: list[str] = field(default_factory=list)  # how runs stopped before they were resumed

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    # --- recording ---------------------------------------------------------------------------
    def fault(self, kind: str, step: str, *, injected: int, hit: int, survived: bool) -> None:
        with self._lock:
            self.faults_injected += injected
            self.faults_hit += hit
            self.faults_survived += hit if survived else 0
            for table, key in ((self.faults_by_kind, kind), (self.faults_by_step, step)):
                row = table.setdefault(key, {"injected": 0, "hit": 0, "survived": 0})
                row["injected"] += injected
                row["hit"] += hit
                row["survived"] += hit if survived else 0

    def interruption(self, kind: str) -> None:
        with self._lock:
            self.interruptions += 1
            self.interruptions_by_kind[kind] = self.interruptions_by_kind.get(kind, 0) + 1

    def resume(self, completed: bool = False) -> None:
        with self._lock:
            self.resumes += 1
            self.resumes_completed += int(completed)

    def bad_input(self, refused_cleanly: bool) -> None:
        with self._lock:
            self.bad_inputs_tried += 1
            self.bad_inputs_refused_cleanly += int(refused_cleanly)

    def outcome(self, *, duplicated: int = 0, lost: int = 0, note: str = "") -> None:
        with self._lock:
            self.side_effects_duplicated += duplicated
            self.data_lost += lost
            if note and (duplicated or lost):
                self.details.append(note)

    def leaked(self, count: int, *, runs: int, note: str = "") -> None:
        with self._lock:
            self.runs_scanned += runs
            self.agent_runs += runs
            self.secrets_leaked += count
            if count and note:
                self.details.append(note)

    def crash(self, kind: str, leaked: int) -> None:
        with self._lock:
            self.crashes_scanned += 1
            self.crash_secrets_leaked += leaked
            self.notes.append(f"crash scanned: {kind}, {leaked} secret(s) found")

    def failed_closed(self, check: str, held: bool, detail: str = "") -> None:
        with self._lock:
            self.fail_closed_checks += 1
            self.fail_closed_broken += 0 if held else 1
            self.fail_closed[check] = "held" if held else f"BROKE: {detail}"
            if not held:
                self.details.append(f"fail-closed check {check}: {detail}")

    def sends(self, action: str, count: int) -> None:
        with self._lock:
            self.sends_per_action[action] = max(count, self.sends_per_action.get(action, 0))
            if count > SEND_BUDGET:
                self.sends_over_budget += 1
                self.details.append(f"{action}: sent {count} times (budget {SEND_BUDGET})")

    def note(self, line: str) -> None:
        with self._lock:
            self.notes.append(line)

    # --- reporting ---------------------------------------------------------------------------
    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("_lock", None)
        return data

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.as_dict(), indent=2) + "\n")


def render(data: dict[str, Any]) -> list[str]:
    """The figures as a person reads them."""
    lines = [
        f"faults injected        {data['faults_injected']:>4}   hit {data['faults_hit']}, survived {data['faults_survived']}",
    ]
    for kind, row in sorted(data["faults_by_kind"].items()):
        lines.append(f"  {kind:<20} {row['injected']:>4}   hit {row['hit']}, survived {row['survived']}")
    steps = ", ".join(f"{step} {row['survived']}/{row['injected']}" for step, row in data["faults_by_step"].items())
    if steps:
        lines.append(f"  by step: {steps}")
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(data["interruptions_by_kind"].items()))
    lines += [
        f"interruptions          {data['interruptions']:>4}   ({kinds or 'none'})",
        f"resumes                {data['resumes']:>4}   of which ended the migration: {data['resumes_completed']}",
        f"bad inputs tried       {data['bad_inputs_tried']:>4}   refused cleanly {data['bad_inputs_refused_cleanly']}",
        f"side effects duplicated{data['side_effects_duplicated']:>4}   (must be 0)",
        f"secrets leaked         {data['secrets_leaked']:>4}   (must be 0; {data['runs_scanned']} runs scanned)",
        f"data lost              {data['data_lost']:>4}   (must be 0)",
        f"crashes scanned        {data['crashes_scanned']:>4}   secrets found after them {data['crash_secrets_leaked']} "
        "(must be 0)",
        f"fail-closed checks     {data['fail_closed_checks']:>4}   unknown taken as safe {data['fail_closed_broken']} "
        "(must be 0)",
    ]
    for check, outcome in sorted(data["fail_closed"].items()):
        lines.append(f"  {check:<44} {outcome}")
    sends = ", ".join(f"{action} {count}" for action, count in sorted(data["sends_per_action"].items()))
    lines.append(f"sends per action       max {max(data['sends_per_action'].values(), default=0):>2}   "
                 f"(budget {SEND_BUDGET}; over it: {data['sends_over_budget']}, must be 0)" + (f": {sends}" if sends else ""))
    lines.extend(f"  ! {d}" for d in data.get("details", []))
    lines.extend(f"  - {n}" for n in data.get("notes", []))
    return lines
