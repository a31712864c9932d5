"""The compose box (/share?text=…): prefilled, its Post button enabled with text and disabled
without. Nothing is posted: the check blocks the web app's POST /api/v1/statuses and would fail
if one were attempted."""
from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect

from mastomove.flows.pages import ComposePage
from mastomove.flows.pages.compose import STATUSES_API

TEXT = "mastomove check-ui: compose box check (never posted)"


def test_compose_box_without_posting(account_page, account, ui):
    """Open the compose box prefilled from /share: the text is in the box, the Post button is
    enabled, and disabled again once the box is emptied. Nothing is posted."""
    attempts: list[str] = []

    def refuse(route):
        attempts.append(route.request.method)
        route.abort()

    account_page.route(lambda url: urlsplit(url).path == STATUSES_API, refuse)
    compose = ComposePage(account_page, account)
    with ui.step(compose, element=f"the compose text box ({compose.TEXT})", expected="the compose form, prefilled"):
        compose.open_with_text(TEXT)
    box = compose.text_box()
    ui.expect(box.input_value().strip() == TEXT, compose, element=f"the compose text box ({compose.TEXT})",
              expected=f"prefilled with “{TEXT}”", found=f"“{box.input_value()}”")
    button = compose.submit_button()
    ui.expect(button.count(), compose, element=f"the Post button ({compose.SUBMIT})",
              expected="the compose form's submit button", found="no submit button in form.compose-form")
    with ui.step(compose, element=f"the Post button ({compose.SUBMIT})", expected="enabled while there is text"):
        expect(button).to_be_enabled()
    box.fill("")
    with ui.step(compose, element=f"the Post button ({compose.SUBMIT})", expected="disabled while the box is empty"):
        expect(button).to_be_disabled()
    box.fill(TEXT)
    with ui.step(compose, element=f"the Post button ({compose.SUBMIT})", expected="enabled again with text"):
        expect(button).to_be_enabled()
    ui.expect(not attempts, compose, element="the compose form", expected="nothing posted",
              found=f"the page tried to post ({attempts})")
