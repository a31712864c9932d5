"""The state file: a checkpoint per completed step, and each step's notes, so that a rerun with
the same run folder resumes instead of starting again."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from mastomove.agent.errors import BadInput
from mastomove.agent.evidence import now_iso
from mastomove.agent.files import write_private
from mastomove.agent.results import SavedResults, to_json
from mastomove.agent.steps import StepResult

STATE_VERSION = 1


class RunState:
    def __init__(self, path: Path, data: dict[str, Any], scrub: Callable[[Any], Any] | None = None):
        self.path = path
        self.data = data
        self.scrub = scrub or (lambda data: data)  # the run's redactor: no secret reaches the file

    @classmethod
    def open(cls, path: Path, *, old: str, new: str, scrub: Callable[[Any], Any] | None = None) -> "RunState":
        """Load the run folder's state, or start one. A folder of another migration is refused."""
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            if (data.get("old"), data.get("new")) != (old, new):
                raise BadInput(
                    f"{path.parent} holds the migration {data.get('old')} -> {data.get('new')}, not {old} -> {new}",
                    hint="use another run folder, or the handles of that migration",
                )
            return cls(path, data, scrub)
        state = cls(path, {"version": STATE_VERSION, "old": old, "new": new, "created": now_iso(), "steps": {}}, scrub)
        state.save()
        return state

    # --- steps -------------------------------------------------------------------------------
    def step(self, name: str) -> dict[str, Any]:
        return self.data["steps"].setdefault(name, {"status": "pending", "notes": {}, "attempts": 0})

    def is_done(self, name: str) -> bool:
        return self.step(name)["status"] == "done"

    def was_started(self, name: str) -> bool:
        return self.step(name)["status"] in ("started", "done")

    def start(self, name: str) -> None:
        record = self.step(name)
        record["status"] = "started" if record["status"] != "done" else "done"
        record["attempts"] += 1
        record.setdefault("started_at", now_iso())
        self.save()

    def finish(self, name: str, result: StepResult) -> None:
        record = self.step(name)
        record.update(status="done", result=to_json(result), finished_at=now_iso())
        self.save()

    def reopen(self, name: str) -> None:
        """A completed step that no longer verifies: run it again (its notes stay)."""
        self.step(name)["status"] = "started"
        self.save()

    def result(self, name: str) -> dict[str, Any]:
        """A step's result as saved (JSON); `results()` reads them typed."""
        return self.data["steps"].get(name, {}).get("result") or {}

    def results(self) -> SavedResults:
        return SavedResults(self.data["steps"])

    def notes(self, name: str) -> dict[str, Any]:
        return self.step(name)["notes"]

    def set_outcome(self, outcome: str, message: str | None = None) -> None:
        self.data["outcome"] = {"status": outcome, "message": message, "at": now_iso()}
        self.save()

    # --- disk --------------------------------------------------------------------------------
    def save(self) -> None:
        """Atomic, durable, owner-only: a kill mid-write leaves the previous checkpoint intact."""
        write_private(self.path, self.scrub(json.dumps(self.data, indent=2, default=str)), durable=True)
