"""Why a move was refused: structure first, Mastodon's translated messages second."""
import pytest

from mastomove.flows.messages import (MoveFormErrors, MoveOutcome, TargetFacts, acct_error_said, classify_alias_error,
                            classify_move_error, parse_count, says_finished)

NEW_SERVER_KNOWS = TargetFacts(resolves=True, lists_old=True)


@pytest.mark.parametrize("message, outcome", [
    ("is not an alias of this account", MoveOutcome.NOT_AN_ALIAS),
    ("referenziert nicht zurück auf dieses Konto", MoveOutcome.NOT_AN_ALIAS),
    ("ne référence pas ce compte en retour", MoveOutcome.NOT_AN_ALIAS),
    ("could not be found", MoveOutcome.NOT_FOUND),
    ("kann nicht gefunden werden", MoveOutcome.NOT_FOUND),
    ("n’a pas été trouvé", MoveOutcome.NOT_FOUND),  # typographic apostrophe
    ("no se pudo encontrar", MoveOutcome.NOT_FOUND),
    ("cannot be current account", MoveOutcome.SELF),
    ("is the same account you have already moved to", MoveOutcome.ALREADY_MOVED),
    ("これは知らない言語です", None),
])
def test_message_table(message, outcome):
    assert acct_error_said(message) is outcome


def test_wrong_password_is_read_from_the_field_not_the_text():
    errors = MoveFormErrors(fields={"current_password": "ist nicht gültig"})
    assert classify_move_error(errors, NEW_SERVER_KNOWS) is MoveOutcome.WRONG_CHALLENGE
    errors = MoveFormErrors(fields={"current_username": "n'est pas valide"})
    assert classify_move_error(errors, TargetFacts()) is MoveOutcome.WRONG_CHALLENGE


def test_disabled_form_is_the_cooldown():
    assert classify_move_error(MoveFormErrors(acct_disabled=True, summary="1 error"), TargetFacts()) is MoveOutcome.COOLDOWN


def test_unknown_language_with_a_resolving_target_is_not_an_alias_yet():
    errors = MoveFormErrors(fields={"acct": "この別名ではありません"})
    assert classify_move_error(errors, NEW_SERVER_KNOWS) is MoveOutcome.NOT_AN_ALIAS
    assert classify_move_error(errors, TargetFacts(resolves=True, lists_old=False)) is MoveOutcome.NOT_AN_ALIAS


def test_target_that_does_not_resolve_is_not_found_whatever_the_text():
    errors = MoveFormErrors(fields={"acct": "is not an alias of this account"})
    assert classify_move_error(errors, TargetFacts(resolves=False)) is MoveOutcome.NOT_FOUND


def test_old_server_cannot_find_a_target_we_can():
    errors = MoveFormErrors(fields={"acct": "could not be found"})
    assert classify_move_error(errors, NEW_SERVER_KNOWS) is MoveOutcome.NOT_FOUND


def test_messages_decide_self_and_already_moved_and_unknown_stays_unknown():
    assert classify_move_error(MoveFormErrors(fields={"acct": "cannot be current account"}), NEW_SERVER_KNOWS) is MoveOutcome.SELF
    assert classify_move_error(MoveFormErrors(fields={"acct": "es la misma cuenta a la que ya has migrado"}),
                               NEW_SERVER_KNOWS) is MoveOutcome.ALREADY_MOVED
    assert classify_move_error(MoveFormErrors(fields={"acct": "???"}), TargetFacts()) is MoveOutcome.UNKNOWN
    assert classify_move_error(MoveFormErrors(summary="1 error"), TargetFacts()) is MoveOutcome.UNKNOWN


def test_alias_errors():
    assert classify_alias_error("could not be found") is MoveOutcome.NOT_FOUND
    assert classify_alias_error("darf nicht das aktuelles Konto sein") is MoveOutcome.SELF
    assert classify_alias_error("is invalid") is MoveOutcome.UNKNOWN


def test_counts_in_any_locale():
    assert parse_count("1,234") == 1234
    assert parse_count("1.234") == 1234
    assert parse_count("1\u202f234") == 1234
    assert parse_count("in 29 days") == 29
    assert parse_count("") is None


def test_finished_state_words():
    assert says_finished("Finished") and says_finished(" terminé ")
    assert not says_finished("In progress")
