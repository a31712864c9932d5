"""`mastomove watch`: after the move, the new account's followers arriving, with a progress bar,
and who of the old account's followers came along, by server, until all have arrived, nothing has
changed for a while, or time is up."""
from __future__ import annotations

from typing import Annotated

import typer

from mastomove.agent.commands.options import (RUN, Headed, Insecure, NewEmail, NewHandle, NewUrl, OldEmail, OldHandle,
                                              OldUrl, RunDir, settings_from)

SETTLE_MINUTES = 15.0


def watch(
    ctx: typer.Context,
    old_handle: OldHandle = None, old_url: OldUrl = None, old_email: OldEmail = None,
    new_handle: NewHandle = None, new_url: NewUrl = None, new_email: NewEmail = None,
    run_dir: RunDir = None, headed: Headed = False, allow_insecure_http: Insecure = False,
    minutes: Annotated[float, typer.Option("--minutes", help="Stop watching after this long (run again any time).", rich_help_panel=RUN)] = 60,
    settle_minutes: Annotated[float, typer.Option(
        "--settle-minutes", help="Stop when what is left has not changed for this long (their servers are not "
                                 "moving them now).", rich_help_panel=RUN)] = SETTLE_MINUTES,
) -> None:
    """After the move: watch your followers arrive on the new account, and see who did not come along.

    Compares the new account's followers with the number the old one had when it moved (from the
    run folder, or the old account's migration page), shows follow requests waiting for your
    approval, and, with the followers list the migration saved before the move, which followers
    arrived, wait for approval or did not arrive, by server, with what each server runs and the
    likely reason (not-arrived.csv, and a post to ask them in ask-to-follow.txt). Stops when all have
    arrived, when nothing has changed for --settle-minutes, or after --minutes. Followers move as
    their servers process the move, which can take hours: run it again later. Exit code 0: all
    arrived; 3: not all yet."""
    raise typer.Exit(run_watch(settings_from(ctx), minutes=minutes, settle_minutes=settle_minutes))


def run_watch(settings, *, minutes: float, settle_minutes: float = SETTLE_MINUTES, person=None) -> int:
    import contextlib

    from mastomove.agent import followers as files
    from mastomove.agent.errors import ExitCode
    from mastomove.agent.evidence import read_json
    from mastomove.agent.person import ConsolePerson
    from mastomove.agent.results import SavedResults
    from mastomove.agent.run import Stops, open_run, rebuild_report, sigterm_as_interrupt
    from mastomove.agent.steps import Role
    from mastomove.agent.summary import refresh_followers
    from mastomove.flows.followers import may_still_arrive
    from mastomove.flows.followup import follow_requests_url, followers_left, watch_baseline
    from mastomove.flows.steps.followers import keep_comparison
    from mastomove.flows.steps.sign_in import sign_in
    from mastomove.flows.steps.watch import ALL_ARRIVED, SETTLED, FollowerWatch

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
    saved = files.read_followers(migration_dir)
    old, new = accounts[Role.OLD].handle, accounts[Role.NEW].handle
    approve_at = follow_requests_url(accounts[Role.NEW].url)
    checks: list[dict] = []

    def keep(reading) -> None:
        history.append(reading.as_dict())
        run.evidence.write_json("readings.json", history)
        person.progress(f"Followers arrived on {new}", (reading.arrived or 0) + (reading.pending or 0),
                        reading.expected)
        if reading.pending:
            person.say(f"  {reading.pending} of them wait for your approval: {approve_at}")

    def keep_check(comparison) -> None:
        check = keep_comparison(run.ctx, migration_dir, comparison)
        checks.append(check)
        refresh_followers(migration_dir, check, followers_left(check), run.evidence.redactor.scrub_text)
        person.say(f"  {files.headline(check)}")

    with Stops(person) as stops, contextlib.closing(run):
        run.evidence.begin_step("watch")
        run.ctx.current_step = "watch"
        watcher = FollowerWatch(run.ctx, expected=expected, new_before=new_before, saved=saved)
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
                   + (f", {len(saved)} followers compared one by one" if saved is not None else "")
                   + f" (at most {minutes:g} min, or until nothing changed for {settle_minutes:g} min; run again any time)")
        end = watcher.watch(seconds=minutes * 60, settle_seconds=settle_minutes * 60, on_reading=keep,
                            on_comparison=keep_check)
    from mastomove.flows.plan import migration_steps

    # it shows the readings and the table
    rebuild_report(migration_dir, run.evidence.redactor.scrub_text, steps=migration_steps())
    if stops.code is not None:
        return stops.code
    last, check = end.reading, (checks[-1] if checks else None)
    if check is not None:
        person.say("Who came along, by server:", "bold")
        for line in files.table_lines(check):
            person.say(f"  {line}")
        if (check.get("counts") or {}).get("not_arrived"):
            person.say(f"Not arrived: {migration_dir / files.NOT_ARRIVED_CSV}; a post to ask them to follow "
                       f"{new}: {migration_dir / files.POST_TXT} (not posted)")
    if end.why == ALL_ARRIVED:
        if check is not None:
            waiting = (check.get("counts") or {}).get("waiting") or 0
            person.say(f"every follower saved before the move arrived on {new}"
                       + (f"; {waiting} wait for your approval at {approve_at}" if waiting else ""),
                       label="Done:", label_style="green bold")
        else:
            person.say(f"{last.arrived} follower(s) arrived on {new}"
                       + (f" ({last.percent}%)" if last.percent is not None else "")
                       + (f"; {last.pending} wait for your approval at {approve_at}" if last.pending else ""),
                       label="Done:", label_style="green bold")
        return int(ExitCode.OK)
    why = (f"what is left has not changed for {settle_minutes:g} min" if end.why == SETTLED
           else f"watched for {minutes:g} min")
    if check is not None:
        missing, later = (check.get("counts") or {}).get("not_arrived") or 0, may_still_arrive(check)
        if later:
            advice = (f"{later} of the {missing} not arrived are on servers that may still move them (minutes to "
                      "hours): run `mastomove watch` again later")
        else:
            advice = ("none of them is on a server that is going to move them: ask them to follow the new account "
                      f"({files.POST_TXT} has a post to adapt)")
        now = f"{files.headline(check)}; {advice}."
    else:
        of = f" of {last.expected}" if last.expected is not None else ""
        still = f"{last.old_followers} still follow {old}" if last.old_followers is not None else \
            f"how many still follow {old} could not be read"
        now = (f"{last.arrived}{of} follower(s) arrived on {new}; {still}. Followers move as their servers process "
               "the move (minutes to hours): run `mastomove watch` again later.")
    person.say(f"{why}: {now}", label="Not all yet:", label_style="yellow")
    return int(ExitCode.STOPPED_BEFORE_MOVE)
