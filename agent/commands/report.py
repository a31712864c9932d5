"""`mastomove report RUN_DIR`: build a run folder's report.html again, and say where it is."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def report(
    run_dir: Annotated[Path, typer.Argument(help="A run folder (the one migrate printed).", metavar="RUN_DIR")],
    open_: Annotated[bool, typer.Option("--open", help="Open it in your web browser.")] = False,
) -> None:
    """Build the run's HTML report again (report.html in the run folder) and say where it is.

    One self-contained file: each step with its screenshots, timings, retries and errors, the counts
    verified against the servers, what was saved before the move, and what is left for you."""
    raise typer.Exit(run_report(run_dir, open_in_browser=open_))


def run_report(run_dir: Path, *, open_in_browser: bool = False, person=None) -> int:
    from mastomove.agent.errors import ExitCode
    from mastomove.agent.person import ConsolePerson
    from mastomove.agent.report import write_report
    from mastomove.flows.plan import migration_steps

    person = person or ConsolePerson()
    if not (run_dir / "state.json").is_file():
        person.say(f"{run_dir} is not a mastomove run folder (it has no state.json)", "red")
        return int(ExitCode.BAD_INPUT)
    target = write_report(run_dir, steps=migration_steps())
    person.say(f"Report: {target}")
    if open_in_browser:
        import webbrowser

        webbrowser.open(target.resolve().as_uri())
    return int(ExitCode.OK)
