"""--destructive: the whole move, end to end, from the test account to MASTOMOVE_NEW_*, by the
agent itself (`mastomove migrate`: flows.plan through agent.commands.migrate.run_migration, in its own process,
since a second Playwright cannot run inside this one's event loop), then checked on the old
account's migration page. Only for two throwaway accounts: the old one ends up moved, with a
30-day cooldown."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from mastomove.agent.files import write_private
from mastomove.agent.settings import Settings
from mastomove.flows.pages import MigrationPage

pytestmark = pytest.mark.destructive


def settings_env(settings: Settings) -> dict[str, str]:
    """The settings as the MASTOMOVE_* variables `mastomove migrate` reads."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("MASTOMOVE_")}
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if value is None:
            continue
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        elif isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (list, dict)):
            value = json.dumps(value)
        env[f"MASTOMOVE_{name.upper()}"] = str(value)
    return env


def test_full_migration_end_to_end(account_page, account, check_target, check_output, signed_in, ui):
    """Move the test account to the other account for real: sign in, profile, announcement, every
    export and import, alias, move, verify; then the old account's migration page shows the redirect."""
    other = check_target.other
    run_dir = check_output / "destructive-migration"
    sessions = check_output / "destructive-migration-sessions"
    # The run starts from this suite's session of the old account (as after `mastomove login`), so
    # it needs no second one-time code.
    saved = write_private(sessions / f"old-{account.handle}.json", json.dumps(signed_in.storage_state))
    settings = check_target.settings.model_copy(update={
        "old_url": account.url, "confirm_move": str(other.handle), "run_dir": Path(run_dir),
        "session_dir": sessions, "headed": False,
    })
    try:
        done = subprocess.run([sys.executable, "-m", "mastomove.agent.cli", "migrate", "--confirm-move", str(other.handle)],
                              env=settings_env(settings), capture_output=True, text=True, stdin=subprocess.DEVNULL)
    finally:
        saved.unlink(missing_ok=True)
    migration = MigrationPage(account_page, account)
    output = (done.stdout + done.stderr).strip()
    ui.expect(done.returncode == 0, migration, element=f"the migration, step by step (run folder {run_dir})",
              expected=f"{account.handle} moved to {other.handle} (`mastomove migrate` exit code 0)",
              found=lambda: f"exit code {done.returncode}:\n" + "\n".join(output.splitlines()[-25:]))
    with ui.step(migration, element="the migration page", expected="the page of the moved account"):
        migration.open()
    state = migration.state()
    ui.expect(state.redirects_to(other.handle), migration, element="the redirect status at the top of the page",
              expected=f"“Your account is redirecting to {other.handle}.”", found=state.redirect_text or "no redirect")
