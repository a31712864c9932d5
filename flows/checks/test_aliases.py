"""Account aliases (/settings/aliases): the form refuses an account that does not exist, shows why
under the field, and creates nothing."""
from __future__ import annotations

import secrets

from mastomove.agent.steps import Handle
from mastomove.flows.messages import MoveOutcome, classify_alias_error
from mastomove.flows.pages import AliasesPage


def test_alias_form_refuses_an_account_that_does_not_exist(account_page, account, ui):
    """Create an alias to an account that does not exist: the form shows an error under the handle
    field (“could not be found”) and the alias list stays as it was."""
    aliases = AliasesPage(account_page, account)
    with ui.step(aliases, element="the aliases page", expected="the page, signed in"):
        aliases.open()
    field = f"the “Handle of the old account” field ({aliases.ACCT})"
    ui.expect(aliases.has(aliases.ACCT), aliases, element=field, expected="the field to type the old account's handle into",
              found=lambda: f"form fields {aliases.form_fields()}")
    before = aliases.listed()
    nobody = Handle(f"mastomove_check_{secrets.token_hex(4)}", account.handle.domain)
    with ui.step(aliases, element=f"the “Create alias” button ({aliases.SUBMIT})",
                 expected="the form again, with an error"):
        error = aliases.add(nobody)
    ui.expect(error, aliases, element=f"the error under {field}",
              expected=f"a message such as “could not be found” for {nobody}",
              found=lambda: f"no error (span.error in .field_with_errors) on the page at {aliases.path}"
                            + (f"; alias list now {aliases.listed()}" if aliases.listed() != before else ""))
    said = classify_alias_error(error)
    ui.expect(said in (MoveOutcome.NOT_FOUND, MoveOutcome.UNKNOWN), aliases, element=f"the error under {field}",
              expected="“could not be found” (migrations.errors.not_found)", found=f"“{error}” ({said})")
    with ui.step(aliases, element="the alias list", expected="the aliases page"):
        aliases.open()
    ui.expect(aliases.listed() == before and not aliases.lists(nobody), aliases,
              element=f"the alias list ({aliases.ROWS})", expected=f"unchanged: {before or 'no aliases'}",
              found=lambda: f"{aliases.listed()}")
