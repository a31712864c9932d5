"""Reading meaning from Mastodon's forms: structure first, its translated messages second.

The move form can fail on the password, on cooldown, or on the new handle; the handle has four
possible errors that share one `span.error`. Which field carries the error, whether the field is
disabled, and what the new server publishes about itself (WebFinger, `alsoKnownAs`) decide the
outcome. Mastodon's own messages, from its locale files, are only a second signal, kept here and
nowhere else.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum


class MoveOutcome(StrEnum):
    WRONG_CHALLENGE = "wrong_challenge"  # password (or username, for accounts without one)
    COOLDOWN = "cooldown"
    SELF = "self"
    ALREADY_MOVED = "already_moved"
    NOT_FOUND = "not_found"
    NOT_AN_ALIAS = "not_an_alias"
    UNKNOWN = "unknown"


# migrations.errors.* (config/locales/{en,de,fr-CA,es}.yml). The alias form uses the same keys
# for "could not be found" and "cannot be current account".
ACCT_ERROR_MESSAGES: dict[MoveOutcome, tuple[str, ...]] = {
    MoveOutcome.NOT_AN_ALIAS: (
        "is not an alias of this account",
        "referenziert nicht zurück auf dieses Konto",
        "ne référence pas ce compte en retour",
        "no está haciendo referencia a esta cuenta",
    ),
    MoveOutcome.NOT_FOUND: (
        "could not be found",
        "kann nicht gefunden werden",
        "n'a pas été trouvé",
        "no se pudo encontrar",
    ),
    MoveOutcome.ALREADY_MOVED: (
        "is the same account you have already moved to",
        "ist das gleiche Konto, zu dem du bereits umgezogen bist",
        "est le même compte que vous avez déjà déplacé vers",
        "es la misma cuenta a la que ya has migrado",
    ),
    MoveOutcome.SELF: (
        "cannot be current account",
        "darf nicht das aktuelles Konto sein",
        "ne peut pas être le compte actuel",
        "no puede ser la cuenta actual",
    ),
}

# imports.states.finished: only needed for an import that ended early on an error (its counts
# never add up); every other finished import is recognised by its counts or its failures link.
FINISHED_STATE_MESSAGES: tuple[str, ...] = ("Finished", "Terminé")


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "").replace("\u2019", "'").casefold()
    return re.sub(r"\s+", " ", text).strip()


def acct_error_said(message: str) -> MoveOutcome | None:
    """What a `span.error` under the handle field says, if its language is one we know."""
    said = _plain(message)
    for outcome, phrasings in ACCT_ERROR_MESSAGES.items():
        if any(_plain(phrase) in said for phrase in phrasings):
            return outcome
    return None


def says_finished(state_text: str) -> bool:
    said = _plain(state_text)
    return any(_plain(phrase) == said for phrase in FINISHED_STATE_MESSAGES)


@dataclass(frozen=True)
class MoveFormErrors:
    """What the re-rendered move form shows: per-field messages, keyed by attribute
    (`acct`, `current_password`, `current_username`), and whether the form is disabled."""

    fields: dict[str, str] = field(default_factory=dict)
    summary: str | None = None  # the `#error_explanation` box, which only counts errors
    acct_disabled: bool = False

    @property
    def any(self) -> bool:
        return bool(self.fields or self.summary or self.acct_disabled)


@dataclass(frozen=True)
class TargetFacts:
    """What the new server publishes, read by the agent itself (None: could not be read)."""

    resolves: bool | None = None  # WebFinger of the new handle answers
    lists_old: bool | None = None  # its actor's alsoKnownAs holds the old account


def classify_move_error(errors: MoveFormErrors, target: TargetFacts) -> MoveOutcome:
    """Why the old server refused the move.

    The caller has already ruled out moving to oneself and checked whether the account is
    redirecting, so those two come only from the message."""
    if errors.acct_disabled:
        return MoveOutcome.COOLDOWN
    if "current_password" in errors.fields or "current_username" in errors.fields:
        return MoveOutcome.WRONG_CHALLENGE  # checked first by Mastodon; nothing else is computed then
    if "acct" not in errors.fields:
        return MoveOutcome.UNKNOWN
    said = acct_error_said(errors.fields["acct"])
    if said in (MoveOutcome.SELF, MoveOutcome.ALREADY_MOVED):
        return said
    if target.resolves is False:
        return MoveOutcome.NOT_FOUND
    if target.resolves:
        if said is MoveOutcome.NOT_FOUND:
            return MoveOutcome.NOT_FOUND  # the new server answers us but not the old server
        # The new account exists, so the old server's complaint is about the back-reference: it
        # is missing, or the old server still holds a stale copy of the new account (up to a day).
        return MoveOutcome.NOT_AN_ALIAS
    return said or MoveOutcome.UNKNOWN


def classify_alias_error(message: str) -> MoveOutcome:
    """Why the new server refused to create the alias (same keys as the move form)."""
    return acct_error_said(message) or MoveOutcome.UNKNOWN


_DIGITS = re.compile(r"\d[\d.,\s\u00a0\u202f']*")


def parse_count(text: str) -> int | None:
    """A number as Mastodon prints it in any locale: "1,234", "1.234", "1 234" -> 1234."""
    match = _DIGITS.search(text or "")
    if not match:
        return None
    return int(re.sub(r"\D", "", match.group()))
