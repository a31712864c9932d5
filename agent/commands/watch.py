"""`mastomove watch`: after the move, the new account's followers arriving, with a progress bar,
until all have arrived or time is up."""
from __future__ import annotations

from typing import Annotated

import typer

from mastomove.agent.commands.options import (RUN, Headed, Insecure, NewEmail, NewHandle, NewUrl, OldEmail, OldHandle,
                                              OldUrl, RunDir, settings_from)


def watch(
    ctx: typer.Context,
    old_handle: OldHandle = None, old_url: OldUrl = None, old_email: OldEmail = None,
    new_handle: NewHandle = None, new_url: NewUrl = None, new_email: NewEmail = None,
    run_dir: RunDir = None, headed: Headed = False, allow_insecure_http: Insecure = False,
    minutes: Annotated[float, typer.Option("--minutes", help="Stop watching after this long (run again any time).", rich_help_panel=RUN)] = 60,
) -> None:
    """After the move: watch your followers arrive on the new account, with a progress bar.

    Compares the new account's followers with the number the old one had when it moved (from the
    run folder, or the old account's migration page), shows follow requests waiting for your
    approval, and stops when all have arrived or time is up. Followers move as their servers process
    the move, which can take hours: run it again later. Exit code 0: all arrived; 3: not all yet."""
    raise typer.Exit(run_watch(settings_from(ctx), minutes=minutes))


def run_watch(settings, *, minutes: float, person=None) -> int:
    import contextlib

    from mastomove.agent.errors import ExitCode
    from mastomove.agent.evidence import read_json
    from mastomove.agent.person import ConsolePerson
    from mastomove.agent.results import SavedResults
    from mastomove.agent.run import Stops, open_run, rebuild_report, sigterm_as_interrupt
    from mastomove.agent.steps import Role
    from mastomove.flows.followup import follow_requests_url, watch_baseline
    from mastomove.flows.steps.sign_in import sign_in
    from mastomove.flows.steps.watch import FollowerWatch

    person = person or ConsolePerson()
    sigterm_as_interrupt()
    with Stops(person) as stops:
        run = open_run(settings, person, sub="watch", need_password=False)
    if stops.code is not None:
        return stops.code
    migration_dir, accounts = run.run_dir.parent, run.accounts
    steps = (read_json(migration_dir / "state.json") or {}).get("steps") or {}
    history = read_json(run.evidence.path("readings.json")) or []
    expected, new_before = watch_baseline(SavedResults(steps), history)
    old, new = accounts[Role.OLD].handle, accounts[Role.NEW].handle
    approve_at = follow_requests_url(accounts[Role.NEW].url)

    def keep(reading) -> None:
        history.append(reading.as_dict())
        run.evidence.write_json("readings.json", history)
        person.progress(f"Followers arrived on {new}", (reading.arrived or 0) + (reading.pending or 0),
                        reading.expected)
        if reading.pending:
            person.say(f"  {reading.pending} of them wait for your approval: {approve_at}")

    with Stops(person) as stops, contextlib.closing(run):
        run.evidence.begin_step("watch")
        run.ctx.current_step = "watch"
        watcher = FollowerWatch(run.ctx, expected=expected, new_before=new_before)
        for role in watcher.sign_ins_needed():
            account = accounts[role]
            if account.password is None and person.interactive:
                from pydantic import SecretStr

                account.password = SecretStr(person.ask_secret(f"Password of {account.handle} (not shown)"))
                run.evidence.redact(account.password.get_secret_value())
            sign_in(run.ctx, role)
            if role is Role.OLD:
                watcher.expected_from_migration_page()
        person.say(f"Watching followers move from {old} to {new}"
                   + (f": {watcher.expected} expected" if watcher.expected is not None else "")
                   + f" (at most {minutes:g} min; run again any time)")
        last = watcher.watch(seconds=minutes * 60, on_reading=keep)
    from mastomove.flows.plan import migration_steps

    rebuild_report(migration_dir, run.evidence.redactor.scrub_text, steps=migration_steps())  # it shows the readings
    if stops.code is not None:
        return stops.code
    if last.done:
        person.say(f"{last.arrived} follower(s) arrived on {new}"
                   + (f" ({last.percent}%)" if last.percent is not None else "")
                   + (f"; {last.pending} wait for your approval at {approve_at}" if last.pending else ""),
                   label="Done:", label_style="green bold")
        return int(ExitCode.OK)
    of = f" of {last.expected}" if last.expected is not None else ""
    still = f"{last.old_followers} still follow {old}" if last.old_followers is not None else \
        f"how many still follow {old} could not be read"
    person.say(f"{last.arrived}{of} follower(s) arrived on {new}; {still}. Followers move as their servers "
               "process the move (minutes to hours): run `mastomove watch` again later.",
               label="Not all yet:", label_style="yellow")
    return int(ExitCode.STOPPED_BEFORE_MOVE)
