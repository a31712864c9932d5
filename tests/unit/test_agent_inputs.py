"""Bad input is refused before a browser starts, with one clear line and exit code 2."""
from __future__ import annotations

import pytest
from pydantic import SecretStr

from mastomove.agent.accounts import accounts_for
from mastomove.agent.confirmation import Confirmation
from mastomove.agent.errors import BadInput, ExitCode
from mastomove.agent.settings import Settings
from mastomove.agent.steps import Handle, Role

GOOD = dict(old_handle="alice@old.example", old_email="a@example.com", old_password=SecretStr("pw-old-1234"),
            new_handle="alice@new.example", new_email="a@example.com", new_password=SecretStr("pw-new-1234"))


def settings(**changes) -> Settings:
    return Settings(_env_file=None, **{**GOOD, **changes})


def test_good_input_gives_two_accounts_with_https_urls():
    accounts = accounts_for(settings())
    assert accounts[Role.OLD].url == "https://old.example"
    assert accounts[Role.NEW].handle == Handle("alice", "new.example")


@pytest.mark.parametrize("handle", ["alice", "alice@", "@alice", "alice@@old.example", "alice@old", "al ice@old.example", ""])
def test_malformed_handles_are_refused(handle):
    with pytest.raises(BadInput) as refused:
        accounts_for(settings(old_handle=handle))
    assert refused.value.exit_code == ExitCode.BAD_INPUT


def test_leading_at_is_accepted():
    assert str(Handle.parse("@alice@Old.Example")) == "alice@old.example"


def test_same_account_twice_is_refused():
    with pytest.raises(BadInput, match="same"):
        accounts_for(settings(new_handle="@Alice@old.example"))


@pytest.mark.parametrize("url", ["http://old.example", "ftp://old.example", "https://old.example/path", "not a url"])
def test_unsafe_or_odd_server_addresses_are_refused(url):
    with pytest.raises(BadInput):
        accounts_for(settings(old_url=url))


def test_plain_http_is_fine_on_loopback_and_with_the_flag():
    assert accounts_for(settings(old_url="http://127.0.0.2:3000"))[Role.OLD].url == "http://127.0.0.2:3000"
    assert accounts_for(settings(old_url="http://old.example", allow_insecure_http=True))[Role.OLD].origin == "http://old.example"


def test_wrong_confirm_move_is_refused_before_anything_runs():
    new = accounts_for(settings())[Role.NEW].handle
    with pytest.raises(BadInput, match="confirm-move"):
        Confirmation("alice@new.exampel", "--confirm-move").check(new)
    Confirmation("@alice@new.example", "--confirm-move").check(new)


def test_missing_password_without_a_terminal_is_a_clear_error(monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(BadInput, match="password is missing"):
        accounts_for(settings(new_password=None), ask=lambda label: "typed")


def test_environment_names_are_the_documented_ones(monkeypatch):
    for name, value in {"OLD_HANDLE": "bob@a.example", "OLD_URL": "https://web.a.example", "OLD_EMAIL": "b@x.example",
                        "OLD_PASSWORD": "pw-aaaa", "OLD_OTP_SECRET": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "NEW_HANDLE": "bob@b.example",
                        "NEW_URL": "https://b.example", "NEW_EMAIL": "b@y.example", "NEW_PASSWORD": "pw-bbbb",
                        "NEW_OTP_SECRET": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ", "RUN_DIR": "/tmp/somewhere"}.items():
        monkeypatch.setenv(f"MASTOMOVE_{name}", value)
    accounts = accounts_for(Settings(_env_file=None))
    assert accounts[Role.OLD].url == "https://web.a.example"
    assert accounts[Role.OLD].otp_secret.get_secret_value() == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    assert str(Settings(_env_file=None).run_dir) == "/tmp/somewhere"
