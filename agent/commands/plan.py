"""`mastomove plan`: sign in to both accounts and say what migrate would do. Changes nothing."""
from __future__ import annotations

import typer

from mastomove.agent.commands.options import (Headed, Insecure, NewEmail, NewHandle, NewUrl, OldEmail, OldHandle,
                                              OldUrl, RunDir, settings_from)


def plan(
    ctx: typer.Context,
    old_handle: OldHandle = None, old_url: OldUrl = None, old_email: OldEmail = None,
    new_handle: NewHandle = None, new_url: NewUrl = None, new_email: NewEmail = None,
    run_dir: RunDir = None, headed: Headed = False, allow_insecure_http: Insecure = False,
) -> None:
    """Sign in to both accounts and print what [bold]migrate[/bold] would do. Changes nothing.

    Reads counts, whether the alias exists, whether the old account already moved or is on cooldown,
    and whether the new account needs follow approval."""
    raise typer.Exit(run_plan(settings_from(ctx)))


def run_plan(settings, *, person=None) -> int:
    import contextlib

    from mastomove.agent.errors import ExitCode
    from mastomove.agent.person import ConsolePerson
    from mastomove.agent.run import Stops, open_run
    from mastomove.agent.steps import Role
    from mastomove.flows.plan import migration_plan

    person = person or ConsolePerson()
    with Stops(person) as stops:
        run = open_run(settings, person, sub="plan")
    if stops.code is not None:
        return stops.code
    plan = migration_plan()
    with Stops(person) as stops, contextlib.closing(run):
        for role in Role:
            run.ctx.current_step = "sign_in"
            run.evidence.begin_step("plan")
            plan.sign_in(run.ctx, role)
        found = plan.inspect(run.ctx)
        run.evidence.write_json("plan.json", found)
        person.say("What migrate would do", "bold")
        for line in found.get("report", []):
            person.say(f"  • {line}")
        if found.get("stops"):
            person.say("migrate would stop before the move until this is fixed.", "yellow")
            return int(ExitCode.STOPPED_BEFORE_MOVE)
        return int(ExitCode.OK)
    return stops.code
