"""What the commands do, once their flags are Settings: set up the run, run it, say how it ended."""
from __future__ import annotations

import contextlib
import re
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mastomove.agent.errors import ExitCode, MastomoveError, exit_code_for
from mastomove.agent.evidence import read_json
from mastomove.agent.person import ConsolePerson
from mastomove.agent.settings import Settings
from mastomove.agent.steps import Account, Role


def default_run_dir(accounts: dict[Role, Account]) -> Path:
    name = f"{accounts[Role.OLD].handle}-to-{accounts[Role.NEW].handle}"
    return Path("runs") / re.sub(r"[^A-Za-z0-9_.@-]+", "_", name)


def session_files(settings: Settings, accounts: dict[Role, Account]) -> dict[str, Path]:
    return {role.value: settings.session_dir / f"{role.value}-{account.handle}.json" for role, account in accounts.items()}


def _sigterm_as_interrupt() -> None:
    if threading.current_thread() is not threading.main_thread():
        return  # a batch worker: the batch's main thread handles signals

    def handler(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


class Run:
    """Everything one run owns: folder, log, state, browser, context. Closed in one place."""

    def __init__(self, settings: Settings, accounts: dict[Role, Account], person: ConsolePerson,
                 run_dir: Path, *, connect: str | None = None):
        from mastomove.agent.browser import BrowserConfig, BrowserSession
        from mastomove.agent.evidence import Evidence
        from mastomove.agent.runner import RunContext
        from mastomove.agent.state import RunState

        self.settings = settings
        self.accounts = accounts
        self.person = person
        self.run_dir = run_dir
        self.evidence = Evidence(run_dir, screenshots=settings.screenshots, full_page=settings.full_page_screenshots)
        for account in accounts.values():
            self.evidence.redact(*(s.get_secret_value() for s in (account.password, account.otp_secret) if s))
        self.state = RunState.open(run_dir / "state.json", old=str(accounts[Role.OLD].handle),
                                   new=str(accounts[Role.NEW].handle))
        config = BrowserConfig.load()
        config.headless = not settings.headed and config.headless
        if settings.slow_mo:
            config.slow_mo = settings.slow_mo
        self.watchalong = None
        if settings.watch_along if settings.watch_along is not None else not config.headless:
            from mastomove.agent.watchalong import WatchAlong

            self.watchalong = WatchAlong(lead_ms=settings.slow_mo or 250)
            getattr(person, "observers", []).append(self.watchalong.show)
        self.browser = BrowserSession(
            config, run_dir=run_dir, session_files=session_files(settings, accounts),
            trace=settings.trace, video=settings.video, on_context=self._on_context, connect=connect,
        )
        self.ctx = RunContext(settings=settings, accounts=accounts, evidence=self.evidence, person=person,
                              state=self.state, pages=lambda role: self.browser.page(role.value))

    def _on_context(self, role: str, context: Any) -> None:
        if self.settings.trace:
            self.evidence.watch_tracing(context)
        if self.watchalong is not None:
            self.watchalong.attach(context)

    def close(self) -> None:
        observers = getattr(self.person, "observers", [])
        if self.watchalong is not None:
            self.watchalong.detach()
            if self.watchalong.show in observers:
                observers.remove(self.watchalong.show)
        if hasattr(self.person, "close"):
            self.person.close()
        self.browser.close()
        self.evidence.close()


def _prepare(settings: Settings, person: ConsolePerson, *, sub: str | None = None,
             connect: str | None = None, need_password: bool = True) -> Run:
    from mastomove.agent.accounts import accounts_for

    accounts = accounts_for(settings, ask=person.ask_secret, need_password=need_password)
    run_dir = settings.run_dir or default_run_dir(accounts)
    if sub:
        run_dir = run_dir / sub
    return Run(settings, accounts, person, run_dir, connect=connect)


def run_migration(settings: Settings, *, person: ConsolePerson | None = None, connect: str | None = None) -> int:
    """`connect`: the address of a browser to open this run's contexts in (`mastomove batch`)."""
    from mastomove.flows.plan import migration_plan

    from mastomove.agent.runner import Runner

    person = person or ConsolePerson(confirm_move=settings.confirm_move)
    _sigterm_as_interrupt()
    try:
        run = _prepare(settings, person, connect=connect)
    except MastomoveError as error:
        person.say(f"[red]{error}[/red]")
        return int(error.exit_code)
    runner = Runner(migration_plan(), run.ctx)
    started = time.monotonic()
    outcome, message, code = "completed", None, ExitCode.OK
    try:
        person.say(f"Run folder: {run.run_dir}")
        run.evidence.log.info("run_started", old=str(run.accounts[Role.OLD].handle),
                              new=str(run.accounts[Role.NEW].handle), run_dir=str(run.run_dir),
                              browser=connect or "own")
        runner.run()
    except KeyboardInterrupt:
        outcome, message, code = "interrupted", "Interrupted", ExitCode.INTERRUPTED
    except MastomoveError as error:
        outcome, message, code = "stopped", str(error), exit_code_for(error)
    except Exception as error:  # noqa: BLE001 - a crash still gets a summary and a resumable state
        run.evidence.log.exception("crash")
        outcome, message, code = "crashed", f"{type(error).__name__}: {error}", exit_code_for(error)
    finally:
        run.state.set_outcome(outcome, message)
        summary = write_summary(run, runner, outcome, message, time.monotonic() - started)
        run.close()
        report = _report(run.run_dir)
    tell_outcome(person, run, outcome, message, code, summary, report)
    return int(code)


def _report(run_dir: Path) -> Path | None:
    """Build the run folder's report again (a migration's: it has a state file); its command's
    outcome stands without it."""
    if not (run_dir / "state.json").is_file():
        return None
    from mastomove.agent.report import write_report

    try:
        return write_report(run_dir)
    except Exception:  # noqa: BLE001 - the outcome stands without its report
        return None


class _Stops:
    """`with stops:` ends a command's block on Ctrl-C or a MastomoveError, says the error in one line,
    and keeps the exit code in `stops.code` (None while nothing stopped)."""

    def __init__(self, person: ConsolePerson):
        self.person = person
        self.code: int | None = None

    def __enter__(self) -> "_Stops":
        return self

    def __exit__(self, kind, error, _traceback) -> bool:
        if kind is not None and issubclass(kind, KeyboardInterrupt):
            self.code = int(ExitCode.INTERRUPTED)
            return True
        if isinstance(error, MastomoveError):
            self.person.say(f"[red]{error}[/red]")
            self.code = int(error.exit_code)
            return True
        return False


def run_plan(settings: Settings, *, person: ConsolePerson | None = None) -> int:
    from mastomove.flows.plan import migration_plan

    person = person or ConsolePerson()
    with _Stops(person) as stops:
        run = _prepare(settings, person, sub="plan")
    if stops.code is not None:
        return stops.code
    plan = migration_plan()
    with _Stops(person) as stops, contextlib.closing(run):
        for role in Role:
            run.ctx.current_step = "sign_in"
            run.evidence.begin_step("plan")
            plan.sign_in(run.ctx, role)
        report = plan.inspect(run.ctx) if plan.inspect else {}
        run.evidence.write_json("plan.json", report)
        person.say("[bold]What migrate would do[/bold]")
        for line in report.get("report", []):
            person.say(f"  • {line}")
        if report.get("stops"):
            person.say("[yellow]migrate would stop before the move until this is fixed.[/yellow]")
            return int(ExitCode.STOPPED_BEFORE_MOVE)
        return int(ExitCode.OK)
    return stops.code


def run_login(settings: Settings, role: Role, *, timeout_s: float = 600,
              person: ConsolePerson | None = None) -> int:
    """Sign in by hand in a visible browser, and keep that session (owner-only file) for later runs."""
    from mastomove.agent.accounts import accounts_for
    from mastomove.flows.steps.sign_in import sign_in_by_person

    person = person or ConsolePerson()
    with _Stops(person) as stops:
        accounts = accounts_for(settings.model_copy(update={"headed": True}), need_password=False)
    if stops.code is not None:
        return stops.code
    settings = settings.model_copy(update={"headed": True, "run_dir": (settings.run_dir or default_run_dir(accounts)) / "login",
                                           "watch_along": bool(settings.watch_along)})  # the person clicks here
    run = Run(settings, accounts, person, settings.run_dir)
    with _Stops(person) as stops, contextlib.closing(run):
        run.evidence.begin_step(f"login-{role}")
        run.ctx.current_step = "login"
        sign_in_by_person(run.ctx, role, timeout_s=timeout_s)
        target = session_files(settings, accounts)[role.value]
        run.browser.save_session(role.value, target)
        person.say(f"Signed in. The session is kept in {target} (readable only by you); "
                   "later runs use it until it expires. Delete the file to forget it.")
        return int(ExitCode.OK)
    return stops.code


@dataclass
class Summary:
    path: Path  # summary.md (summary.json beside it)
    left_to_you: list[dict[str, str]]


def write_summary(run: Run, runner: Any, outcome: str, message: str | None, seconds: float) -> Summary:
    steps = []
    for step in runner.plan.steps:
        record = run.state.step(step.name)
        steps.append({"name": step.name, "title": step.title, "status": record["status"],
                      "attempts": record.get("attempts", 0),
                      "seconds": round(runner.timings.get(step.name, 0.0), 2),
                      "report": (record.get("result") or {}).get("report", [])})
    results = {step.name: run.state.result(step.name) for step in runner.plan.steps}
    left = runner.plan.followups(results) if getattr(runner.plan, "followups", None) else []
    run.evidence.write_json("summary.json", {"outcome": outcome, "message": message,
                                             "seconds": round(seconds, 1), "steps": steps, "left_to_you": left})
    lines = [f"# mastomove: {run.accounts[Role.OLD].handle} → {run.accounts[Role.NEW].handle}", "",
             f"Outcome: **{outcome}**" + (f": {message}" if message else ""), f"Time: {seconds:.0f} s", ""]
    for item in steps:
        mark = {"done": "✓", "started": "…", "pending": "·"}.get(item["status"], "?")
        lines.append(f"- {mark} {item['title']} ({item['status']}, {item['seconds']} s)")
        lines.extend(f"  - {line}" for line in item["report"])
    if left:
        lines += ["", "## Left for you", ""]
        lines.extend(f"- {item['what']}\n  - how: {item['how']}" for item in left)
    lines += ["", "Screenshots: screenshots/ · log: log.jsonl · state: state.json · report: report.html"]
    target = run.evidence.path("summary.md")
    target.write_text(run.evidence.redactor.scrub("\n".join(lines)) + "\n", encoding="utf-8")
    return Summary(target, left)


def tell_outcome(person: ConsolePerson, run: Run, outcome: str, message: str | None, code: ExitCode,
                 summary: Summary, report: Path | None = None) -> None:
    person.say("")
    if outcome == "completed":
        person.say(f"[green bold]Done.[/green bold] {run.accounts[Role.OLD].handle} now redirects to "
                   f"{run.accounts[Role.NEW].handle}.")
    elif code == ExitCode.INTERRUPTED:
        person.say("[yellow]Interrupted.[/yellow] Nothing is lost: run the same command again to resume.")
    else:
        person.say(f"[red]Stopped:[/red] {message}")
    if summary.left_to_you:
        person.say("[bold]Left for you[/bold]")
        for item in summary.left_to_you:
            person.say(f"  • {item['what']}\n    [dim]how:[/dim] {item['how']}")
    person.say(f"Summary: {summary.path}")
    if report is not None:
        person.say(f"Report: {report}  (mastomove report {run.run_dir} --open)")
    person.say(f"Screenshots: {run.run_dir / 'screenshots'}")


def run_demo(*, headed: bool, slow_mo: float, version: str, locale: str, follows: int,
             serve_only: bool, old_version: str | None = None, new_version: str | None = None) -> int:
    from mastomove.agent.demo import demo

    return demo(headed=headed, slow_mo=slow_mo, version=version, locale=locale, follows=follows,
                serve_only=serve_only, old_version=old_version, new_version=new_version)


def run_report(run_dir: Path, *, open_in_browser: bool = False, person: ConsolePerson | None = None) -> int:
    """Build report.html of a run folder (again) from what the folder holds."""
    from mastomove.agent.report import write_report

    person = person or ConsolePerson()
    if not (run_dir / "state.json").is_file():
        person.say(f"[red]{run_dir} is not a mastomove run folder (it has no state.json)[/red]")
        return int(ExitCode.BAD_INPUT)
    target = write_report(run_dir)
    person.say(f"Report: {target}")
    if open_in_browser:
        import webbrowser

        webbrowser.open(target.resolve().as_uri())
    return int(ExitCode.OK)


def _baseline(main_run_dir: Path) -> tuple[int | None, int | None]:
    """(followers the old account had at the move, followers the new one had before), as the
    migration's run folder recorded them."""
    state = read_json(main_run_dir / "state.json") or {}
    steps = state.get("steps") or {}
    move = (steps.get("move") or {}).get("result") or {}
    baseline = ((steps.get("backup") or {}).get("result") or {}).get("baseline") or {}
    expected = move.get("followers_before")
    if expected is None:
        expected = baseline.get("old_followers")
    watched = read_json(main_run_dir / "watch" / "readings.json") or []
    if expected is None and watched:  # an earlier watch found it (on the old account's migration page)
        expected = watched[-1].get("expected")
    return expected, baseline.get("new_followers")


def run_watch(settings: Settings, *, minutes: float, person: ConsolePerson | None = None) -> int:
    """`mastomove watch`: follower count of the new account against the old one's, until done."""
    from mastomove.flows.steps.sign_in import sign_in
    from mastomove.flows.steps.watch import FollowerWatch

    from mastomove.agent.accounts import accounts_for

    person = person or ConsolePerson()
    _sigterm_as_interrupt()
    with _Stops(person) as stops:
        accounts = accounts_for(settings, need_password=False)
        main_dir = settings.run_dir or default_run_dir(accounts)
        run = Run(settings, accounts, person, main_dir / "watch")
    if stops.code is not None:
        return stops.code
    expected, new_before = _baseline(main_dir)
    readings_file = run.evidence.path("readings.json")
    history = read_json(readings_file) or []
    old, new = accounts[Role.OLD].handle, accounts[Role.NEW].handle

    def keep(reading) -> None:
        history.append(reading.as_dict())
        run.evidence.write_json(readings_file.name, history)
        person.progress(f"Followers arrived on {new}", (reading.arrived or 0) + (reading.pending or 0),
                        reading.expected)
        if reading.pending:
            person.say(f"  {reading.pending} of them wait for your approval: {accounts[Role.NEW].url}/follow_requests")

    with _Stops(person) as stops, contextlib.closing(run):
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
    _report(main_dir)  # it shows the watch readings
    if stops.code is not None:
        return stops.code
    if last.done:
        person.say(f"[green bold]Done:[/green bold] {last.arrived} follower(s) arrived on {new}"
                   + (f" ({last.percent}%)" if last.percent is not None else "")
                   + (f"; {last.pending} wait for your approval at {accounts[Role.NEW].url}/follow_requests"
                      if last.pending else ""))
        return int(ExitCode.OK)
    of = f" of {last.expected}" if last.expected is not None else ""
    person.say(f"[yellow]Not all yet:[/yellow] {last.arrived}{of} follower(s) arrived on {new}; "
               f"{last.old_followers} still follow {old}. Followers move as their servers process the move "
               "(minutes to hours): run `mastomove watch` again later.")
    return int(ExitCode.STOPPED_BEFORE_MOVE)



