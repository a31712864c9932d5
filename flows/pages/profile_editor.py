"""The web app's profile editor, /profile/edit (Mastodon 4.6+; app/javascript/mastodon/features/
account_edit, saved through GET/PATCH /api/v1/profile, app/controllers/api/v1/profiles_controller.rb).

What a person sees: the editor column (its `div.scrollable`) opens with a `header` holding the
cover image and the avatar (`.account__avatar`), each with a camera `button.icon-button`; then one
`section` per part of the profile, in this order: display name, bio, custom fields, featured
hashtags, profile display, advanced. Each section's `header` holds its edit button (an icon
button, or a text button while the part is empty). The custom fields are an `ol` of `li`, each
with a pencil (edit) and a bin (delete) icon button; "Add field" is the last button in that
section's header, shown while there is room for another field.

Every change is made in a modal (components/modal_shell, features/ui/components/dialog_modal):
- display name, bio, a field, an image's alt text: a `form.modal-root__modal` (ConfirmationModal)
  with the text input(s) and a submit button; a field's inputs are named `label` and `value`;
- deleting a field: a `div.dialog-modal` with one `button--dangerous` button;
- an image: a `div.dialog-modal` in three steps: a hidden `input[type=file]`; the crop (a zoom
  `input[type=range]`, Back as `button-secondary`, Next as the other `button`; skipped for a GIF);
  the alt text (a `textarea`, Back, Done). The app crops and re-encodes the image before upload.
- an image that is already there opens a menu first (`.dropdown-menu__item` buttons: replace,
  alt text, a separator, remove as `--dangerous`).
Every save is one PATCH /api/v1/profile whose answer is the whole profile: that answer, not a
translated toast, says whether it was saved.

Locators hold no translated text: texts, labels and titles change with the language.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from mastomove.agent.errors import PageChanged, SessionExpired
from mastomove.flows.pages.base import MastodonPage, network_errors, raise_for_status, same_origin
from mastomove.flows.pages.profile import ProfileLimits, ProfileText

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Response

PROFILE_API = "/api/v1/profile"
INSTANCE_API = "/api/v2/instance"
IMAGES = ("avatar", "header")

# Account::DISPLAY_NAME_LENGTH_LIMIT (40 from 4.6), NOTE_LENGTH_LIMIT, DEFAULT_FIELDS_SIZE,
# Account::Field::MAX_CHARACTERS_LOCAL, Account::Avatar::MAX_DESCRIPTION_LENGTH: what 4.6 has when
# its instance description does not say.
EDITOR_DEFAULT_LIMITS = ProfileLimits(display_name=40, note=500, fields=4, field_name=255, field_value=255,
                                      image_description=150)


@dataclass
class EditorProfile:
    """The profile as the editor loaded it (the source texts, not the rendered HTML)."""

    text: ProfileText
    images: dict[str, str | None] = field(default_factory=dict)  # absolute URL on the media host, or None
    descriptions: dict[str, str] = field(default_factory=dict)  # alt texts
    rows: list[tuple[str, str]] = field(default_factory=list)  # every field, as the editor lists them

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> "EditorProfile":
        rows = [(str(f.get("name") or "").strip(), str(f.get("value") or "").strip())
                for f in data.get("fields") or [] if isinstance(f, dict)]
        return cls(
            text=ProfileText(display_name=data.get("display_name") or "", note=data.get("note") or "",
                             fields=[(label, value) for label, value in rows if label]),
            images={name: data.get(name) or None for name in IMAGES},
            descriptions={name: data.get(f"{name}_description") or "" for name in IMAGES},
            rows=rows,
        )


@dataclass(frozen=True)
class SaveOutcome:
    ok: bool
    error: str | None = None  # the server's message when it refused


class ProfileEditor(MastodonPage):
    PATH = "/profile/edit"

    EDITOR = "div.scrollable:has(> header .account__avatar)"
    SECTIONS = EDITOR + " > section"
    IMAGE_BUTTON = {
        "avatar": EDITOR + " > header div:has(> .account__avatar) > button.icon-button",
        "header": EDITOR + " > header > div:not(:has(> .account__avatar)) > button.icon-button",
    }
    SECTION_BUTTON = "header button"
    FIELD_ROWS = "ol > li"
    # Mastodon draws the pencil (`icon-pencil`); any icon button of the row but the bin is its edit
    # button, whatever icon a theme or fork gives it.
    FIELD_EDIT = "button.icon-button:not(:has(svg.icon-delete))"
    FIELD_DELETE = "button.icon-button:has(svg.icon-delete)"
    # The image menu: replace, alt text, (separator), remove (`--dangerous`); in that order.
    MENU_ITEMS = ".dropdown-menu .dropdown-menu__item:not(.dropdown-menu__item--dangerous) button"

    MODAL = ".modal-root .modal-root__modal"
    FORM_MODAL = ".modal-root form.modal-root__modal"
    DIALOG_MODAL = ".modal-root .dialog-modal"
    MODAL_SUBMIT = FORM_MODAL + " button[type='submit']"
    TEXT_INPUT = "input:not([type]), input[type='text']"
    FIELD_LABEL = "input[name='label']"
    FIELD_VALUE = "input[name='value']"
    DANGEROUS = "button.button--dangerous"
    FILE_INPUT = "input[type='file']"
    CROP_ZOOM = "input[type='range']"
    PRIMARY_BUTTON = ".dialog-modal__content button.button:not(.button-secondary)"

    SECTION_NAME, SECTION_BIO, SECTION_FIELDS = 0, 1, 2
    WAIT_MS = 20_000
    SAVE_MS = 60_000

    current: EditorProfile | None = None

    # --- loading ---------------------------------------------------------------------------
    def _is_profile_answer(self, method: str) -> Callable[["Response"], bool]:
        def matches(response: "Response") -> bool:
            return (response.request.method == method and same_origin(response.url, self.account.origin)
                    and urlsplit(response.url).path.rstrip("/") == PROFILE_API)

        return matches

    def _json(self, response: "Response") -> Any:
        raise_for_status(response.status, response.headers, response.url)
        if response.status == 401:
            raise SessionExpired(str(self.account.role))
        try:
            return response.json()
        except Exception:  # noqa: BLE001 - not JSON: said below
            return None

    def open_editor(self) -> EditorProfile:
        """Open the editor and read the profile it loads (the same answer the person's browser gets)."""
        try:
            with self.page.expect_response(self._is_profile_answer("GET"), timeout=self.WAIT_MS) as answer:
                self.open()
        except PlaywrightTimeoutError as error:
            raise PageChanged(f"{self.url_for(self.PATH)} did not load the profile through the web app "
                              f"({PROFILE_API}): the profile editor of Mastodon 4.6+ is not there") from error
        data = self._json(answer.value)
        if not answer.value.ok or not isinstance(data, dict) or "display_name" not in data:
            raise PageChanged(f"The profile editor's {PROFILE_API} answered HTTP {answer.value.status} without a profile")
        try:
            self.page.locator(self.SECTIONS).nth(self.SECTION_FIELDS).wait_for(state="visible", timeout=self.WAIT_MS)
        except PlaywrightTimeoutError as error:
            raise PageChanged("The profile editor loaded the profile but did not show its sections "
                              "(display name, bio, fields)") from error
        self.current = EditorProfile.from_api(data)
        return self.current

    def limits(self) -> ProfileLimits:
        """The limits the web app applies, from the server's description (/api/v2/instance,
        configuration.accounts, 4.6+), else 4.6's defaults."""
        url = self.url_for(INSTANCE_API)
        with network_errors(url):
            response = self.page.context.request.get(url, headers={"Accept": "application/json"}, timeout=30_000)
        raise_for_status(response.status, response.headers, url)
        try:
            accounts = ((response.json() or {}).get("configuration") or {}).get("accounts") or {}
        except Exception:  # noqa: BLE001 - no description: the defaults
            accounts = {}

        def number(key: str, default: int | None) -> int | None:
            value = accounts.get(key)
            return value if isinstance(value, int) and value > 0 else default

        base = EDITOR_DEFAULT_LIMITS
        return ProfileLimits(
            display_name=number("max_display_name_length", base.display_name),
            note=number("max_note_length", base.note),
            fields=number("max_profile_fields", base.fields),
            field_name=number("profile_field_name_limit", base.field_name),
            field_value=number("profile_field_value_limit", base.field_value),
            image_description=min(number("max_avatar_description_length", base.image_description) or 0,
                                  number("max_header_description_length", base.image_description) or 0) or None,
        )

    # --- modals ----------------------------------------------------------------------------
    def section(self, index: int) -> "Locator":
        return self.page.locator(self.SECTIONS).nth(index)

    def field_rows(self) -> "Locator":
        return self.section(self.SECTION_FIELDS).locator(self.FIELD_ROWS)

    def _open_modal(self, trigger: "Locator", what: str, expect: str) -> "Locator":
        """Click `trigger` and return the modal it opened, which must hold `expect`."""
        trigger.click()
        modal = self.page.locator(self.MODAL).last
        try:
            modal.wait_for(state="visible", timeout=self.WAIT_MS)
        except PlaywrightTimeoutError as error:
            raise PageChanged(f"The profile editor did not open the {what} dialog") from error
        if modal.locator(expect).count() == 0:
            self.close_modal()
            raise PageChanged(f"The profile editor opened another dialog than the {what} one (expected {expect})")
        return modal

    def close_modal(self) -> None:
        if self.page.locator(self.MODAL).count():
            self.page.keyboard.press("Escape")
            try:
                self.page.locator(self.MODAL).first.wait_for(state="detached", timeout=5_000)
            except PlaywrightTimeoutError:
                pass

    def _save(self, press: Callable[[], None], what: str) -> SaveOutcome:
        """Press the dialog's save button and read the PATCH the app sends."""
        try:
            with self.page.expect_response(self._is_profile_answer("PATCH"), timeout=self.SAVE_MS) as answer:
                press()
        except PlaywrightTimeoutError as error:
            self.close_modal()
            raise PageChanged(f"Saving the {what} in the profile editor sent nothing to {PROFILE_API}") from error
        response = answer.value
        data = self._json(response)
        if not response.ok:
            self.close_modal()
            return SaveOutcome(False, _error_text(data) or f"HTTP {response.status}")
        if isinstance(data, dict) and "display_name" in data:
            self.current = EditorProfile.from_api(data)
        try:
            self.page.locator(self.MODAL).first.wait_for(state="detached", timeout=self.WAIT_MS)
        except PlaywrightTimeoutError:
            self.close_modal()
        return SaveOutcome(True)

    def _submit_form_modal(self, what: str) -> SaveOutcome:
        button = self.page.locator(self.MODAL_SUBMIT).last
        if button.is_disabled():
            self.close_modal()
            return SaveOutcome(False, f"the editor would not save the {what} (over the server's limit)")
        return self._save(button.click, what)

    # --- the texts -------------------------------------------------------------------------
    def set_display_name(self, name: str) -> SaveOutcome:
        modal = self._open_modal(self.section(self.SECTION_NAME).locator(self.SECTION_BUTTON).last,
                                 "display name", self.TEXT_INPUT)
        if modal.locator("textarea").count() or modal.locator(self.FIELD_LABEL).count():
            self.close_modal()
            raise PageChanged("The profile editor's first section did not open the display name dialog")
        modal.locator(self.TEXT_INPUT).first.fill(name)
        return self._submit_form_modal("display name")

    def set_bio(self, bio: str) -> SaveOutcome:
        modal = self._open_modal(self.section(self.SECTION_BIO).locator(self.SECTION_BUTTON).last, "bio", "textarea")
        modal.locator("textarea").first.fill(bio)
        return self._submit_form_modal("bio")

    def _fill_field(self, modal: "Locator", label: str, value: str, what: str) -> SaveOutcome:
        modal.locator(self.FIELD_LABEL).first.fill(label)
        modal.locator(self.FIELD_VALUE).first.fill(value)
        return self._submit_form_modal(what)

    def set_field(self, index: int, label: str, value: str) -> SaveOutcome:
        row = self.field_rows().nth(index)
        modal = self._open_modal(row.locator(self.FIELD_EDIT).first, f"field {index + 1}", self.FIELD_LABEL)
        return self._fill_field(modal, label, value, f"field {index + 1}")

    def add_field(self, label: str, value: str) -> SaveOutcome:
        buttons = self.section(self.SECTION_FIELDS).locator(self.SECTION_BUTTON)
        if buttons.count() == 0:
            raise PageChanged("The profile editor offers no button to add a field")
        modal = self._open_modal(buttons.last, "new field", self.FIELD_LABEL)
        if modal.locator(self.FIELD_LABEL).first.input_value():
            self.close_modal()
            raise PageChanged("The profile editor's add-field button opened an existing field")
        return self._fill_field(modal, label, value, "new field")

    def delete_field(self, index: int) -> SaveOutcome:
        row = self.field_rows().nth(index)
        modal = self._open_modal(row.locator(self.FIELD_DELETE).first, f"delete field {index + 1}", self.DANGEROUS)
        return self._save(modal.locator(self.DANGEROUS).first.click, f"removal of field {index + 1}")

    # --- images ----------------------------------------------------------------------------
    def _image_menu_or_dialog(self, location: str) -> None:
        """Click the camera button of `location`: it opens the upload dialog (no image yet) or
        the image's menu."""
        button = self.page.locator(self.IMAGE_BUTTON[location])
        if button.count() == 0:
            raise PageChanged(f"The profile editor shows no image button for the {location}")
        button.first.click()

    def upload_image(self, location: str, file: Path, description: str) -> SaveOutcome:
        """Replace the avatar or the cover image as a person does: choose the file, accept the
        crop, write the alt text, Done."""
        what = f"{location} image"
        self._image_menu_or_dialog(location)
        replace = self.page.locator(self.MENU_ITEMS).nth(0)
        dialog = self.page.locator(self.DIALOG_MODAL).last
        try:
            self.page.locator(f"{self.DIALOG_MODAL}, {self.MENU_ITEMS}").first.wait_for(
                state="attached", timeout=self.WAIT_MS)
        except PlaywrightTimeoutError as error:
            raise PageChanged(f"The profile editor's {location} button opened neither a menu nor the upload dialog") from error
        if replace.count() and not self.page.locator(self.DIALOG_MODAL).count():
            replace.click()
        try:
            dialog.locator(self.FILE_INPUT).first.wait_for(state="attached", timeout=self.WAIT_MS)
        except PlaywrightTimeoutError as error:
            self.close_modal()
            raise PageChanged(f"The profile editor's {location} upload dialog has no file input") from error
        dialog.locator(self.FILE_INPUT).first.set_input_files(file)
        # Cropping (not for GIFs), then the alt text.
        try:
            dialog.locator(f"{self.CROP_ZOOM}, textarea").first.wait_for(state="visible", timeout=self.WAIT_MS)
        except PlaywrightTimeoutError as error:
            self.close_modal()
            raise PageChanged(f"The profile editor did not take {file.name} for the {location} "
                              "(no crop or alt text step followed)") from error
        if dialog.locator(self.CROP_ZOOM).count():
            next_button = dialog.locator(self.PRIMARY_BUTTON).last
            try:
                _wait_enabled(next_button, self.WAIT_MS)
            except PlaywrightTimeoutError as error:
                self.close_modal()
                raise PageChanged(f"The crop step of the {location} upload never allowed going on") from error
            next_button.click()
            try:
                dialog.locator("textarea").first.wait_for(state="visible", timeout=self.WAIT_MS)
            except PlaywrightTimeoutError as error:
                self.close_modal()
                raise PageChanged(f"The {location} upload did not reach its alt text step") from error
        if description:
            dialog.locator("textarea").first.fill(description)
        return self._save(dialog.locator(self.PRIMARY_BUTTON).last.click, what)

    def set_description(self, location: str, description: str) -> SaveOutcome:
        """Change only the alt text of an image that is there: its menu, then the alt text dialog."""
        self._image_menu_or_dialog(location)
        item = self.page.locator(self.MENU_ITEMS).nth(1)
        try:
            item.wait_for(state="visible", timeout=self.WAIT_MS)
        except PlaywrightTimeoutError as error:
            self.close_modal()
            raise PageChanged(f"The profile editor's {location} menu has no alt text entry") from error
        modal = self._open_modal(item, f"{location} alt text", "textarea")
        modal.locator("textarea").first.fill(description)
        return self._submit_form_modal(f"{location} alt text")


def _wait_enabled(button: "Locator", timeout_ms: float) -> None:
    button.wait_for(state="visible", timeout=timeout_ms)
    button.page.wait_for_function("b => !b.disabled", arg=button.element_handle(), timeout=timeout_ms)


def _error_text(data: Any) -> str | None:
    """The message of a refused PATCH ({"error": ..., "details": {attr: [{error, description}]}})."""
    if not isinstance(data, dict):
        return None
    parts = [str(data.get("error") or "")]
    details = data.get("details")
    if isinstance(details, dict):
        for attribute, problems in details.items():
            for problem in problems if isinstance(problems, list) else [problems]:
                said = problem.get("description") if isinstance(problem, dict) else problem
                parts.append(f"{attribute}: {said}")
    text = "; ".join(p for p in parts if p)
    return text or json.dumps(data)[:200]
