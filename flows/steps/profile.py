"""Copy the public profile (display name, bio, metadata fields, avatar, header) from the old
account's edit-profile page to the new one's. Images are downloaded and uploaded as files."""
from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mastomove.agent.steps import Role, StepContext
from mastomove.flows.pages.profile import ProfilePage, ProfileText
from mastomove.flows.pages.public import PublicSide
from mastomove.flows.steps.common import attempt, screenshot, view

IMAGES = ("avatar", "header")


def _same_text(a: ProfileText, b: ProfileText) -> bool:
    def plain(text: ProfileText) -> tuple:
        return (text.display_name.strip(), text.note.replace("\r\n", "\n").strip(),
                tuple((label.strip(), content.strip()) for label, content in text.fields))

    return plain(a) == plain(b)


def _is_default_image(url: str | None) -> bool:
    # Mastodon's placeholder for "no avatar/header" is /avatars|headers/original/missing.png.
    return not url or urlsplit(url).path.endswith("/missing.png")


class ProfileStep:
    name = "profile"
    title = "Copy the profile to the new account"
    irreversible = False

    def run(self, ctx: StepContext) -> dict[str, Any]:
        if not ctx.settings.copy_profile:
            return {"skipped": True, "report": ["Profile: not copied (turned off)"]}
        return attempt(ctx, lambda: self._copy(ctx))

    def _copy(self, ctx: StepContext) -> dict[str, Any]:
        log = ctx.evidence.log
        old_profile = view(ctx, Role.OLD, ProfilePage)
        old_profile.open()
        if not old_profile.is_form():  # a moved account is sent to /auth/edit instead
            return {"skipped": True,
                    "report": ["Profile: the old account's profile page is closed (it has moved); not copied"]}
        wanted = old_profile.read()
        screenshot(ctx, old_profile, "old-profile")
        images = self._download_images(ctx)

        new_profile = view(ctx, Role.NEW, ProfilePage)
        new_profile.open()
        current = new_profile.read()
        dropped = []
        if len(wanted.fields) > new_profile.field_rows():
            extra = len(wanted.fields) - new_profile.field_rows()
            dropped.append(f"{extra} metadata field(s) beyond the new server's limit")
            wanted = ProfileText(wanted.display_name, wanted.note, wanted.fields[:new_profile.field_rows()])
        new = ctx.accounts[Role.NEW]
        new_entity = PublicSide(ctx.page(Role.NEW)).lookup(new, new.handle.username) or {}
        done_images = ctx.notes.get("images", {})
        pending = {
            name: path for name, (path, digest) in images.items()
            if done_images.get(name) != digest
            # submitted before an interruption, and the new account has an image now: it arrived
            and not (ctx.notes.get("submitting", {}).get(name) == digest and not _is_default_image(new_entity.get(name)))
        }
        copied = {name: str(path) for name, (path, _) in images.items()}
        if _same_text(current, wanted) and not pending:
            log.info("profile.already_copied")
            ctx.notes["texts"] = wanted.as_dict()
            ctx.save_notes()
            return {"copied": wanted.as_dict(), "images": copied, "changed": False,
                    "report": ["Profile: the new account already has the old profile"]
                    + [f"Profile: {item} not copied" for item in dropped]}

        ctx.notes["submitting"] = {name: digest for name, (_, digest) in images.items() if name in pending}
        ctx.notes["texts"] = wanted.as_dict()
        ctx.save_notes()
        new_profile.fill(wanted, avatar=pending.get("avatar"), header=pending.get("header"))
        errors = new_profile.save()
        screenshot(ctx, new_profile, "new-profile-saved")
        report = []
        if errors:
            log.warning("profile.refused", errors=errors)
            report.append("Profile: the new server refused part of the profile: " + "; ".join(errors))
        else:
            ctx.notes["images"] = {**done_images, **ctx.notes.pop("submitting")}
            ctx.save_notes()
            report.append("Profile: copied " + ", ".join(["display name, bio and fields", *pending]))
        report.extend(f"Profile: {item} not copied" for item in dropped)
        log.info("profile.saved", images=sorted(pending), errors=errors)
        return {"copied": wanted.as_dict(), "images": copied, "changed": True, "errors": errors, "report": report}

    def _download_images(self, ctx: StepContext) -> dict[str, tuple[Path, str]]:
        """The old account's avatar and header as files (name -> (path, sha256)); defaults skipped."""
        old = ctx.accounts[Role.OLD]
        entity = PublicSide(ctx.page(Role.OLD)).lookup(old, old.handle.username) or {}
        page = view(ctx, Role.OLD, ProfilePage)
        files = {}
        for name in IMAGES:
            url = entity.get(name)
            if _is_default_image(url):
                continue
            response = page.fetch(url)
            suffix = Path(urlsplit(url).path).suffix or mimetypes.guess_extension(
                (response.headers.get("content-type") or "").split(";")[0]) or ".png"
            path = ctx.evidence.path("profile", f"{name}{suffix}")
            body = response.body()
            path.write_bytes(body)
            files[name] = (path, hashlib.sha256(body).hexdigest())
        return files

    def verify(self, ctx: StepContext) -> bool:
        texts = ctx.notes.get("texts")
        if not ctx.settings.copy_profile or not texts:
            return True

        def check() -> bool:
            page = view(ctx, Role.NEW, ProfilePage)
            page.open()
            wanted = ProfileText(texts["display_name"], texts["note"], [tuple(f) for f in texts["fields"]])
            return page.is_form() and _same_text(page.read(), wanted)

        return attempt(ctx, check)
