"""Who confirms the irreversible move, and how the output names it.

The move is confirmed by a person at the terminal (typing the new handle at the pause) or by an
explicit flag given to this command: `--confirm-move NEW` (migrate), `--confirm-moves` or a row's
`confirm_move` column (batch). A MASTOMOVE_CONFIRM_MOVE variable, from the environment or a
forgotten .env file, does not confirm anything on its own: it counts only when the process
environment (never .env) also holds MASTOMOVE_ALLOW_ENV_CONFIRM=1, the documented opt-in for
unattended scripts. Whatever confirmed it is said when the pause is answered.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from mastomove.agent.errors import BadInput

ENV_CONFIRM = "MASTOMOVE_CONFIRM_MOVE"
ENV_OPT_IN = "MASTOMOVE_ALLOW_ENV_CONFIRM"


@dataclass(frozen=True)
class Confirmation:
    """The new handle, typed in advance, and where it was typed."""

    handle: str
    source: str  # "--confirm-move", "--confirm-moves", "the confirm_move column of accounts.csv", ...

    def check(self, new_handle: object) -> None:
        """Refuse before anything starts when it does not name the new account exactly."""
        if self.handle.strip().lstrip("@").lower() != str(new_handle).lower():
            raise BadInput(f"{self.source} {self.handle!r} is not the new handle {new_handle}",
                           hint="it must be the new account's handle exactly; nothing was changed")

    def said(self) -> str:
        return f"Confirmed in advance with {self.source} ({self.handle.strip().lstrip('@')})."


def from_flag(value: str | None, flag: str = "--confirm-move") -> Confirmation | None:
    return Confirmation(value, flag) if value is not None else None


def from_environment(environ: Mapping[str, str] | None = None,
                     env_file: Path = Path(".env")) -> tuple[Confirmation | None, str | None]:
    """(the environment's confirmation when explicitly allowed, a warning when one is ignored)."""
    environ = os.environ if environ is None else environ
    value = environ.get(ENV_CONFIRM)
    where = "the environment"
    if value is None and env_file.is_file():
        from dotenv import dotenv_values

        value = dotenv_values(env_file).get(ENV_CONFIRM)
        where = str(env_file)
    if not value:
        return None, None
    if where == "the environment" and environ.get(ENV_OPT_IN) == "1":
        return Confirmation(value, f"{ENV_CONFIRM} ({ENV_OPT_IN}=1)"), None
    return None, (f"{ENV_CONFIRM} in {where} does not confirm the move: confirm at the terminal or with "
                  f"--confirm-move (unattended scripts: also set {ENV_OPT_IN}=1 in the environment)")
