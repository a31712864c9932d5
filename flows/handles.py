"""Handles as Mastodon writes them: in form fields, tables, CSVs and messages.

Mastodon strips whitespace and one leading `@`, writes local accounts as `username@LOCAL_DOMAIN`
in exports, and shows internationalised domains in Unicode (`pretty_acct`). Comparisons here
accept all of those spellings of the same account.
"""
from __future__ import annotations

import re

from mastomove.agent.steps import Handle

_ACCT = re.compile(r"@?(?P<username>[A-Za-z0-9_]+(?:[.-]+[A-Za-z0-9_]+)*)(?:@(?P<domain>[^\s@/,;:]+(?::\d+)?))?")


def ascii_domain(domain: str) -> str:
    """The domain in lower-case ASCII (punycode), so `bücher.example` equals `xn--bcher-kva.example`."""
    domain = domain.strip().rstrip(".").lower()
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def unicode_domain(domain: str) -> str:
    """The domain as Mastodon shows it to people (`pretty_acct`)."""
    try:
        return ascii_domain(domain).encode("ascii").decode("idna")
    except UnicodeError:
        return domain.lower()


def normalize_acct(text: str, local_domain: str | None = None) -> str | None:
    """`username@domain` with the domain in lower-case ASCII; None when `text` is no handle.

    A bare `username` is completed with `local_domain` (how Mastodon lists local accounts)."""
    match = _ACCT.fullmatch((text or "").strip())
    if not match:
        return None
    domain = match["domain"] or local_domain
    if not domain:
        return None
    return f"{match['username'].lower()}@{ascii_domain(domain)}"


def same_acct(text: str, handle: Handle, local_domain: str | None = None) -> bool:
    """Does `text` (as a page, CSV or API wrote it) name the account `handle`?"""
    return normalize_acct(text, local_domain) == normalize_acct(str(handle))


def handle_in_text(text: str, handle: Handle, local_domain: str | None = None) -> bool:
    """Is `handle` mentioned in a sentence (e.g. "Your account is redirecting to alice@new.example.")?

    Used on translated messages: the handle is the part that does not change with the language. A
    server names its own accounts by username alone, so on `local_domain` a bare username counts."""
    haystack = (text or "").lower()
    username = re.escape(handle.username.lower())
    for domain in {ascii_domain(handle.domain), unicode_domain(handle.domain)}:
        if re.search(rf"(?<![\w.]){username}@{re.escape(domain)}(?![\w-]|\.\w)", haystack):
            return True
    if local_domain and ascii_domain(local_domain) == ascii_domain(handle.domain):
        return re.search(rf"(?<![\w.@]){username}(?![\w@-]|\.\w)", haystack) is not None
    return False
