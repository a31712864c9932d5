"""Settings: command-line flags override the environment, which overrides a .env file.

Every flag given on the command line counts, whatever its value (`--alias-wait-hours 0`): the
commands build Settings once, from the flags the person actually gave (agent.commands.options).

The MASTOMOVE_* names of the two accounts and the run folder are fixed: scripts depend on them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_ANNOUNCEMENT = (
    "I'm moving from @{old} to this account, @{new}. "
    "Follow me here; my old account will redirect soon."
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="MASTOMOVE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # --- the two accounts (fixed names) ---
    old_handle: str | None = None
    old_url: str | None = None  # default: https:// + the handle's domain
    old_email: str | None = None
    old_password: SecretStr | None = None
    old_otp_secret: SecretStr | None = None
    new_handle: str | None = None
    new_url: str | None = None
    new_email: str | None = None
    new_password: SecretStr | None = None
    new_otp_secret: SecretStr | None = None
    run_dir: Path | None = None  # default: runs/<old>-to-<new>

    # --- what the migration does ---
    announcement: str = DEFAULT_ANNOUNCEMENT  # {old} and {new} are replaced by the handles
    post_announcement: bool = True
    copy_profile: bool = True
    import_mode: Literal["merge", "overwrite"] = "merge"
    unlock_new_account: bool = False  # a locked new account turns moved followers into requests
    # The move's confirmation is no setting: a flag or a person gives it (agent.confirmation).
    alias_wait_seconds: float = Field(24 * 3600, ge=0)  # keep retrying "not an alias" this long
    alias_first_wait_seconds: float = Field(15, gt=0)
    alias_wait_cap_seconds: float = Field(1800, gt=0)
    import_timeout_seconds: float = Field(6 * 3600, gt=0)  # imports are low priority on busy servers
    follower_watch_seconds: float = Field(120, ge=0)  # how long verify watches followers arrive
    # The backup before the pause: notifications, private mentions and the archive. Skipping it
    # is possible, never the default: after the move the old account's notifications are gone.
    skip_backup: bool = False
    archive_wait_seconds: float = Field(30 * 60, ge=0)  # how long to wait for the archive to compile

    # --- the browser and evidence ---
    headed: bool = False
    slow_mo: float | None = Field(None, ge=0)  # None: playwright.config.json's
    watch_along: bool | None = None  # banner and click highlights on the pages; default: when headed
    screenshots: bool = True
    full_page_screenshots: bool = False
    trace: bool = False
    video: bool = False
    allow_insecure_http: bool = False  # plain http:// is accepted for loopback addresses only
    session_dir: Path = Path(".mastomove/sessions")  # saved sign-ins from `mastomove login`
