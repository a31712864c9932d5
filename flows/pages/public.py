"""What a server publishes about its accounts, read with the browser context's request client:
WebFinger (/.well-known/webfinger), the ActivityPub actor (`alsoKnownAs`, `movedTo`,
`manuallyApprovesFollowers`), and the REST account entity (/api/v1/accounts/lookup, with `moved`).

Requests carry the context's cookies, so a signed-in account also sees its own non-public posts.
A handle's domain need not be the web address of its server (LOCAL_DOMAIN vs WEB_DOMAIN): every
request goes to the configured web address of the server in question.

None from these methods means "could not be read" (a 401 under AUTHORIZED_FETCH, a WAF or
challenge page, anything that is not the JSON asked for), never "absent": a caller that needs a
yes or no gets True, False or None (`names_alias`), and takes None as the unsafe answer."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from mastomove.agent.steps import Account, Handle
from mastomove.flows.handles import ascii_domain, same_acct
from mastomove.flows.pages.base import network_errors, raise_for_status, same_origin

if TYPE_CHECKING:
    from playwright.sync_api import Page

ACTIVITY_JSON = "application/activity+json, application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\""


@dataclass(frozen=True)
class WebFinger:
    subject: str
    actor_uri: str | None  # links[rel=self, type=activity+json]
    profile_url: str | None


class PublicSide:
    def __init__(self, page: "Page"):
        self.request = page.context.request

    def _get(self, url: str, accept: str = "application/json") -> tuple[int, Any]:
        with network_errors(url):
            response = self.request.get(url, headers={"Accept": accept}, timeout=30_000, max_redirects=5)
        raise_for_status(response.status, response.headers, url)
        if not response.ok:
            return response.status, None
        try:
            return response.status, response.json()
        except Exception:  # noqa: BLE001 - not JSON (a challenge page, an error page): not read
            return response.status, None

    # --- discovery -------------------------------------------------------------------------
    def webfinger(self, server: Account, handle: Handle) -> WebFinger | None:
        return self.webfinger_answer(server, handle)[1]

    def webfinger_answer(self, server: Account, handle: Handle) -> tuple[int, WebFinger | None]:
        """(HTTP status, what WebFinger says): a 404 means no such account; any other answer
        without a WebFinger document means it could not be read."""
        url = f"{server.origin}/.well-known/webfinger?{urlencode({'resource': f'acct:{handle}'})}"
        status, data = self._get(url, "application/jrd+json, application/json")
        if not isinstance(data, dict) or "subject" not in data:
            return status, None
        actor = profile = None
        for link in data.get("links", []):
            if link.get("rel") == "self" and "activity+json" in (link.get("type") or "") and not actor:
                actor = link.get("href")
            elif link.get("rel") == "http://webfinger.net/rel/profile-page" and not profile:
                profile = link.get("href")
        return status, WebFinger(data["subject"], actor, profile)

    def actor(self, server: Account, uri: str) -> dict | None:
        """The actor document at `uri`, fetched from `server`'s web address when the URI names the
        handle's domain rather than a host we can reach; None when it could not be read."""
        _, data = self._get(self._reachable(server, uri), ACTIVITY_JSON)
        return data if isinstance(data, dict) and data.get("id") else None

    def names_alias(self, server: Account, handle: Handle, alias_actor_uri: str | None) -> bool | None:
        """Does `handle`'s published actor name `alias_actor_uri` in its `alsoKnownAs`? True or
        False only when the actor document was read and examined; None when WebFinger or the actor
        could not be read (or there is no actor URI to look for)."""
        if not alias_actor_uri:
            return None
        finger = self.webfinger(server, handle)
        if finger is None or not finger.actor_uri:
            return None
        actor = self.actor(server, finger.actor_uri)
        if actor is None:
            return None
        known_as = actor.get("alsoKnownAs") or []
        known_as = [known_as] if isinstance(known_as, str) else known_as
        return alias_actor_uri in known_as

    @staticmethod
    def _reachable(server: Account, uri: str) -> str:
        parts = urlsplit(uri)
        if same_origin(uri, server.origin) or ascii_domain(parts.hostname or "") != ascii_domain(server.handle.domain):
            return uri
        origin = urlsplit(server.origin)
        return urlunsplit((origin.scheme, origin.netloc, parts.path, parts.query, ""))

    # --- REST ------------------------------------------------------------------------------
    def instance(self, server: Account) -> tuple[int, Any]:
        """The server's public description, /api/v1/instance: (HTTP status, its JSON or None)."""
        return self._get(f"{server.origin}/api/v1/instance")

    def lookup_answer(self, server: Account, acct: str) -> tuple[int, dict | None]:
        """`lookup` with the HTTP status: 404 means no such account, 401/403 that the server
        does not tell anonymous readers."""
        status, data = self._get(f"{server.origin}/api/v1/accounts/lookup?{urlencode({'acct': acct})}")
        return status, data if isinstance(data, dict) and data.get("id") else None

    def lookup(self, server: Account, acct: str) -> dict | None:
        """The account entity `server` holds for `acct` (a username for its own accounts)."""
        return self.lookup_answer(server, acct)[1]

    def search_account(self, server: Account, handle: Handle) -> dict | None:
        """Ask `server` to find `handle`, fetching it from its home server when unknown (needs the
        signed-in session, as the web app's search box does)."""
        query = urlencode({"q": str(handle), "resolve": "true", "type": "accounts", "limit": 5})
        _, data = self._get(f"{server.origin}/api/v2/search?{query}")
        if not isinstance(data, dict):
            return None
        return next((found for found in data.get("accounts", []) if same_acct(found.get("acct") or "", handle)), None)

    def statuses(self, server: Account, account_id: str, limit: int = 40) -> list[dict] | None:
        """The account's latest posts; None when the server would not show them."""
        query = urlencode({"limit": limit, "exclude_reblogs": "true"})
        _, data = self._get(f"{server.origin}/api/v1/accounts/{account_id}/statuses?{query}")
        return data if isinstance(data, list) else None

    def status(self, server: Account, status_id: str) -> dict | None:
        _, data = self._get(f"{server.origin}/api/v1/statuses/{status_id}")
        return data if isinstance(data, dict) and data.get("id") else None
