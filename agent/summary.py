"""How a migration run ended, in the run folder (summary.md, summary.json) and at the terminal.
Written whatever the outcome, a crash included, and redacted after it is rendered."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mastomove.agent.errors import ExitCode
from mastomove.agent.person import ConsolePerson
from mastomove.agent.results import followups
from mastomove.agent.steps import Role

MARKS = {"done": "✓", "started": "…", "pending": "·"}


@dataclass
class Summary:
    path: Path  # summary.md (summary.json beside it)
    left_to_you: list[dict[str, str]]


def write_summary(run: Any, runner: Any, outcome: str, message: str | None, seconds: float) -> Summary:
    """`run`: agent.run.Run; `runner`: the agent.runner.Runner that ran its plan."""
    steps = []
    for step in runner.plan.steps:
        record = run.state.step(step.name)
        steps.append({"name": step.name, "title": step.title, "status": record["status"],
                      "attempts": record.get("attempts", 0),
                      "seconds": round(runner.timings.get(step.name, 0.0), 2),
                      "report": run.state.result(step.name).get("report", [])})
    left = [item.as_dict() for item in followups(runner.plan.steps, run.state.results())]
    run.evidence.write_json("summary.json", {"outcome": outcome, "message": message,
                                             "seconds": round(seconds, 1), "steps": steps, "left_to_you": left})
    lines = [f"# mastomove: {run.accounts[Role.OLD].handle} → {run.accounts[Role.NEW].handle}", "",
             f"Outcome: **{outcome}**" + (f": {message}" if message else ""), f"Time: {seconds:.0f} s", ""]
    for item in steps:
        lines.append(f"- {MARKS.get(item['status'], '?')} {item['title']} ({item['status']}, {item['seconds']} s)")
        lines.extend(f"  - {line}" for line in item["report"])
    if left:
        lines += ["", "## Left for you", ""]
        lines.extend(f"- {item['what']}\n  - how: {item['how']}" for item in left)
    lines += ["", "Screenshots: screenshots/ · log: log.jsonl · state: state.json · report: report.html"]
    return Summary(run.evidence.write_text("summary.md", "\n".join(lines) + "\n"), left)


def tell_outcome(person: ConsolePerson, run: Any, outcome: str, message: str | None, code: ExitCode,
                 summary: Summary, report: Path | None = None) -> None:
    old, new = run.accounts[Role.OLD].handle, run.accounts[Role.NEW].handle
    person.say("")
    if outcome == "completed":
        person.say(f"{old} now redirects to {new}.", label="Done.", label_style="green bold")
    elif code == ExitCode.INTERRUPTED:
        person.say("Nothing is lost: run the same command again to resume.", label="Interrupted.",
                   label_style="yellow")
    else:
        person.say(message or outcome, label="Stopped:", label_style="red")
    if summary.left_to_you:
        person.say("Left for you", "bold")
        for item in summary.left_to_you:
            person.say(f"  • {item['what']}\n    how: {item['how']}")
    person.say(f"Summary: {summary.path}")
    if report is not None:
        person.say(f"Report: {report}  (mastomove report {run.run_dir} --open)")
    person.say(f"Screenshots: {run.run_dir / 'screenshots'}")
