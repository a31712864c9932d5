"""`mastomove`: move a Mastodon account to another server through its web UI.

The commands live in agent/commands/, one module each; this file only lists them. Nothing heavy
(Playwright, pydantic, the flows) is imported until a command runs, so `--help` is instant.
"""
from __future__ import annotations

import typer

from mastomove.agent.commands import batch, checkui, demo, login, migrate, plan, report, watch

app = typer.Typer(
    name="mastomove",
    help="Move a Mastodon account to another server through Mastodon's own web pages, "
    "with a screenshot at every step and a pause before the move.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    # An unforeseen error shows where it happened, never the frames' variables (a password is one).
    pretty_exceptions_show_locals=False,
)

app.command()(migrate.migrate)
app.command()(plan.plan)
app.command()(demo.demo)
app.command()(login.login)
app.command("check-ui", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(checkui.check_ui)
app.command()(watch.watch)
app.command()(report.report)
app.command()(batch.batch)


def main() -> None:
    from mastomove.agent.files import owner_only_umask

    owner_only_umask()  # every file this process and its browser write is its owner's alone
    app()


if __name__ == "__main__":
    main()
