"""What the commands do, once their flags are Settings: set up the run, run it, say how it ended."""
from __future__ import annotations

import re
import signal
import time
from pathlib import Path
from typing import Any

from agent.errors import ExitCode, MastomoveError, exit_code_for
from agent.person import ConsolePerson
from agent.settings import Settings
from agent.steps import Account, Role


def default_run_dir(accounts: dict[Role, Account]) -> Path:
    name = f"{accounts[Role.OLD].handle}-to-{accounts[Role.NEW].handle}"
    return Path("runs") / re.sub(r"[^A-Za-z0-9_.@-]+", "_", name)


def session_files(settings: Settings, accounts: dict[Role, Account]) -> dict[str, Path]:
    return {role.value: settings.session_dir / f"{role.value}-{account.handle}.json" for role, account in accounts.items()}


def _sigterm_as_interrupt() -> None:
    def handler(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


class Run:
    """Everything one run owns: folder, log, state, browser, context. Closed in one place."""

    def __init__(self, settings: Settings, accounts: dict[Role, Account], person: ConsolePerson,
                 run_dir: Path):
        from agent.browser import BrowserConfig, BrowserSession
        from agent.evidence import Evidence
        from agent.runner import RunContext
        from agent.state import RunState

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
        self.browser = BrowserSession(
            config, run_dir=run_dir, session_files=session_files(settings, accounts),
            trace=settings.trace, video=settings.video,
            on_context=lambda role, context: settings.trace and self.evidence.watch_tracing(context),
        )
        self.ctx = RunContext(settings=settings, accounts=accounts, evidence=self.evidence, person=person,
                              state=self.state, pages=lambda role: self.browser.page(role.value))

    def close(self) -> None:
        self.browser.close()
        self.evidence.close()


def _prepare(settings: Settings, person: ConsolePerson, *, sub: str | None = None) -> Run:
    from agent.accounts import accounts_for

    accounts = accounts_for(settings, ask=person.ask_secret)
    run_dir = settings.run_dir or default_run_dir(accounts)
    if sub:
        run_dir = run_dir / sub
    return Run(settings, accounts, person, run_dir)


def run_migration(settings: Settings, *, person: ConsolePerson | None = None) -> int:
    from flows.plan import migration_plan

    from agent.runner import Runner

    person = person or ConsolePerson(confirm_move=settings.confirm_move)
    _sigterm_as_interrupt()
    try:
        run = _prepare(settings, person)
    except MastomoveError as error:
        person.say(f"[red]{error}[/red]")
        return int(error.exit_code)
    runner = Runner(migration_plan(), run.ctx)
    started = time.monotonic()
    outcome, message, code = "completed", None, ExitCode.OK
    try:
        person.say(f"Run folder: {run.run_dir}")
        run.evidence.log.info("run_started", old=str(run.accounts[Role.OLD].handle),
                              new=str(run.accounts[Role.NEW].handle), run_dir=str(run.run_dir))
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
    tell_outcome(person, run, outcome, message, code, summary)
    return int(code)


def run_plan(settings: Settings, *, person: ConsolePerson | None = None) -> int:
    from flows.plan import migration_plan

    person = person or ConsolePerson()
    try:
        run = _prepare(settings, person, sub="plan")
    except MastomoveError as error:
        person.say(f"[red]{error}[/red]")
        return int(error.exit_code)
    plan = migration_plan()
    try:
        for role in Role:
            run.ctx.current_step = "sign_in"
            run.evidence.begin_step("plan")
            plan.sign_in(run.ctx, role)
        report = plan.inspect(run.ctx) if plan.inspect else {}
        run.evidence.write_json("plan.json", report)
        person.say("[bold]What migrate would do[/bold]")
        for line in report.get("report", []):
            person.say(f"  • {line}")
        return int(ExitCode.OK)
    except KeyboardInterrupt:
        return int(ExitCode.INTERRUPTED)
    except MastomoveError as error:
        person.say(f"[red]{error}[/red]")
        return int(error.exit_code)
    finally:
        run.close()


def run_login(settings: Settings, role: Role, *, timeout_s: float = 600,
              person: ConsolePerson | None = None) -> int:
    """Sign in by hand in a visible browser, and keep that session (owner-only file) for later runs."""
    from agent.accounts import accounts_for
    from flows.steps.sign_in import sign_in_by_person

    person = person or ConsolePerson()
    try:
        accounts = accounts_for(settings.model_copy(update={"headed": True}), need_password=False)
    except MastomoveError as error:
        person.say(f"[red]{error}[/red]")
        return int(error.exit_code)
    settings = settings.model_copy(update={"headed": True, "run_dir": (settings.run_dir or default_run_dir(accounts)) / "login"})
    run = Run(settings, accounts, person, settings.run_dir)
    try:
        run.evidence.begin_step(f"login-{role}")
        run.ctx.current_step = "login"
        sign_in_by_person(run.ctx, role, timeout_s=timeout_s)
        target = session_files(settings, accounts)[role.value]
        run.browser.save_session(role.value, target)
        person.say(f"Signed in. The session is kept in {target} (readable only by you); "
                   "later runs use it until it expires. Delete the file to forget it.")
        return int(ExitCode.OK)
    except KeyboardInterrupt:
        return int(ExitCode.INTERRUPTED)
    except MastomoveError as error:
        person.say(f"[red]{error}[/red]")
        return int(error.exit_code)
    finally:
        run.close()


def write_summary(run: Run, runner: Any, outcome: str, message: str | None, seconds: float) -> Path:
    steps = []
    for step in runner.plan.steps:
        record = run.state.step(step.name)
        steps.append({"name": step.name, "title": step.title, "status": record["status"],
                      "attempts": record.get("attempts", 0),
                      "seconds": round(runner.timings.get(step.name, 0.0), 2),
                      "report": (record.get("result") or {}).get("report", [])})
    run.evidence.write_json("summary.json", {"outcome": outcome, "message": message,
                                             "seconds": round(seconds, 1), "steps": steps})
    lines = [f"# mastomove: {run.accounts[Role.OLD].handle} → {run.accounts[Role.NEW].handle}", "",
             f"Outcome: **{outcome}**" + (f": {message}" if message else ""), f"Time: {seconds:.0f} s", ""]
    for item in steps:
        mark = {"done": "✓", "started": "…", "pending": "·"}.get(item["status"], "?")
        lines.append(f"- {mark} {item['title']} ({item['status']}, {item['seconds']} s)")
        lines.extend(f"  - {line}" for line in item["report"])
    lines += ["", "Screenshots: screenshots/ · log: log.jsonl · state: state.json"]
    target = run.evidence.path("summary.md")
    target.write_text(run.evidence.redactor.scrub("\n".join(lines)) + "\n", encoding="utf-8")
    return target


def tell_outcome(person: ConsolePerson, run: Run, outcome: str, message: str | None, code: ExitCode,
                 summary: Path) -> None:
    person.say("")
    if outcome == "completed":
        person.say(f"[green bold]Done.[/green bold] {run.accounts[Role.OLD].handle} now redirects to "
                   f"{run.accounts[Role.NEW].handle}.")
    elif code == ExitCode.INTERRUPTED:
        person.say("[yellow]Interrupted.[/yellow] Nothing is lost: run the same command again to resume.")
    else:
        person.say(f"[red]Stopped:[/red] {message}")
    person.say(f"Summary: {summary}")
    person.say(f"Screenshots: {run.run_dir / 'screenshots'}")


def run_demo(*, headed: bool, slow_mo: float, version: str, locale: str, follows: int,
             serve_only: bool) -> int:
    from agent.demo import demo

    return demo(headed=headed, slow_mo=slow_mo, version=version, locale=locale, follows=follows,
                serve_only=serve_only)
