"""The command line as a person meets it: every flag given counts whatever its value, the move is
confirmed by a flag or a person (never silently by the environment), and nothing printed is read
as Rich markup. The commands run for real up to the function that would start a browser."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from mastomove.agent.cli import app
from mastomove.agent.commands import migrate as migrate_command
from mastomove.agent.confirmation import Confirmation, from_environment
from mastomove.agent.errors import Stopped
from mastomove.agent.person import ConsolePerson

ACCOUNTS = ["--old-handle", "alice@old.example", "--new-handle", "alice@new.example"]


@pytest.fixture
def migrations(monkeypatch, tmp_path):
    """What `mastomove migrate` hands to the run: [(settings, confirmation)], instead of running it."""
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    for name in [n for n in __import__("os").environ if n.startswith("MASTOMOVE_")]:
        monkeypatch.delenv(name)
    handed: list = []

    def run_migration(settings, *, confirmation=None, person=None):
        handed.append((settings, confirmation))
        return 0

    monkeypatch.setattr(migrate_command, "run_migration", run_migration)
    return handed


def test_a_flag_given_with_the_value_zero_wins_over_the_environment(migrations, monkeypatch):
    monkeypatch.setenv("MASTOMOVE_SLOW_MO", "250")
    monkeypatch.setenv("MASTOMOVE_ALIAS_WAIT_SECONDS", "7200")
    done = CliRunner().invoke(app, ["migrate", *ACCOUNTS, "--slow-mo", "0", "--alias-wait-hours", "0"])
    assert done.exit_code == 0, done.output
    settings, _ = migrations[0]
    assert settings.slow_mo == 0
    assert settings.alias_wait_seconds == 0


def test_flags_not_given_leave_the_environment_alone(migrations, monkeypatch):
    monkeypatch.setenv("MASTOMOVE_SLOW_MO", "250")
    monkeypatch.setenv("MASTOMOVE_HEADED", "true")
    monkeypatch.setenv("MASTOMOVE_IMPORT_MODE", "overwrite")
    done = CliRunner().invoke(app, ["migrate", *ACCOUNTS])
    assert done.exit_code == 0, done.output
    settings, _ = migrations[0]
    assert (settings.slow_mo, settings.headed, settings.import_mode) == (250, True, "overwrite")
    assert settings.alias_wait_seconds == 24 * 3600  # the default


def test_the_environment_does_not_confirm_the_move_on_its_own(migrations, monkeypatch):
    monkeypatch.setenv("MASTOMOVE_CONFIRM_MOVE", "alice@new.example")
    done = CliRunner().invoke(app, ["migrate", *ACCOUNTS])
    assert done.exit_code == 0, done.output
    assert migrations[0][1] is None
    assert "MASTOMOVE_CONFIRM_MOVE in the environment does not confirm the move" in done.output


def test_a_forgotten_env_file_does_not_confirm_the_move_even_with_the_opt_in_in_it(migrations, tmp_path):
    (tmp_path / ".env").write_text("MASTOMOVE_CONFIRM_MOVE=alice@new.example\nMASTOMOVE_ALLOW_ENV_CONFIRM=1\n")
    done = CliRunner().invoke(app, ["migrate", *ACCOUNTS])
    assert done.exit_code == 0, done.output
    assert migrations[0][1] is None
    assert "does not confirm the move" in done.output


def test_the_documented_opt_in_and_the_flag_confirm_and_say_so(migrations, monkeypatch):
    monkeypatch.setenv("MASTOMOVE_CONFIRM_MOVE", "alice@new.example")
    monkeypatch.setenv("MASTOMOVE_ALLOW_ENV_CONFIRM", "1")
    CliRunner().invoke(app, ["migrate", *ACCOUNTS])
    CliRunner().invoke(app, ["migrate", *ACCOUNTS, "--confirm-move", "alice@new.example"])
    from_env, from_flag = migrations[0][1], migrations[1][1]
    assert from_env.source == "MASTOMOVE_CONFIRM_MOVE (MASTOMOVE_ALLOW_ENV_CONFIRM=1)"
    assert from_flag.source == "--confirm-move"
    assert from_environment({}, Path("/nonexistent/.env")) == (None, None)


def said(person: ConsolePerson) -> str:
    return person.console.file.getvalue()


def quiet_person(**options) -> ConsolePerson:
    return ConsolePerson(console=Console(file=io.StringIO(), width=200, force_terminal=False), **options)


@pytest.mark.parametrize("confirmation, expected", [
    (Confirmation("alice@new.example", "--confirm-move"), "Confirmed in advance with --confirm-move (alice@new.example)."),
    (Confirmation("alice@new.example", "--confirm-moves"), "Confirmed in advance with --confirm-moves"),
    (Confirmation("alice@new.example", "the confirm_move column of accounts.csv"),
     "Confirmed in advance with the confirm_move column of accounts.csv"),
])
def test_the_pause_says_where_its_answer_came_from(confirmation, expected):
    person = quiet_person(confirmation=confirmation, interactive=False)
    assert person.confirm_move(["Checked: x"], "alice@new.example")
    assert expected in said(person)


def test_no_confirmation_and_no_terminal_moves_nothing():
    person = quiet_person(interactive=False)
    assert not person.confirm_move(["Checked: x"], "alice@new.example")
    assert "nothing was moved" in said(person)


def test_a_confirmation_naming_another_account_is_refused():
    with pytest.raises(Exception, match="is not the new handle"):
        Confirmation("alice@elsewhere.example", "the confirm_move column of accounts.csv").check("alice@new.example")


# --- nothing printed is markup -------------------------------------------------------------------
def test_text_from_a_server_or_a_csv_is_printed_as_it_is():
    person = quiet_person(interactive=False)
    person.say("The server said: [/red] is [bold]not[/] allowed [link=x]", "red")
    person.step(1, 2, "Step [/b] title")
    person.progress("Importing [/red]follows", 1, 2)
    person.waiting("[/yellow]old.example", 3)
    assert person.confirm_move(["Checked: [/green] odd", "Saved: [/cyan] x"], "alice@new.example") is False
    text = said(person)
    for literal in ("[/red] is [bold]not[/] allowed [link=x]", "Step [/b] title", "[/red]follows",
                    "[/yellow]old.example", "[/green] odd", "[/cyan] x"):
        assert literal in text


def test_a_batch_row_with_markup_in_its_handle_is_that_rows_bad_input(tmp_path):
    from mastomove.agent.batch import run_batch
    from mastomove.agent.settings import Settings

    accounts = tmp_path / "accounts.csv"
    accounts.write_text("old_handle,new_handle\n[/red]bob@old.test,bob@new.test\n")
    console = Console(file=io.StringIO(), width=300)
    code = run_batch(accounts, Settings(_env_file=None), secrets_file=None, parallel=2, batch_dir=tmp_path / "batch",
                     confirm_all=False, console=console)
    assert code == 2
    assert "'[/red]bob@old.test' is not a Mastodon handle" in console.file.getvalue()


def test_a_stop_with_brackets_in_the_servers_message_is_told_as_it_is(tmp_path):
    from types import SimpleNamespace

    from mastomove.agent.errors import ExitCode
    from mastomove.agent.steps import Handle, Role
    from mastomove.agent.summary import Summary, tell_outcome

    person = quiet_person(interactive=False)
    run = SimpleNamespace(accounts={Role.OLD: SimpleNamespace(handle=Handle("a", "old.example")),
                                    Role.NEW: SimpleNamespace(handle=Handle("a", "new.example"))},
                          run_dir=tmp_path)
    message = str(Stopped("The server refused: [/bold] [red]quota[/red]"))
    tell_outcome(person, run, "stopped", message, ExitCode.STOPPED_BEFORE_MOVE,
                 Summary(tmp_path / "summary.md", [{"what": "[/x] odd", "how": "[b]as is"}]))
    assert "Stopped: The server refused: [/bold] [red]quota[/red]" in said(person)
    assert "[/x] odd" in said(person) and "[b]as is" in said(person)


# --- flows say what is missing; the command line says how to give it --------------------------
def test_an_error_naming_settings_is_told_with_how_to_give_them():
    from mastomove.agent.commands.options import told
    from mastomove.agent.errors import BadInput

    error = BadInput("The old account's handle is missing", settings=("old_handle", "old_password"))
    assert told(error) == ("The old account's handle is missing "
                           "[--old-handle or MASTOMOVE_OLD_HANDLE; MASTOMOVE_OLD_PASSWORD]")
    assert told(BadInput("plain")) == "plain"


def test_flows_name_no_flag_and_no_environment_variable():
    import re

    flows = Path(__file__).resolve().parents[2] / "flows"
    named = []
    for path in flows.rglob("*.py"):
        if "checks" in path.relative_to(flows).parts:  # check-ui's own suite documents its variables
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"MASTOMOVE_[A-Z]|[\"'`( ]--[a-z]+-[a-z]", line):
                named.append(f"{path.relative_to(flows)}:{number}: {line.strip()}")
    assert named == []
