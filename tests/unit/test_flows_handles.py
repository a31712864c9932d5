from mastomove.agent.steps import Handle
from mastomove.flows.handles import handle_in_text, normalize_acct, same_acct

NEW = Handle("Alice", "new.example")


def test_normalize_accepts_mastodon_spellings():
    assert normalize_acct(" @Alice@New.Example ") == "alice@new.example"
    assert normalize_acct("alice", local_domain="new.example") == "alice@new.example"
    assert normalize_acct("alice") is None
    assert normalize_acct("not a handle") is None


def test_internationalised_domains_compare_equal():
    assert normalize_acct("bob@bücher.example") == "bob@xn--bcher-kva.example"
    assert same_acct("bob@bücher.example", Handle("bob", "xn--bcher-kva.example"))


def test_same_acct():
    assert same_acct("alice@new.example", NEW)
    assert same_acct("@ALICE@new.example", NEW)
    assert not same_acct("alice@old.example", NEW)
    assert same_acct("alice", NEW, local_domain="new.example")


def test_handle_in_translated_sentences():
    assert handle_in_text("Your account is redirecting to alice@new.example.", NEW)
    assert handle_in_text("Dein Konto wird zu @alice@new.example weitergeleitet.", NEW)
    assert handle_in_text("Votre compte est redirigé vers ALICE@NEW.EXAMPLE.", NEW)
    assert not handle_in_text("Your account is redirecting to malice@new.example.", NEW)
    assert not handle_in_text("redirecting to alice@new.example.com", NEW)
    assert handle_in_text("→ bob@bücher.example", Handle("bob", "xn--bcher-kva.example"))


def test_a_server_names_its_own_accounts_by_username():
    same_server = Handle("alice2", "old.example")
    assert handle_in_text("Your account is redirecting to alice2.", same_server, local_domain="old.example")
    assert not handle_in_text("Your account is redirecting to alice2.", same_server)
    assert not handle_in_text("redirecting to alice2@other.example.", same_server, local_domain="old.example")
    assert not handle_in_text("redirecting to alice.", same_server, local_domain="old.example")
