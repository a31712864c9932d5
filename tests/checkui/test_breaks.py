"""Proof that the shipped suite catches regressions: the fixture's old instance behind a proxy that
breaks one thing at a time (fixtures.breaks), the real `mastomove check-ui` pointed at the proxy.
Each break must be noticed by exactly the checks listed, and the finding must name it: the page,
the element, what was expected and what was found, and a screenshot that exists.

To stay within the time budget each run selects the checks of the broken page with -k (the sign-in
always runs, since every check needs it); test_green.py runs the whole suite."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from mastomove.fixtures.breaks import Break, BrokenProxy

pytestmark = [pytest.mark.e2e]

SCREENSHOT = re.compile(r"screenshot: (\S+\.png)")


@dataclass(frozen=True)
class Row:
    id: str
    brk: Break
    select: str  # -k expression: the checks of the broken page
    caught_by: tuple[str, ...]  # exactly the checks that must fail
    names: tuple[str, ...]  # what the first one's finding must say
    variant: tuple[str, str] = ("4.3", "en")


# Mastodon's markup as the fixture serves it; each break changes one thing a person relies on.
BREAKS = [
    Row("renamed-field",
        Break("the alias form's handle field account_alias[acct] is renamed account_alias[handle]",
              path=r"/settings/aliases", replace=((r'name="account_alias\[acct\]"', 'name="account_alias[handle]"'),)),
        select="aliases",
        caught_by=("test_alias_form_refuses_an_account_that_does_not_exist[chromium]",
                   "test_settings_navigation[chromium-aliases]"),
        names=("Account aliases (/settings/aliases)", "account_alias[acct]", "expected:", "found:",
               "account_alias[handle]")),
    Row("missing-button",
        Break("the import confirmation page has no Cancel button",
              path=r"/settings/imports/\d+", method="GET",
              replace=((r'<a [^>]*data-method="delete"[^>]*>.*?</a>', ""),)),
        select="imports",
        caught_by=("test_import_reaches_confirmation_and_cancel_leaves_nothing[chromium]",),
        names=("Import confirmation (/settings/imports/", "Cancel", "expected: a Cancel button", "found:    no Cancel button")),
    Row("confirmation-never-finishes",
        Break("uploading an import never gets an answer (the confirmation page never comes)",
              path=r"/settings/imports", method="POST", stall=True),
        select="confirmation",
        caught_by=("test_import_reaches_confirmation_and_cancel_leaves_nothing[chromium]",),
        names=("Import and export › Import (/settings/imports)", "the Upload button",
               "expected: the confirmation page /settings/imports/<id>", "nothing happened within 15 s")),
    Row("error-message-gone",
        Break("the move form no longer shows the error under the field (span.error, field_with_errors)",
              path=r"/settings/migration", method="POST",
              replace=((r'<span class="error">.*?</span>', ""), (r" field_with_errors", ""))),
        select="move_form", variant=("4.2", "de"),
        caught_by=("test_move_form_refuses_a_wrong_password[chromium]",
                   "test_move_form_refuses_a_handle_that_is_not_an_alias[chromium]"),
        names=("Account migration (/settings/migration)", "account_migration[current_password]",
               "expected: a message such as “is invalid”", "no error under any field")),
    Row("navigation-link-gone",
        Break("Account settings no longer links to the aliases page",
              path=r"/auth/edit", method="GET", replace=((r'<a href="/settings/aliases">(.*?)</a>', r"\1"),)),
        select="navigation and aliases",
        caught_by=("test_settings_navigation[chromium-aliases]",),
        names=("Account settings (/auth/edit)", "the link to /settings/aliases", "expected: a link",
               "found:    links to")),
    # cheap extras
    Row("sign-in-alert-gone",
        Break("a refused sign-in no longer shows its alert",
              path=r"/auth/sign_in", replace=((r'<div class="flash-message alert">.*?</div>', ""),)),
        select="wrong_password_is_refused", variant=("4.1", "fr"),
        caught_by=("test_wrong_password_is_refused[chromium]",),
        names=("Log in (/auth/sign_in)", ".flash-message.alert", "Invalid E-mail address or password", "no alert")),
    Row("two-factor-field-renamed",
        Break("the two-factor form's field user[otp_attempt] is renamed user[otp_code]",
              path=r"/auth/sign_in", method="POST", replace=((r'name="user\[otp_attempt\]"', 'name="user[otp_code]"'),)),
        select="sign_in_with",
        caught_by=("test_sign_in_with_password_and_two_factor[chromium]",),
        names=("Log in (/auth/sign_in)", "user[otp_attempt]", "found:", "user[otp_code]")),
    Row("csv-served-as-page",
        Break("follows.csv is served as a web page (text/html, inline)",
              path=r"/settings/exports/follows\.csv",
              headers=(("Content-Type", "text/html; charset=utf-8"), ("Content-Disposition", "inline"))),
        select="export_download and follows",
        caught_by=("test_export_download[chromium-follows]",),
        names=("Import and export › Export (", "/settings/exports/follows.csv: Content-Type", "expected: text/csv",
               "found:    text/html")),
    Row("cancel-does-nothing",
        Break("Cancel on the import confirmation page leads back but deletes nothing",
              path=r"/settings/imports/\d+", method="POST",
              answer=(302, (("Location", "{origin}/settings/imports"),))),
        select="confirmation",
        caught_by=("test_import_reaches_confirmation_and_cancel_leaves_nothing[chromium]",),
        names=("Import and export › Import (/settings/imports)", "recent imports table",
               "the cancelled import gone", "still listed after Cancel")),
    Row("export-link-gone",
        Break("the export page no longer offers the bookmarks CSV",
              path=r"/settings/export", method="GET",
              replace=((r'<a [^>]*href="/settings/exports/bookmarks\.csv"[^>]*>.*?</a>', ""),)),
        select="offers_every_csv or (export_download and bookmarks)",
        caught_by=("test_export_page_offers_every_csv[chromium]", "test_export_download[chromium-bookmarks]"),
        names=("Import and export › Export (/settings/export)", "a[href$='/settings/exports/bookmarks.csv']",
               "expected: a CSV download for each of", "found:    CSV links only to")),
    Row("import-type-gone",
        Break("the import form no longer offers lists", path=r"/settings/imports", method="GET",
              replace=((r'<option value="lists"[^>]*>.*?</option>', ""),)),
        select="offers_every_list_type",
        caught_by=("test_import_form_offers_every_list_type[chromium]",),
        names=("Import and export › Import (/settings/imports)", "form_import[type]", "missing ['lists']")),
    Row("post-button-missing",
        Break("the compose form has no Post button",
              path=r"/share", method="GET", replace=((r'<button type="submit"[^>]*>.*?</button>', ""),)),
        select="compose",
        caught_by=("test_compose_box_without_posting[chromium]",),
        names=("Compose (share page) (/share)", "the Post button (form.compose-form button[type='submit'])",
               "no submit button")),
]


@pytest.mark.parametrize("row", BREAKS, ids=[row.id for row in BREAKS])
def test_break_is_caught(mastodon_factory, run_check, row: Row):
    version, locale = row.variant
    cluster = mastodon_factory(version=version, locale=locale)
    with BrokenProxy(cluster.old.url, row.brk) as proxy:
        run = run_check(cluster, "-k", row.select, base_url=proxy.url)
        applied = proxy.applied[row.brk.what]
    assert applied, f"the break never took effect: {row.brk.what}\n{run.output}"
    assert run.code == 1, f"check-ui did not fail (exit {run.code}) with {row.brk.what}\n{run.output}"
    failed = run.failed()
    assert set(failed) == set(row.caught_by), (
        f"expected exactly {row.caught_by} to fail, got {run.outcomes()}\n{run.output}")
    message = failed[row.caught_by[0]].message
    for fragment in row.names:
        assert fragment in message, f"the finding does not say {fragment!r}:\n{message}"
    shot = SCREENSHOT.search(message)
    assert shot, f"no screenshot in the finding:\n{message}"
    assert (run.folder / "screenshots").is_dir() and any(p.name in shot[1] for p in (run.folder / "screenshots").iterdir())
    report = (run.folder / "report.html").read_text()
    assert "failed" in report and re.search(r'<img src="screenshots/[^"]+failed\.png"', report)
