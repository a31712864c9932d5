"""From settings to the two accounts: every input is checked here, before a browser starts."""
from __future__ import annotations

import ipaddress
import sys
from typing import Callable
from urllib.parse import urlsplit

from pydantic import SecretStr

from mastomove.agent.errors import BadInput
from mastomove.agent.settings import Settings
from mastomove.agent.steps import Account, Handle, Role


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def server_url(role: Role, raw: str | None, handle: Handle, *, allow_insecure_http: bool) -> str:
    url = (raw or f"https://{handle.domain}").strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(f"The {role} server address {url!r} is not a web address", hint="e.g. https://mastodon.social")
    if parts.scheme == "http" and not (is_loopback(parts.hostname) or allow_insecure_http):
        raise BadInput(
            f"The {role} server address {url} is plain http://: a password would travel unencrypted",
            hint="use https://, or --allow-insecure-http if you really mean it",
        )
    if parts.path not in ("", "/") or parts.query:
        raise BadInput(f"The {role} server address {url} should be just the server, without a path")
    return f"{parts.scheme}://{parts.netloc}"


def usable_otp_secret(role: Role, secret: SecretStr | None) -> SecretStr | None:
    """The two-factor secret, checked before anything starts: base32, as the authenticator app's
    QR code holds it. A mistyped one is refused here, without its value ever being shown."""
    if secret is None or not secret.get_secret_value().strip():
        return None
    import binascii

    import pyotp

    try:
        pyotp.TOTP(secret.get_secret_value().replace(" ", "").upper()).now()
        valid = True
    except (binascii.Error, ValueError, TypeError):
        valid = False
    if not valid:  # raised outside the except block: no traceback carries the secret along
        raise BadInput(f"The {role} account's two-factor secret is not a valid key",
                       hint="it is the text shown under the QR code when two-factor sign-in was set up: letters A-Z "
                            "and digits 2-7 (not a six-digit code); nothing was changed")
    return secret


def account_for(role: Role, settings: Settings, *, ask: Callable[[str], str] | None,
                need_password: bool = True) -> Account:
    handle_text = getattr(settings, f"{role}_handle")
    if not handle_text:
        raise BadInput(f"The {role} account's handle is missing", settings=(f"{role}_handle",))
    handle = Handle.parse(handle_text)
    url = server_url(role, getattr(settings, f"{role}_url"), handle, allow_insecure_http=settings.allow_insecure_http)
    email = getattr(settings, f"{role}_email")
    password: SecretStr | None = getattr(settings, f"{role}_password")
    if need_password and not email:
        raise BadInput(f"The {role} account's e-mail address is missing", settings=(f"{role}_email",))
    if need_password and password is None:
        if ask is None or not sys.stdin.isatty():
            raise BadInput(f"The {role} account's password is missing and there is no terminal to ask for it",
                           hint="give it in the environment or a .env file", settings=(f"{role}_password",))
        password = SecretStr(ask(f"Password of {handle} (not shown)"))
    otp_secret = usable_otp_secret(role, getattr(settings, f"{role}_otp_secret"))
    return Account(role=role, handle=handle, url=url, email=email or "", password=password, otp_secret=otp_secret)


def accounts_for(settings: Settings, *, ask: Callable[[str], str] | None = None,
                 need_password: bool = True) -> dict[Role, Account]:
    accounts = {role: account_for(role, settings, ask=ask, need_password=need_password) for role in Role}
    old, new = accounts[Role.OLD], accounts[Role.NEW]
    if old.handle.same_account(new.handle):
        raise BadInput(f"The old and the new account are the same ({old.handle})",
                       hint="the new account must be another account, usually on another server")
    return accounts
