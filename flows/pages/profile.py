"""Edit profile, /settings/profile (app/views/settings/profiles/show.html.haml), and
Privacy and reach, /settings/privacy (4.2+, app/views/settings/privacy/show.html.haml).

Up to 4.5 /settings/profile is the profile form (`account[display_name|note|avatar|header]`,
`account[fields_attributes][i][name|value]`, each text field with its server's `maxlength`). From
4.6 it holds only a callout (settings/shared/_profile_new_notice) whose link leads to the web app's
profile editor, /profile/edit (flows/pages/profile_editor.py). Which of the two the page shows is
how the agent tells the versions apart.

Up to 4.1 "Require follow requests" is `account[locked]` on the profile page; from 4.2 it is the
inverse, `account[unlocked]` ("Automatically accept new followers"), on the privacy page."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from mastomove.agent.errors import PageChanged
from mastomove.flows.pages.base import ACCOUNT_SETTINGS_PATH, MastodonPage

if TYPE_CHECKING:
    from playwright.sync_api import Locator


@dataclass
class ProfileText:
    display_name: str = ""
    note: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)  # (label, content), blank rows dropped

    def as_dict(self) -> dict:
        return {"display_name": self.display_name, "note": self.note, "fields": [list(f) for f in self.fields]}


@dataclass(frozen=True)
class ProfileLimits:
    """What the server accepts; None where the page does not say."""

    display_name: int | None = None
    note: int | None = None
    fields: int | None = None
    field_name: int | None = None
    field_value: int | None = None
    image_description: int | None = None  # alt text of avatar and header (4.6+)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class ProfileKind(StrEnum):
    FORM = "form"  # up to 4.5: the form on /settings/profile
    EDITOR = "editor"  # 4.6+: a callout on /settings/profile, the editor at /profile/edit
    ACCOUNT_SETTINGS = "account_settings"  # sent to /auth/edit: the account cannot use its settings
    UNKNOWN = "unknown"


class ProfilePage(MastodonPage):
    PATH = "/settings/profile"
    EDITOR_PATH = "/profile/edit"

    DISPLAY_NAME = "[name='account[display_name]']"
    NOTE = "[name='account[note]']"
    FIELD_LABELS = "input[name^='account[fields_attributes]'][name$='[name]']"
    FIELD_LABEL = "[name='account[fields_attributes][{index}][name]']"
    FIELD_CONTENT = "[name='account[fields_attributes][{index}][value]']"
    AVATAR = "input[type='file'][name='account[avatar]']"
    HEADER = "input[type='file'][name='account[header]']"
    LOCKED = "input[type='checkbox'][name='account[locked]']"  # up to 4.1
    SUBMIT = "form:has([name='account[display_name]']) button[type='submit']"

    def is_form(self) -> bool:
        return self.has(self.DISPLAY_NAME)

    def links_to_editor(self) -> bool:
        """The 4.6+ callout: a link to the web app's profile editor (its text is translated)."""
        return self.link_to(self.EDITOR_PATH).count() > 0

    def kind(self) -> ProfileKind:
        """What the loaded page is, from its URL and structure alone."""
        if self.on(self.PATH):
            if self.is_form():
                return ProfileKind.FORM
            if self.links_to_editor():
                return ProfileKind.EDITOR
            return ProfileKind.UNKNOWN
        if self.on(ACCOUNT_SETTINGS_PATH):
            return ProfileKind.ACCOUNT_SETTINGS
        return ProfileKind.UNKNOWN

    def limits(self) -> ProfileLimits:
        """The form's own limits: each field's `maxlength` and the number of field rows."""
        def maxlength(selector: str) -> int | None:
            found = self.page.locator(selector)
            value = found.first.get_attribute("maxlength") if found.count() else None
            return int(value) if value and value.strip().isdigit() else None

        return ProfileLimits(
            display_name=maxlength(self.DISPLAY_NAME), note=maxlength(self.NOTE), fields=self.field_rows(),
            field_name=maxlength(self.FIELD_LABEL.format(index=0)),
            field_value=maxlength(self.FIELD_CONTENT.format(index=0)))

    def field_rows(self) -> int:
        return self.page.locator(self.FIELD_LABELS).count()

    def read(self) -> ProfileText:
        text = ProfileText(
            display_name=self.page.locator(self.DISPLAY_NAME).first.input_value(),
            note=self.page.locator(self.NOTE).first.input_value(),
        )
        for index in range(self.field_rows()):
            label = self.page.locator(self.FIELD_LABEL.format(index=index)).first.input_value().strip()
            content = self.page.locator(self.FIELD_CONTENT.format(index=index)).first.input_value().strip()
            if label:
                text.fields.append((label, content))
        return text

    def fill(self, wanted: ProfileText, *, avatar: Path | None = None, header: Path | None = None) -> None:
        """Put `wanted` into the form (fields beyond the form's rows are left out; the rest of the
        rows are blanked) and attach images."""
        self.page.locator(self.DISPLAY_NAME).first.fill(wanted.display_name)
        self.page.locator(self.NOTE).first.fill(wanted.note)
        rows = self.field_rows()
        for index in range(rows):
            label, content = wanted.fields[index] if index < len(wanted.fields) else ("", "")
            self.page.locator(self.FIELD_LABEL.format(index=index)).first.fill(label)
            self.page.locator(self.FIELD_CONTENT.format(index=index)).first.fill(content)
        if avatar:
            self.page.locator(self.AVATAR).first.set_input_files(avatar)
        if header:
            self.page.locator(self.HEADER).first.set_input_files(header)

    def save(self) -> list[str]:
        """Submit; the server's field errors (empty when it saved)."""
        self.submit(self.page.locator(self.SUBMIT).first)
        return self.field_errors()

    # --- up to 4.1 -------------------------------------------------------------------------
    def locked_checkbox(self) -> "Locator | None":
        box = self.page.locator(self.LOCKED)
        return box.first if box.count() else None


class PrivacyPage(MastodonPage):
    PATH = "/settings/privacy"

    UNLOCKED = "input[type='checkbox'][name='account[unlocked]']"
    SUBMIT = "form:has(input[name='account[unlocked]']) button[type='submit']"

    def unlocked_checkbox(self) -> "Locator | None":
        box = self.page.locator(self.UNLOCKED)
        return box.first if box.count() else None

    def save(self) -> list[str]:
        self.submit(self.page.locator(self.SUBMIT).first)
        return self.field_errors()


@dataclass
class FollowApprovalSetting:
    page: MastodonPage
    checkbox: "Locator"
    checked_means_locked: bool  # "Require follow requests" (profile) or "unlocked" (4.x privacy page)

    def requires_approval(self) -> bool:
        return self.checkbox.is_checked() == self.checked_means_locked


def open_follow_approval_setting(profile: ProfilePage, privacy: PrivacyPage) -> FollowApprovalSetting:
    """The page and checkbox that decide whether follows need approval, found on the page itself."""
    profile.open()
    locked = profile.locked_checkbox()
    if locked is not None:
        return FollowApprovalSetting(profile, locked, True)
    response = privacy.open()
    unlocked = privacy.unlocked_checkbox() if response is None or response.status != 404 else None
    if unlocked is None:
        raise PageChanged(
            "Neither the profile page nor /settings/privacy has the follow-approval setting",
            hint="unlock the new account by hand (\"Require follow requests\" off), then rerun",
        )
    return FollowApprovalSetting(privacy, unlocked, False)
