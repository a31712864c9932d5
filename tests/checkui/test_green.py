"""The whole shipped suite, as `mastomove check-ui`, against the fixture instances: no false
alarms in any version and language, nothing left changed on the servers (their state endpoint
before and after), and the report, JUnit XML and screenshots in the output folder.

By default a Latin square of the fixture's 3 versions x 3 languages (each version once, each
language once); MASTOMOVE_CHECKUI_ALL_VARIANTS=1 runs all nine combinations."""
from __future__ import annotations

import os
import zipfile

import pytest

pytestmark = [pytest.mark.e2e]

ALL = [(v, lang) for v in ("4.1", "4.2", "4.3") for lang in ("en", "de", "fr")]
SQUARE = [("4.3", "en"), ("4.2", "fr"), ("4.1", "de")]
VARIANTS = ALL if os.environ.get("MASTOMOVE_CHECKUI_ALL_VARIANTS") else SQUARE

CHECKS = {
    "test_sign_in_with_password_and_two_factor[chromium]",
    "test_wrong_password_is_refused[chromium]",
    *(f"test_settings_navigation[chromium-{page}]" for page in ("export", "import", "profile", "migration", "aliases")),
    "test_export_page_offers_every_csv[chromium]",
    *(f"test_export_download[chromium-{kind}]" for kind in ("follows", "lists", "blocks", "mutes", "domain_blocks", "bookmarks")),
    "test_import_form_offers_every_list_type[chromium]",
    "test_import_refuses_an_empty_file[chromium]",
    "test_import_reaches_confirmation_and_cancel_leaves_nothing[chromium]",
    "test_alias_form_refuses_an_account_that_does_not_exist[chromium]",
    "test_move_form_refuses_a_wrong_password[chromium]",
    "test_move_form_refuses_a_handle_that_is_not_an_alias[chromium]",
    "test_compose_box_without_posting[chromium]",
    "test_import_worker_processes_a_merge_import[chromium]",
    "test_full_migration_end_to_end[chromium]",
}


def server_state(cluster) -> dict:
    """Everything both accounts hold (follows, lists, blocks, mutes, domain blocks, bookmarks,
    statuses, aliases, migrations, sessions, ...), and each instance's post count. Not the imports
    history: the import-worker check leaves its merge re-import there, as any import stays a week."""
    def account(instance) -> dict:
        return {key: value for key, value in instance.state(account="alice")["account"].items() if key != "imports"}

    return {
        "old": account(cluster.old),
        "new": account(cluster.new),
        "posts": {name: inst.state()["instance"]["statuses"] for name, inst in cluster.instances.items()},
    }


def imports_of(cluster) -> list[dict]:
    return cluster.old.state(account="alice")["account"].get("imports", [])


@pytest.mark.parametrize("variant", VARIANTS, ids=[f"{v}-{lang}" for v, lang in VARIANTS])
def test_suite_is_green_and_changes_nothing(mastodon_factory, run_check, variant):
    version, locale = variant
    cluster = mastodon_factory(version=version, locale=locale)
    before, imports_before = server_state(cluster), imports_of(cluster)
    run = run_check(cluster)
    assert run.code == 0, run.output
    assert set(run.cases) == CHECKS, f"the suite ran {sorted(run.cases)}"
    skipped = {name for name, case in run.cases.items() if case.outcome == "skipped"}
    expected_skips = {"test_full_migration_end_to_end[chromium]"}  # needs --destructive
    if version == "4.1":  # no confirmation step: an upload would be applied at once
        expected_skips.add("test_import_reaches_confirmation_and_cancel_leaves_nothing[chromium]")
        expected_skips.add("test_import_worker_processes_a_merge_import[chromium]")
    assert skipped == expected_skips, run.outcomes()
    assert all(case.outcome in ("passed", "skipped") for case in run.cases.values()), run.outcomes()
    cluster.wait_idle(10)
    assert server_state(cluster) == before, "the suite left the servers changed"
    added = imports_of(cluster)[len(imports_before):]
    if version != "4.1":  # the import-worker check's one re-import: merge mode, processed
        assert len(added) == 1 and added[0].get("mode") == "merge", added
        assert added[0].get("state") == "finished", added
    # the output folder: the report with a screenshot of every check, JUnit with their paths
    report = (run.folder / "report.html").read_text()
    shots = sorted((run.folder / "screenshots").glob("*.png"))
    assert len(shots) >= len(CHECKS) - len(expected_skips)
    assert all(f"screenshots/{shot.name}" in report for shot in shots)
    assert all(case.properties.get("screenshot") for case in run.cases.values() if case.outcome == "passed")


def test_traces_and_outputs_hold_no_password(mastodon, run_check):
    """--tracing on: the check that types the real password (the move form's "not an alias") leaves
    a trace, and no file of the run (traces unpacked) holds the password."""
    run = run_check(mastodon, "--tracing", "on", "-k", "not_an_alias")
    assert run.code == 0, run.output
    assert run.outcomes() == {"test_move_form_refuses_a_handle_that_is_not_an_alias[chromium]": "passed"}
    traces = list(run.folder.rglob("*.zip"))
    assert traces, "no trace was kept"
    password = mastodon.credentials["old"].password.encode()
    for path in run.folder.rglob("*"):
        if path.is_file():
            blobs = [path.read_bytes()]
            if path.suffix == ".zip":
                with zipfile.ZipFile(path) as archive:
                    blobs += [archive.read(name) for name in archive.namelist()]
            assert not any(password in blob for blob in blobs), f"the password is in {path}"


def test_missing_settings_are_refused_before_a_browser_starts(mastodon, run_check):
    run = run_check(mastodon, MASTOMOVE_OLD_PASSWORD="", MASTOMOVE_OLD_HANDLE="not a handle")
    assert run.code == 2, run.output
    assert "is not a Mastodon handle" in run.output and not run.cases
