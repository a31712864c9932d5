"""`mastomove login old|new`: a person signs in in a visible browser; the session is kept
(owner-only) for later runs."""
from __future__ import annotations

from typing import Annotated

import typer

from mastomove.agent.commands.options import (Insecure, NewEmail, NewHandle, NewUrl, OldEmail, OldHandle, OldUrl,
                                              settings_from)


def login(
    ctx: typer.Context,
    role: Annotated[str, typer.Argument(help="Which account: old or new.", metavar="old|new")],
    old_handle: OldHandle = None, old_url: OldUrl = None, old_email: OldEmail = None,
    new_handle: NewHandle = None, new_url: NewUrl = None, new_email: NewEmail = None,
    allow_insecure_http: Insecure = False,
    wait_minutes: Annotated[float, typer.Option(help="How long to wait for you to sign in.")] = 10,
) -> None:
    """Sign in by hand in a browser window and keep the session for later runs.

    For servers that need a person: single sign-on, security keys, captchas. The session is kept in a
    file only you can read; delete it to forget it."""
    if role not in ("old", "new"):
        raise typer.BadParameter("old or new", param_hint="ROLE")
    raise typer.Exit(run_login(settings_from(ctx, headed=True), role, timeout_s=wait_minutes * 60))


def run_login(settings, role: str, *, timeout_s: float = 600, person=None) -> int:
    import contextlib

    from mastomove.agent.errors import ExitCode
    from mastomove.agent.person import ConsolePerson
    from mastomove.agent.run import Stops, open_run, session_files
    from mastomove.agent.steps import Role
    from mastomove.flows.steps.sign_in import sign_in_by_person

    person = person or ConsolePerson()
    role = Role(role)
    with Stops(person) as stops:
        # the person clicks in this window: no watch-along banner unless asked for
        run = open_run(settings.model_copy(update={"watch_along": bool(settings.watch_along)}), person,
                       sub="login", need_password=False)
    if stops.code is not None:
        return stops.code
    with Stops(person) as stops, contextlib.closing(run):
        run.evidence.begin_step(f"login-{role}")
        run.ctx.current_step = "login"
        sign_in_by_person(run.ctx, role, timeout_s=timeout_s)
        target = session_files(settings, run.accounts)[role.value]
        run.browser.save_session(role.value, target)
        person.say(f"Signed in. The session is kept in {target} (readable only by you); "
                   "later runs use it until it expires. Delete the file to forget it.")
        return int(ExitCode.OK)
    return stops.code
