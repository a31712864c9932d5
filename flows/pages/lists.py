"""The web app's Lists column and list editor as Mastodon 4.0 and 4.1 have them (and Hometown's
4.0 line), for servers that cannot import lists (app/javascript/mastodon/features/lists,
list_timeline, list_editor; actions/lists.js; v4.1.6, 51768de16e).

What a person does there:
- /lists: the column loads the lists (GET /api/v1/lists) and shows each as a link
  `a.column-link` to /lists/<id>; above them `form.column-inline-form` with a title input
  (`input.setting-text`) and a button that creates the list (POST /api/v1/lists);
- /lists/<id>: the list's column; its header's settings toggle (`button.column-header__button`)
  reveals "Edit list" (`button.column-header__setting-btn` with the pencil icon `i.fa-pencil`),
  which opens the list editor (`.modal-root__modal.list-editor`): it loads the members
  (GET /api/v1/lists/<id>/accounts) into `.list-editor__accounts`;
- in the editor, the search field (`.list-editor__search input.search__input`, Enter) searches
  among the people the account follows (GET /api/v1/accounts/search?following=true); each result
  is an `.account` row showing `@acct` (`.display-name__account`) with a plus icon button that
  adds it (POST /api/v1/lists/<id>/accounts). Only followed accounts can be added.
The app's own answers (ids, accts) say what the server did; no translated text is read.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from mastomove.agent.errors import PageChanged, SessionExpired
from mastomove.flows.pages.base import MastodonPage, raise_for_status, same_origin

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Response

LISTS_API = "/api/v1/lists"
SEARCH_API = "/api/v1/accounts/search"


class ListsColumn(MastodonPage):
    PATH = "/lists"

    NEW_TITLE = "form.column-inline-form input.setting-text"
    NEW_SUBMIT = "form.column-inline-form button"
    SETTINGS_TOGGLE = "button.column-header__button"
    EDIT_LIST = "button.column-header__setting-btn:has(i.fa-pencil)"
    EDITOR = ".modal-root__modal.list-editor"
    SEARCH = ".list-editor__search input.search__input"
    RESULT_ROWS = ".drawer__inner.backdrop .account"
    MEMBER_ROWS = ".list-editor__accounts .account"
    ACCT = ".display-name__account"
    ROW_BUTTON = ".account__relationship button.icon-button"

    WAIT_MS = 20_000

    def _api(self, method: str, path: Callable[[str], bool]) -> Callable[["Response"], bool]:
        def matches(response: "Response") -> bool:
            return (response.request.method == method and same_origin(response.url, self.account.origin)
                    and path(urlsplit(response.url).path.rstrip("/")))

        return matches

    def _json(self, response: "Response", what: str) -> Any:
        raise_for_status(response.status, response.headers, response.url)
        if response.status == 401:
            raise SessionExpired(str(self.account.role))
        if not response.ok:
            raise PageChanged(f"{what}: the server answered HTTP {response.status}")
        return response.json()

    def _waiting_for(self, method: str, path: Callable[[str], bool], action: Callable[[], None], what: str) -> Any:
        try:
            with self.page.expect_response(self._api(method, path), timeout=self.WAIT_MS) as answer:
                action()
        except PlaywrightTimeoutError as error:
            raise PageChanged(f"The web app's Lists column did not {what}") from error
        return self._json(answer.value, what)

    # --- the column ------------------------------------------------------------------------
    def open_lists(self) -> dict[str, str]:
        """Open the Lists column; the lists it loaded, title -> id."""
        data = self._waiting_for("GET", lambda p: p == LISTS_API, self.open, "load the lists (/lists)")
        self.page.locator(self.NEW_TITLE).first.wait_for(state="visible", timeout=self.WAIT_MS)
        return {str(item.get("title")): str(item.get("id")) for item in data or [] if isinstance(item, dict)}

    def create(self, title: str) -> str:
        """Type the title into the column's form and add the list; its id."""
        self.page.locator(self.NEW_TITLE).first.fill(title)
        button = self.page.locator(self.NEW_SUBMIT).first
        data = self._waiting_for("POST", lambda p: p == LISTS_API, button.click, f"create the list \"{title}\"")
        if not isinstance(data, dict) or not data.get("id"):
            raise PageChanged(f"Creating the list \"{title}\" answered without a list")
        return str(data["id"])

    # --- one list's editor -----------------------------------------------------------------
    def open_editor(self, list_id: str) -> set[str]:
        """Open the list and its editor; the accts of its members (as the editor loaded them)."""
        self.open(f"/lists/{list_id}")
        toggle = self.page.locator(self.SETTINGS_TOGGLE).first
        try:
            toggle.wait_for(state="visible", timeout=self.WAIT_MS)
        except PlaywrightTimeoutError as error:
            raise PageChanged(f"The list's column (/lists/{list_id}) has no settings button") from error
        edit = self.page.locator(self.EDIT_LIST).first
        if not edit.is_visible():
            toggle.click()
            edit.wait_for(state="visible", timeout=self.WAIT_MS)
        members_path = f"{LISTS_API}/{list_id}/accounts"
        data = self._waiting_for("GET", lambda p: p == members_path, edit.click, "open the list editor")
        self.page.locator(self.EDITOR).first.wait_for(state="visible", timeout=self.WAIT_MS)
        return {str(account.get("acct")) for account in data or [] if isinstance(account, dict)}

    def add(self, list_id: str, acct: str, matches: Callable[[str], bool]) -> bool:
        """Search the followed accounts for `acct` and add the one `matches` picks; False when
        the search does not find it among the followed accounts."""
        search = self.page.locator(self.SEARCH).first
        search.fill(acct)
        results = self._waiting_for("GET", lambda p: p == SEARCH_API, lambda: search.press("Enter"),
                                    f"search the followed accounts for {acct}")
        found = [a for a in results or [] if isinstance(a, dict) and matches(str(a.get("acct") or ""))]
        if not found:
            self._clear_search()
            return False
        row = self._row(self.RESULT_ROWS, found[0]["acct"])
        if row is None:
            raise PageChanged(f"The list editor found {acct} but shows no row for it")
        members_path = f"{LISTS_API}/{list_id}/accounts"
        self._waiting_for("POST", lambda p: p == members_path, row.locator(self.ROW_BUTTON).first.click,
                          f"add {acct} to the list")
        return True

    def _row(self, rows: str, acct: str) -> "Locator | None":
        wanted = "@" + acct.lstrip("@").lower()
        found = self.page.locator(rows)
        try:
            found.first.wait_for(state="visible", timeout=self.WAIT_MS)
        except PlaywrightTimeoutError:
            return None
        for index in range(found.count()):
            shown = found.nth(index).locator(self.ACCT)
            if shown.count() and shown.first.inner_text().strip().lower() == wanted:
                return found.nth(index)
        return None

    def _clear_search(self) -> None:
        self.page.locator(self.SEARCH).first.fill("")

    def close_editor(self) -> None:
        if self.has(self.EDITOR):
            self.page.keyboard.press("Escape")
            try:
                self.page.locator(self.EDITOR).first.wait_for(state="detached", timeout=5_000)
            except PlaywrightTimeoutError:
                pass
