"""Posting through the web app's compose form, opened prefilled at /share?text=...
(app/controllers/shares_controller.rb; features/compose/components/compose_form.jsx).

The form is `form.compose-form` with `textarea.autosuggest-textarea__textarea` and one submit
button in every version (labelled "Toot!", "Publish!" or "Post"). The web app posts to
/api/v1/statuses; that response, not a translated toast, says whether the post was made."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urlencode, urlsplit

from playwright.sync_api import expect

from mastomove.agent.errors import FormRejected, SessionExpired, Stopped
from mastomove.flows.pages.base import MastodonPage, network_errors, raise_for_status

if TYPE_CHECKING:
    from playwright.sync_api import Locator

STATUSES_API = "/api/v1/statuses"


class ComposePage(MastodonPage):
    PATH = "/share"

    FORM = "form.compose-form"
    TEXT = "form.compose-form textarea.autosuggest-textarea__textarea"
    refused = False  # the last publish was answered with a refusal: nothing was posted
    SUBMIT = "form.compose-form button[type='submit']"

    def open_with_text(self, text: str) -> None:
        self.open(f"{self.PATH}?{urlencode({'text': text})}")
        self.text_box().wait_for(state="visible")

    def text_box(self) -> "Locator":
        return self.page.locator(self.TEXT).first

    def submit_button(self) -> "Locator":
        return self.page.locator(self.SUBMIT).first

    def publish(self, text: str, *, timeout: float = 60_000,
                before_click: Callable[[], None] = lambda: None) -> dict[str, Any]:
        """Post `text` and return the status the server created (its JSON). `before_click` runs
        right before the button is pressed: from then on the post may exist, whatever happens.
        A refusal the server answered (401, 429, another 4xx) sets `refused` (nothing was created)
        before it is raised."""
        box = self.text_box()
        if box.input_value().strip() != text.strip():
            box.fill(text)
        button = self.submit_button()
        expect(button).to_be_enabled()
        url = self.url_for(STATUSES_API)
        before_click()
        with network_errors(url):
            with self.page.expect_response(
                lambda r: r.request.method == "POST" and urlsplit(r.url).path == STATUSES_API, timeout=timeout
            ) as info:
                button.click()
        response = info.value
        if response.status == 429 or 400 <= response.status < 500:
            # The server said no before creating anything (a 5xx or no answer leaves it open).
            self.refused = True
        raise_for_status(response.status, response.headers, url)
        if response.status == 401:
            raise SessionExpired(str(self.account.role))
        if not response.ok:
            try:
                reason = response.json().get("error", "")
            except Exception:  # noqa: BLE001 - the body is only for the message
                reason = ""
            if response.status == 422 and not reason:
                # The API states why it refuses a status; a bare 422 is a rejected security token.
                raise FormRejected("The server rejected the post's security token (HTTP 422)",
                                   hint="the compose page is reloaded and the post sent again")
            raise Stopped(f"The new server refused the announcement (HTTP {response.status}) {reason}".strip(),
                          hint="shorten the announcement or turn it off", settings=("announcement", "post_announcement"))
        return response.json()
