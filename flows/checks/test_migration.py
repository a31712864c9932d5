"""Account migration (/settings/migration): the move form refuses a wrong password and a handle
that is not an alias of the account; both show the error and change nothing.

The second check types the account's real password with a handle that must NOT be an alias of it
(MASTOMOVE_NEW_HANDLE). The suite first reads that account's published `alsoKnownAs` and submits
only when it was read and does not name the test account: an alias there would make the server
move the account. When it cannot be read (a 401 under AUTHORIZED_FETCH, a challenge page, anything
not JSON), the check is skipped with the reason: unknown is never taken as "not an alias"."""
from __future__ import annotations

import secrets

import pytest

from mastomove.agent.steps import Handle
from mastomove.flows.checks.session import open_entry
from mastomove.flows.messages import MoveOutcome, TargetFacts, classify_move_error
from mastomove.flows.pages import MigrationPage, PublicSide

FIELD_NAMES = {"current_password": "“Current password”", "current_username": "“Current username”",
               "acct": "“Handle of the new account”"}


def _open(migration: MigrationPage, ui):
    with ui.step(migration, element="the migration page", expected="the page, signed in"):
        migration.open()
    ui.expect(migration.has(migration.ACCT), migration,
              element=f"the “Handle of the new account” field ({migration.ACCT})",
              expected="the move form's handle field", found=lambda: f"form fields {migration.form_fields()}")
    state = migration.state()
    if state.redirecting:
        pytest.skip("the test account already redirects to another account: its move form cannot be checked")
    if state.on_cooldown:
        pytest.skip("the test account moved recently and its move form is disabled (cooldown)")
    ui.expect(migration.has(migration.PASSWORD) or migration.has(migration.USERNAME), migration,
              element=f"the “Current password” field ({migration.PASSWORD})",
              expected="the field confirming the move with the account's password",
              found=lambda: f"form fields {migration.form_fields()}")
    return state


def _still_not_moved(migration: MigrationPage, ui) -> None:
    with ui.step(migration, element="the migration page", expected="the page, reloaded"):
        migration.open()
    state = migration.state()
    ui.expect(not state.redirecting, migration, element="the redirect status at the top of the page",
              expected="“Your account is not redirecting to any other account currently.”",
              found=f"the account now redirects: {state.redirect_text}")


def test_move_form_refuses_a_wrong_password(account_page, account, check_target, ui):
    """Submit the move form with a wrong password: the error shows under the password field and the
    account does not move."""
    migration = MigrationPage(account_page, account)
    state = _open(migration, ui)
    target = check_target.other.handle if check_target.other else Handle(f"nobody_{secrets.token_hex(3)}", "example.invalid")
    wrong = f"not-the-password-{secrets.token_hex(4)}"
    field = state.challenge
    with ui.step(migration, element=f"the “Move followers” button ({migration.SUBMIT})",
                 expected="the form again, with an error"):
        migration.submit_move(target, wrong, open_entry())  # a made-up password: the trace may keep it
    errors = migration.errors()
    ui.expect(errors.fields.get(field), migration,
              element=f"the error under the {FIELD_NAMES[field]} field (account_migration[{field}])",
              expected="a message such as “is invalid”",
              found=lambda: (f"errors on {sorted(errors.fields)}: {errors.fields}" if errors.fields else
                             "no error under any field") + (f"; summary “{errors.summary}”" if errors.summary else ""))
    _still_not_moved(migration, ui)


def test_move_form_refuses_a_handle_that_is_not_an_alias(account_page, account, check_target, ui, secret_entry):
    """Submit the move form with the right password and an existing account that has no alias of
    this one: the error “is not an alias of this account” shows under the handle field and the
    account does not move."""
    other = check_target.other
    if other is None:
        pytest.skip("set MASTOMOVE_NEW_HANDLE (and MASTOMOVE_NEW_URL) to an existing account that is not an "
                    "alias of the test account to run this check")
    public = PublicSide(account_page)
    migration = MigrationPage(account_page, account)
    # Safety first: with the right password, a handle that *is* an alias would move the account.
    mine = public.webfinger(account, account.handle)
    if mine is None or not mine.actor_uri:
        pytest.skip(f"not submitted: the test account's own ActivityPub id could not be read at {account.url} "
                    "(WebFinger), so whether the other account names it as an alias is unknown")
    aliased = public.names_alias(other, other.handle, mine.actor_uri)
    if aliased is None:
        pytest.skip(f"not submitted: whether {other.handle} names the test account as an alias could not be read "
                    f"(its WebFinger or ActivityPub actor at {other.url} did not answer with JSON, e.g. under "
                    "AUTHORIZED_FETCH or a challenge page); with the real password an alias would move the account")
    if aliased:
        pytest.fail(f"refused to submit: {other.handle} lists the test account as an alias (alsoKnownAs), so the "
                    "move would really happen; remove that alias or name another account", pytrace=False)
    _open(migration, ui)
    with ui.step(migration, element=f"the “Move followers” button ({migration.SUBMIT})",
                 expected="the form again, with an error"):
        migration.submit_move(other.handle, account.password.get_secret_value(), secret_entry)
    errors = migration.errors()
    ui.expect("acct" in errors.fields and errors.fields["acct"], migration,
              element=f"the error under the “Handle of the new account” field ({migration.ACCT})",
              expected=f"“is not an alias of this account” for {other.handle}",
              found=lambda: (f"errors on {sorted(errors.fields)}: {errors.fields}" if errors.fields else
                             "no error under any field") + (f"; summary “{errors.summary}”" if errors.summary else ""))
    outcome = classify_move_error(errors, TargetFacts(resolves=True, lists_old=False))
    ui.expect(outcome is MoveOutcome.NOT_AN_ALIAS, migration,
              element=f"the error under the “Handle of the new account” field ({migration.ACCT})",
              expected="“is not an alias of this account” (migrations.errors.missing_also_known_as)",
              found=f"“{errors.fields['acct']}” ({outcome})")
    _still_not_moved(migration, ui)
