"""Copy the public profile (display name, bio, metadata fields, avatar and header with their alt
texts) from the old account to the new one, the way each server lets a person edit it:

- up to Mastodon 4.5, the profile form on /settings/profile;
- from 4.6, the web app's profile editor (/settings/profile only links to it): one dialog per
  change, images chosen, cropped and described in the upload dialog.
Which one a server has is read from its /settings/profile page, not from a version number; the
report says which was used. A page that is neither stops the step (nothing is skipped silently).

Reading the old profile: from the form up to 4.5; on 4.6+ from the profile the editor itself loads
(/api/v1/profile, answered to the web app's own request while the editor opens). The editor shows
the bio and the fields rendered (links, emoji), while that answer holds them as the person typed
them, which is what the new account needs; no second sign-in or token of ours is involved.

Images are absolute URLs on the media host (often another host): fetched from there by the browser
context's request client, whose cookies follow the browser's rules (the server's own session
cookie is not sent to another host).

Limits: the new server's own (the form's `maxlength` and rows up to 4.5; the server description's
configuration.accounts from 4.6: display name 40 instead of 30, glitch-soc's larger limits).
Whatever does not fit is shortened or left out, and the report says what.
"""
from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mastomove.agent.errors import PageChanged
from mastomove.agent.steps import Role, StepContext, StepResult
from mastomove.flows.pages.account_settings import AccountSettingsPage
from mastomove.flows.pages.landing import landing
from mastomove.flows.pages.profile import ProfileKind, ProfileLimits, ProfilePage, ProfileText
from mastomove.flows.pages.profile_editor import IMAGES, ProfileEditor, SaveOutcome
from mastomove.flows.pages.public import PublicSide
from mastomove.flows.steps.common import attempt, screenshot, view
from mastomove.flows.steps.gate import shown_at, stop_for

HOW = {ProfileKind.FORM: "the profile form (Mastodon 4.5 or older)",
       ProfileKind.EDITOR: "the profile editor (Mastodon 4.6 or newer)"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}


@dataclass
class Profile:
    """A profile as read from a server."""

    kind: ProfileKind
    text: ProfileText
    images: dict[str, str | None] = field(default_factory=dict)  # URLs, None when the default
    descriptions: dict[str, str] = field(default_factory=dict)  # alt texts (4.6+)


# --- what fits ------------------------------------------------------------------------------------
def utf16_length(text: str) -> int:
    """Length as browsers count it (`maxlength`, the web app's `.length`): characters outside the
    basic plane count twice."""
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def shorten(text: str, limit: int | None) -> str:
    """`text` cut to `limit` (browser-counted) characters, without leaving half of a joined emoji."""
    if limit is None or utf16_length(text) <= limit:
        return text
    kept, used = [], 0
    for ch in text:
        size = 2 if ord(ch) > 0xFFFF else 1
        if used + size > limit:
            break
        kept.append(ch)
        used += size
    return "".join(kept).rstrip("\u200d\ufe0e\ufe0f \t\r\n")


@dataclass
class Fitted:
    text: ProfileText
    descriptions: dict[str, str]
    notes: list[str]  # what was shortened or left out, for the report


def fit(source: Profile, limits: ProfileLimits, target: ProfileKind, has_image: dict[str, bool]) -> Fitted:
    """The profile as the new server can take it, and what had to change for that."""
    notes: list[str] = []
    name = shorten(source.text.display_name, limits.display_name)
    if name != source.text.display_name:
        notes.append(f"display name shortened to {limits.display_name} characters, the new server's limit "
                     f"(\"{name}\")")
    note = shorten(source.text.note.replace("\r\n", "\n"), limits.note)
    if note != source.text.note.replace("\r\n", "\n"):
        notes.append(f"bio shortened to {limits.note} characters, the new server's limit")
    fields = []
    for label, value in source.text.fields:
        if target is ProfileKind.EDITOR and not value.strip():
            notes.append(f"field \"{label}\" not copied: it has no value, which the new server's profile editor "
                         "does not accept")
            continue
        cut = (shorten(label, limits.field_name), shorten(value, limits.field_value))
        if cut != (label, value):
            notes.append(f"field \"{label}\" shortened to the new server's limit of {limits.field_name} characters")
        fields.append(cut)
    if limits.fields is not None and len(fields) > limits.fields:
        left = [label for label, _ in fields[limits.fields:]]
        notes.append(f"{len(left)} field(s) not copied, the new server allows {limits.fields}: "
                     + ", ".join(f"\"{label}\"" for label in left))
        fields = fields[:limits.fields]
    descriptions: dict[str, str] = {}
    for image in IMAGES:
        wanted = (source.descriptions.get(image) or "").strip()
        if not wanted or not has_image.get(image):
            continue
        if target is not ProfileKind.EDITOR:
            notes.append(f"the {image}'s alt text not carried: the new server is older than 4.6 (no alt text for "
                         "profile images)")
            continue
        cut = shorten(wanted, limits.image_description)
        if cut != wanted:
            notes.append(f"the {image}'s alt text shortened to {limits.image_description} characters")
        descriptions[image] = cut
    return Fitted(ProfileText(name, note, fields), descriptions, notes)


def same_text(a: ProfileText, b: ProfileText) -> bool:
    def plain(text: ProfileText) -> tuple:
        return (text.display_name.strip(), text.note.replace("\r\n", "\n").strip(),
                tuple((label.strip(), content.strip()) for label, content in text.fields if label.strip()))

    return plain(a) == plain(b)


def _is_default_image(url: str | None) -> bool:
    # Up to 4.5 the public account data names a placeholder (/avatars|headers/original/missing.png).
    return not url or urlsplit(url).path.endswith("/missing.png")


# --- reading ----------------------------------------------------------------------------------------
def profile_kind(ctx: StepContext, role: Role, *, loaded: bool = False) -> ProfileKind | None:
    """Open `role`'s /settings/profile and tell which way it edits profiles. None: the old account
    has moved (up to 4.2 its settings are closed then). Anything unrecognised stops here.
    `loaded`: the page may be the one already loaded there (the sign-in's check loads it last)."""
    page = view(ctx, role, ProfilePage)
    if not (loaded and page.on(page.PATH)):
        page.open(signed_in=False)
    kind = page.kind()
    if kind in (ProfileKind.FORM, ProfileKind.EDITOR):
        return kind
    if kind is ProfileKind.ACCOUNT_SETTINGS and role is Role.OLD and \
            AccountSettingsPage(page.page, page.account).redirect_notice():
        return None
    if page.on(page.PATH):
        raise PageChanged(f"The {role} server's profile page ({page.PATH}) shows neither the profile form (Mastodon "
                          f"up to 4.5) nor the link to the profile editor (4.6 and newer); the profile was not "
                          f"copied{shown_at(ctx, page, f'{role}-profile-page-unknown')}")
    stop_for(ctx, role, page, landing(page, page.PATH), page.PATH)
    raise PageChanged(f"The {role} server did not show its profile page")  # stop_for always raises here


def read_profile(ctx: StepContext, role: Role, kind: ProfileKind) -> Profile:
    """The profile of `role` as its server shows it (the profile page was opened by profile_kind)."""
    if kind is ProfileKind.EDITOR:
        editor = view(ctx, role, ProfileEditor)
        loaded = editor.open_editor()
        screenshot(ctx, editor, f"{role}-profile-editor")
        return Profile(kind, loaded.text, loaded.images, loaded.descriptions)
    page = view(ctx, role, ProfilePage)
    if not page.on(page.PATH):
        page.open()
    text = page.read()
    screenshot(ctx, page, f"{role}-profile")
    account = ctx.accounts[role]
    entity = PublicSide(ctx.page(role)).lookup(account, account.handle.username) or {}
    images = {name: None if _is_default_image(entity.get(name)) else entity.get(name) for name in IMAGES}
    return Profile(kind, text, images, {})


# --- the step ---------------------------------------------------------------------------------------
@dataclass(kw_only=True)
class ProfileResult(StepResult):
    step = "profile"
    skipped: bool = False  # turned off, or the old account has moved (`moved`)
    moved: bool = False
    changed: bool | None = None  # False: the new account had the profile already
    copied: dict[str, Any] = field(default_factory=dict)  # the text as sent (ProfileText.as_dict)
    images: dict[str, str] = field(default_factory=dict)  # avatar/header -> the downloaded file
    descriptions: dict[str, str] = field(default_factory=dict)  # the images' alt texts
    old_kind: str | None = None  # ProfileKind of each side
    new_kind: str | None = None
    limits: dict[str, Any] = field(default_factory=dict)  # the new server's (ProfileLimits.as_dict)
    errors: list[str] = field(default_factory=list)  # what the new server refused


class ProfileStep:
    name = "profile"
    title = "Copy the profile to the new account"
    irreversible = False
    result_type = ProfileResult

    def run(self, ctx: StepContext) -> ProfileResult:
        if not ctx.settings.copy_profile:
            return ProfileResult(skipped=True, report=["Profile: not copied (turned off)"])
        tries = 0

        def copy() -> ProfileResult:
            nonlocal tries
            tries += 1
            # The first try may read the profile pages the sign-in left loaded, seconds ago; a
            # retry loads them afresh (the page may hold a half-sent form or an error).
            return self._copy(ctx, loaded=tries == 1)

        return attempt(ctx, copy)

    def _copy(self, ctx: StepContext, *, loaded: bool = False) -> ProfileResult:
        log = ctx.evidence.log
        old_kind = profile_kind(ctx, Role.OLD, loaded=loaded)
        if old_kind is None:
            return ProfileResult(skipped=True, moved=True, report=[
                "Profile: not copied: the old account has moved and its server no longer shows its profile settings"])
        source = read_profile(ctx, Role.OLD, old_kind)
        images = self._download_images(ctx, source)

        new_kind = profile_kind(ctx, Role.NEW, loaded=loaded)
        if new_kind is None:  # only the old account can have moved
            raise PageChanged("The new server did not show its profile page")
        if new_kind is ProfileKind.EDITOR:
            editor = view(ctx, Role.NEW, ProfileEditor)
            limits = editor.limits()
            current = editor.open_editor()
            current_text, current_images = current.text, current.images
        else:
            form = view(ctx, Role.NEW, ProfilePage)
            limits = form.limits()
            current_text = form.read()
            current_images: dict[str, str | None] = {}
        fitted = fit(source, limits, new_kind, {name: name in images for name in IMAGES})
        wanted = fitted.text

        done_images = ctx.notes.get("images", {})
        submitting = ctx.notes.get("submitting", {})
        if submitting and new_kind is ProfileKind.FORM:
            # Images submitted before an interruption: whether they arrived, the new account's
            # public data says (the form does not show its images).
            new = ctx.accounts[Role.NEW]
            entity = PublicSide(ctx.page(Role.NEW)).lookup(new, new.handle.username) or {}
            current_images = {name: None if _is_default_image(entity.get(name)) else entity.get(name)
                              for name in IMAGES}
        pending = {
            name: path for name, (path, digest) in images.items()
            if done_images.get(name) != digest
            # submitted before an interruption, and the new account has an image now: it arrived
            and not (submitting.get(name) == digest and current_images.get(name))
        }
        copied_images = {name: str(path) for name, (path, _) in images.items()}
        descriptions_wanted = fitted.descriptions
        result = ProfileResult(copied=wanted.as_dict(), images=copied_images, descriptions=descriptions_wanted,
                               old_kind=str(old_kind), new_kind=str(new_kind), limits=limits.as_dict())
        ctx.notes["texts"] = wanted.as_dict()
        ctx.notes["descriptions"] = descriptions_wanted
        ctx.notes["kind"] = str(new_kind)
        current_descriptions = current.descriptions if new_kind is ProfileKind.EDITOR else {}
        alt_changes = {name: text for name, text in descriptions_wanted.items()
                       if name not in pending and current_descriptions.get(name, "") != text}
        if same_text(current_text, wanted) and not pending and not alt_changes:
            log.info("profile.already_copied", kind=str(new_kind))
            ctx.save_notes()
            result.changed = False
            result.report = ([f"Profile: the new account already has the old profile (checked in {HOW[new_kind]})"]
                             + [f"Profile: {line}" for line in fitted.notes])
            return result

        ctx.notes["submitting"] = {name: digest for name, (_, digest) in images.items() if name in pending}
        ctx.save_notes()
        if new_kind is ProfileKind.EDITOR:
            refused = self._through_editor(ctx, editor, wanted, pending, descriptions_wanted, alt_changes)
        else:
            refused = self._through_form(ctx, form, wanted, pending)
        report = []
        if refused:
            log.warning("profile.refused", errors=refused)
            report.append("Profile: the new server refused part of the profile: " + "; ".join(refused))
        else:
            ctx.notes["images"] = {**done_images, **ctx.notes.pop("submitting")}
            ctx.save_notes()
            parts = ["display name, bio and fields", *sorted(pending)]
            if alt_changes or (descriptions_wanted and pending):
                parts.append("alt texts")
            report.append(f"Profile: copied {', '.join(parts)} through {HOW[new_kind]}")
        report.extend(f"Profile: {line}" for line in fitted.notes)
        log.info("profile.saved", kind=str(new_kind), images=sorted(pending), errors=refused)
        result.changed, result.errors, result.report = True, refused, report
        return result

    # --- writing ------------------------------------------------------------------------------------
    def _through_form(self, ctx: StepContext, form: ProfilePage, wanted: ProfileText,
                      pending: dict[str, Path]) -> list[str]:
        form.fill(wanted, avatar=pending.get("avatar"), header=pending.get("header"))
        errors = form.save()
        screenshot(ctx, form, "new-profile-saved")
        return errors

    def _through_editor(self, ctx: StepContext, editor: ProfileEditor, wanted: ProfileText,
                        pending: dict[str, Path], descriptions: dict[str, str],
                        alt_changes: dict[str, str]) -> list[str]:
        """One dialog per change, as a person clicks through the editor; each save's answer read."""
        refused: list[str] = []

        def saved(outcome: SaveOutcome, what: str) -> None:
            if not outcome.ok:
                refused.append(f"{what}: {outcome.error}")

        current = editor.current
        assert current is not None, "open_editor() first"
        if current.text.display_name.strip() != wanted.display_name.strip():
            saved(editor.set_display_name(wanted.display_name), "display name")
        if editor.current.text.note.replace("\r\n", "\n").strip() != wanted.note.strip():
            saved(editor.set_bio(wanted.note), "bio")
        for index, (label, value) in enumerate(wanted.fields):
            rows = editor.current.rows
            if index < len(rows):
                if rows[index] != (label, value):
                    saved(editor.set_field(index, label, value), f"field {index + 1}")
            else:
                saved(editor.add_field(label, value), f"field {index + 1}")
        while len(editor.current.rows) > len(wanted.fields):
            before = len(editor.current.rows)
            saved(editor.delete_field(before - 1), f"removing field {before}")
            if len(editor.current.rows) >= before:
                break  # refused: said above
        for name, path in pending.items():
            saved(editor.upload_image(name, path, descriptions.get(name, "")), name)
        for name, text in alt_changes.items():
            if editor.current.images.get(name):
                saved(editor.set_description(name, text), f"{name} alt text")
        screenshot(ctx, editor, "new-profile-saved")
        return refused

    # --- images -------------------------------------------------------------------------------------
    def _download_images(self, ctx: StepContext, source: Profile) -> dict[str, tuple[Path, str]]:
        """The old account's avatar and header as files (name -> (path, sha256)), fetched from the
        media host the URLs name; defaults skipped."""
        page = view(ctx, Role.OLD, ProfilePage)
        files = {}
        for name in IMAGES:
            url = source.images.get(name)
            if _is_default_image(url):
                continue
            response = page.fetch(url)
            if not response.ok:
                raise PageChanged(f"The old account's {name} ({url}) answered HTTP {response.status}")
            kind = (response.headers.get("content-type") or "").split(";")[0].strip()
            suffix = Path(urlsplit(url).path).suffix.lower()
            if suffix not in IMAGE_SUFFIXES:
                suffix = mimetypes.guess_extension(kind) or ".png"
            path = ctx.evidence.path("profile", f"{name}{suffix}")
            body = response.body()
            path.write_bytes(body)
            files[name] = (path, hashlib.sha256(body).hexdigest())
        return files

    def verify(self, ctx: StepContext) -> bool:
        """A resumed run trusts the finished step's record (the server's answers were read when it
        ran; the move does not depend on the profile): no page loaded. A copy the new server
        refused in part runs again."""
        done = ctx.result_of(ProfileResult)
        return done is not None and not done.errors
