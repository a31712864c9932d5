"""`mastomove migrate`: the whole move, through the web pages, with a pause before the
irreversible step. The same run folder again resumes."""
from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from mastomove.agent.commands.options import (RUN, AliasWait, ConfirmMove, Headed, Insecure, NewEmail, NewHandle,
                                              NewUrl, OldEmail, OldHandle, OldUrl, RunDir, SkipBackup, SlowMo,
                                              Trace, UnlockNew, Video, confirmation_from, option, settings_from,
                                              switch)

if TYPE_CHECKING:
    from mastomove.agent.confirmation import Confirmation
    from mastomove.agent.person import ConsolePerson
    from mastomove.agent.settings import Settings


def migrate(
    ctx: typer.Context,
    old_handle: OldHandle = None, old_url: OldUrl = None, old_email: OldEmail = None,
    new_handle: NewHandle = None, new_url: NewUrl = None, new_email: NewEmail = None,
    run_dir: RunDir = None, headed: Headed = False, slow_mo: SlowMo = None,
    allow_insecure_http: Insecure = False, trace: Trace = False, video: Video = False,
    confirm_move: ConfirmMove = None, unlock_new_account: UnlockNew = False,
    overwrite: Annotated[bool, switch("--overwrite", "Import in overwrite mode (replaces the new account's lists) instead of merge.")] = False,
    announcement: Annotated[Optional[str], option("--announcement", "Text posted from the new account; {old} and {new} become the handles.", RUN)] = None,
    alias_wait_hours: AliasWait = None,
    skip_backup: SkipBackup = False,
) -> None:
    """Run the whole move: sign in, copy the profile, announce, export, import, alias, back up, [bold]pause[/bold], move, verify.

    Passwords come from MASTOMOVE_OLD_PASSWORD / MASTOMOVE_NEW_PASSWORD (environment or .env) or a hidden prompt.
    The move is confirmed at the terminal, or in advance with --confirm-move.
    Rerunning with the same run folder resumes: finished steps are re-checked, not repeated."""
    from mastomove.agent.person import ConsolePerson

    person = ConsolePerson()
    raise typer.Exit(run_migration(settings_from(ctx), confirmation=confirmation_from(confirm_move, person),
                                   person=person))


def run_migration(settings: "Settings", *, confirmation: "Confirmation | None" = None,
                  person: "ConsolePerson | None" = None) -> int:
    """One migration, start to end (or to where it stops): the exit code."""
    import time

    from mastomove.agent.commands.options import told
    from mastomove.agent.errors import ExitCode, MastomoveError, exit_code_for
    from mastomove.agent.person import ConsolePerson
    from mastomove.agent.run import open_run, rebuild_report, sigterm_as_interrupt
    from mastomove.agent.runner import Runner
    from mastomove.agent.steps import Role
    from mastomove.agent.summary import tell_outcome, write_summary
    from mastomove.flows.plan import migration_plan

    person = person or ConsolePerson()
    person.confirmation = confirmation or person.confirmation
    sigterm_as_interrupt()
    try:
        run = open_run(settings, person, confirmation=person.confirmation)
    except MastomoveError as error:
        person.say(told(error), "red")
        return int(error.exit_code)
    runner = Runner(migration_plan(), run.ctx)
    started = time.monotonic()
    outcome, message, code = "completed", None, ExitCode.OK
    try:
        person.say(f"Run folder: {run.run_dir}")
        run.evidence.log.info("run_started", old=str(run.accounts[Role.OLD].handle),
                              new=str(run.accounts[Role.NEW].handle), run_dir=str(run.run_dir),
                              browser="own, over a pipe")
        runner.run()
    except KeyboardInterrupt:
        outcome, message, code = "interrupted", "Interrupted", ExitCode.INTERRUPTED
    except MastomoveError as error:
        outcome, message, code = "stopped", told(error), exit_code_for(error)
    except Exception as error:  # noqa: BLE001 - a crash still gets a summary and a resumable state
        run.evidence.log.exception("crash")
        outcome, message, code = "crashed", f"{type(error).__name__}: {error}", exit_code_for(error)
    finally:
        run.state.set_outcome(outcome, message)
        summary = write_summary(run, runner, outcome, message, time.monotonic() - started)
        run.close()
        report = rebuild_report(run.run_dir, run.evidence.redactor.scrub_text, steps=runner.plan.steps)
    tell_outcome(person, run, outcome, message, code, summary, report)
    return int(code)
