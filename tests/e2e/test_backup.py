"""The backup before the pause: what the old account loses with the move (its notifications, its
private mentions, its archive) is in the run folder, checked against what the server holds; the
pause lists it; the archive's weekly cooldown is respected and its end said; --skip-backup exists
and is never the default."""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from mastomove.agent.run import Run
from mastomove.agent.settings import Settings
from mastomove.agent.steps import Role
from mastomove.agent.errors import SessionExpired
from e2e_runs import account_env, clean_env, in_process_run, in_thread, mastomove
from mastomove.flows.steps.backup import BackupResult, BackupStep
from mastomove.flows.steps.sign_in import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def full(acct: str | None, domain: str) -> str:
    acct = (acct or "").lstrip("@")
    return acct if "@" in acct else f"{acct}@{domain}"


def saved(run_dir: Path, name: str) -> dict:
    return json.loads((run_dir / "backup" / f"{name}.json").read_text())


# Enough of both for several pages: the web app loads 40 notifications and 20 conversations a page.
@pytest.mark.fixture_seed(follows=10, notifications=50, direct_messages=25)
def test_the_backup_holds_every_notification_dm_and_the_archive(mastodon, tmp_path):
    domain = mastodon.old.domain
    held = mastodon.old.state(account="alice")["account"]
    assert len(held["notifications"]) > 40 and len(held["direct_messages"]) > 20, "the seed should fill several pages"

    # No --confirm-move: it stops at the pause. (No profile or announcement: not what is under test.)
    run = mastomove("migrate", env=account_env(mastodon, tmp_path / "run", MASTOMOVE_COPY_PROFILE="false",
                                               MASTOMOVE_POST_ANNOUNCEMENT="false"))
    assert run.returncode == 3, run.stdout + run.stderr
    run_dir, output = tmp_path / "run", run.stdout + run.stderr

    # every notification the server holds, as the web app received it
    notifications = saved(run_dir, "notifications")
    assert notifications["complete"] and notifications["pages"] >= 2
    got = {(n["type"], full(n["account"]["acct"], domain), (n.get("status") or {}).get("uri"))
           for n in notifications["items"]}
    wanted = {(n["type"], full(n["from"], domain), n["status"]) for n in held["notifications"]}
    assert wanted <= got, f"missing notifications: {sorted(wanted - got)[:5]}"
    # every private mention, in the conversations and in the readable copy
    conversations = saved(run_dir, "conversations")
    assert conversations["complete"] and conversations["pages"] >= 2
    last_posts = {c["last_status"]["uri"] for c in conversations["items"]}
    readable = (run_dir / "backup" / "conversations.html").read_text()
    for dm in held["direct_messages"]:
        assert dm["uri"] in last_posts, dm
        assert re.search(r"\(\d+\)$", dm["text"]).group(0) in readable, dm  # each DM's own words
    readable = (run_dir / "backup" / "notifications.html").read_text()
    assert all(full(n["from"], domain).split("@")[0] in readable for n in held["notifications"])

    # the archive the server compiled, downloaded
    backups = mastodon.old.state(account="alice")["account"]["backups"]
    assert len(backups) == 1 and backups[0]["processed"]
    archives = list((run_dir / "backup").glob("archive-*.zip"))
    assert len(archives) == 1 and archives[0].stat().st_size == backups[0]["size"]
    with zipfile.ZipFile(archives[0]) as archive:
        assert {"actor.json", "outbox.json"} <= set(archive.namelist())

    # screenshots of both columns, and the pause says what was saved and where
    shots = [p.name for p in (run_dir / "screenshots").glob("*-backup-*.png")]
    assert any("notifications-page-2" in s for s in shots) and any("conversations-end" in s for s in shots)
    assert "Saved before the move" in output
    flat = re.sub(r"[\s│]", "", output)  # the panel wraps long lines
    for name in ("notifications.json", "conversations.json", archives[0].name):
        assert str(run_dir / "backup" / name) in flat, name
    assert "nextonefrom" in flat
    # and nothing irreversible happened
    assert mastodon.old.state(account="alice")["account"]["moved_to"] is None


def backup_once(run: Run) -> BackupResult:
    """The backup step as a fresh run does it (its notes of earlier runs forgotten)."""
    run.state.data["steps"].pop("backup", None)
    try:
        return BackupStep().run(run.ctx)
    except SessionExpired:
        sign_in(run.ctx, Role.OLD)
        return BackupStep().run(run.ctx)


@pytest.mark.fixture_seed(notifications=3, direct_messages=1)
def test_the_archive_cooldown_is_respected_and_its_end_said(mastodon, tmp_path):
    in_thread(lambda: archive_three_times(mastodon, tmp_path))


def archive_three_times(mastodon, tmp_path) -> None:
    run = in_process_run(mastodon, tmp_path / "run")
    try:
        sign_in(run.ctx, Role.OLD)
        first = backup_once(run)
        assert first.archive.state == "downloaded", first
        assert len(mastodon.old.state(account="alice")["account"]["backups"]) == 1

        # A week has not passed: no second request, the latest archive again, and when the next is allowed.
        second = backup_once(run)
        assert len(mastodon.old.state(account="alice")["account"]["backups"]) == 1
        assert second.archive.state == "cooldown" and second.archive.file
        assert second.archive.next_allowed_at == first.archive.next_allowed_at
        assert "the next from " + first.archive.next_allowed_at in " ".join(second.report)

        # Eight days later the server offers it again, and a fresh one is made.
        mastodon.old.advance_clock(8 * 24 * 3600)
        third = backup_once(run)
        assert third.archive.state == "downloaded"
        assert len(mastodon.old.state(account="alice")["account"]["backups"]) == 2
    finally:
        run.close()


def test_skip_backup_exists_but_is_never_the_default(mastodon, tmp_path):
    assert Settings(_env_file=None).skip_backup is False
    help_text = mastomove("migrate", "--help", env=clean_env(COLUMNS="200")).stdout
    assert "--skip-backup" in help_text
    in_thread(lambda: skip_then_ask(mastodon, tmp_path))


def skip_then_ask(mastodon, tmp_path) -> None:
    run = in_process_run(mastodon, tmp_path / "skipped", skip_backup=True)
    try:
        skipped = backup_once(run)
        assert skipped.skipped and "skipped" in skipped.report[0]
        assert not (tmp_path / "skipped" / "backup").exists()
        assert mastodon.old.state(account="alice")["account"]["backups"] == []
        run.state.finish("backup", skipped)
        assert BackupStep().verify(run.ctx) is True  # rerun with --skip-backup again: nothing to redo
        # A later run without --skip-backup makes the backup: the skipped step no longer counts as done.
        run.ctx.settings = run.settings.model_copy(update={"skip_backup": False})
        assert BackupStep().verify(run.ctx) is False
    finally:
        run.close()


@pytest.mark.fixture_seed(notifications=1, direct_messages=1)
@pytest.mark.fixture_config(version="4.3", storage="s3")
def test_the_archive_by_signed_link_and_an_expired_one(mastodon, tmp_path):
    in_thread(lambda: archive_by_signed_links(mastodon, tmp_path))


def archive_by_signed_links(mastodon, tmp_path) -> None:
    from mastomove.agent.errors import GaveUp
    from mastomove.flows.pages.base import StorageRefused

    run = in_process_run(mastodon, tmp_path / "run")
    try:
        sign_in(run.ctx, Role.OLD)
        first = backup_once(run)  # 4.3: the link to the storage origin is signed for 10 s
        archive = first.archive
        assert archive.state == "downloaded" and (tmp_path / "run" / archive.file).is_file()
        assert zipfile.ZipFile(tmp_path / "run" / archive.file).testzip() is None
        # Every link the server signs from now on has expired before the browser gets there: each
        # try follows the page's link afresh, and after the retries the step stops, keeping nothing.
        mastodon.old.configure(archive_link_seconds=-1)
        (tmp_path / "run" / archive.file).unlink()
        with pytest.raises(GaveUp) as stopped:
            backup_once(run)
        assert isinstance(stopped.value.__cause__, StorageRefused)
        tries = [json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()
                 if '"retrying"' in line and "StorageRefused" in line]
        assert len(tries) >= 2, "a fresh link was not asked for"
        assert not list((tmp_path / "run" / "backup").glob("archive-*.zip"))
    finally:
        run.close()
