"""The settings navigation: from Account settings, by the links a person clicks, to each page of
the migration path. Links are found by where they lead (their href), not by their words."""
from __future__ import annotations

import pytest

from mastomove.flows.csv_formats import FOLLOWS
from mastomove.flows.pages import AccountSettingsPage, AliasesPage, ExportPage, ImportsPage, MigrationPage, ProfilePage
from mastomove.flows.pages.base import MastodonPage
from mastomove.flows.pages.profile import ProfileKind

IMPORT_PATHS = (ImportsPage.PATH, ImportsPage.LEGACY_PATH)  # 4.2+, up to 4.1


def _arrived(page: MastodonPage) -> tuple[bool, str, str]:
    """Is this the page we meant, by its own markup: (yes, element, what it should have)."""
    if isinstance(page, ExportPage):
        return page.offers(FOLLOWS), f"the follows CSV link (a[href$='{FOLLOWS.export_path}'])", "the export table"
    if isinstance(page, ImportsPage):
        return (page.has(page.FIELD.format(key="form_import", attr="data"))
                or page.has(page.FIELD.format(key="import", attr="data"))), \
            "the import file field (form_import[data] or import[data])", "the import form"
    if isinstance(page, (AliasesPage, MigrationPage)):
        return page.has(page.ACCT), f"the handle field ({page.ACCT})", "the form"
    if isinstance(page, ProfilePage):
        # up to 4.5 the form; from 4.6 a notice that links to the web app's profile editor
        return page.kind() in (ProfileKind.FORM, ProfileKind.EDITOR), \
            f"the display name field ({page.DISPLAY_NAME}) or a link to {page.EDITOR_PATH}", "the profile form or editor link"
    return True, "", ""


# (what the person wants, the pages they click through: each a tuple of acceptable paths, the page object)
ROUTES = [
    pytest.param([(ExportPage.PATH, ExportPage)], id="export"),
    pytest.param([(ExportPage.PATH, ExportPage), (IMPORT_PATHS, ImportsPage)], id="import"),
    pytest.param([(ProfilePage.PATH, ProfilePage)], id="profile"),
    pytest.param([(MigrationPage.PATH, MigrationPage)], id="migration"),
    pytest.param([(AliasesPage.PATH, AliasesPage)], id="aliases"),
]


@pytest.mark.parametrize("route", ROUTES)
def test_settings_navigation(account_page, account, ui, route):
    """From Account settings, click through the settings links to the page and find its form."""
    here: MastodonPage = AccountSettingsPage(account_page, account)
    with ui.step(here, element="the account settings page", expected="the page, signed in"):
        here.open()
    for paths, page_class in route:
        paths = (paths,) if isinstance(paths, str) else paths
        links = [here.link_to(path) for path in paths]
        link = next((candidate for candidate in links if candidate.count()), None)
        shown = " or ".join(paths)
        ui.expect(link is not None, here, element=f"the link to {shown} (a[href='{paths[0]}'])",
                  expected=f"a link a person clicks to reach {shown}",
                  found=lambda: f"links to {', '.join(p for p in here.link_paths() if p.startswith(('/settings', '/auth')))}")
        with ui.step(here, element=f"the link to {shown}", expected=f"the page {shown}"):
            here.submit(link.first)
        there = page_class(account_page, account)
        ui.expect(any(there.on(path) for path in paths), there, element=f"the link to {shown}",
                  expected=f"to arrive at {shown}", found=f"the browser at {there.path}")
        ok, element, what = _arrived(there)
        ui.expect(ok, there, element=element, expected=f"{what} on {there.path}",
                  found=lambda: f"form fields {there.form_fields()}")
        here = there
