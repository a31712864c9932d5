"""A person's signed-in HTTP session on one fixture account, without a browser: the form posts a
browser makes, to set a scene up by hand (an alias, a move, an account already moved) and for
checks a browser hides (status codes, headers, raw bodies)."""
from __future__ import annotations

import re
from typing import Any

import httpx

TOKEN = re.compile(r'name="authenticity_token" value="([^"]+)"')
META_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


class Browserless:
    def __init__(self, cred, *, sign_in: bool = True, otp: str | None = None):
        self.cred = cred
        # A TOTP code works once (devise-two-factor): a second sign-in within the same 30 seconds
        # needs another code, e.g. one of cred.recovery_codes (see sparing_totp).
        self.otp = otp
        self.http = httpx.Client(base_url=cred.url, follow_redirects=False, timeout=30.0, trust_env=False)
        if sign_in:
            self.sign_in()

    @classmethod
    def sparing_totp(cls, cred) -> "Browserless":
        """Signed in with a recovery code: this half-minute's TOTP code is left to the agent."""
        return cls(cred, otp=cred.recovery_codes[0] if cred.recovery_codes else None)

    def token(self, path: str = "/auth/sign_in") -> str:
        html = self.http.get(path).text
        return (TOKEN.search(html) or META_TOKEN.search(html)).group(1)

    def sign_in(self) -> httpx.Response:
        response = self.http.post("/auth/sign_in", data={
            "authenticity_token": self.token(), "user[email]": self.cred.email, "user[password]": self.cred.password})
        if "user[otp_attempt]" in response.text:
            response = self.http.post("/auth/sign_in", data={
                "authenticity_token": TOKEN.search(response.text).group(1),
                "user[otp_attempt]": self.otp or self.cred.otp()})
        assert response.status_code == 302, response.text[:300]
        return response

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(path, **kwargs)

    def submit(self, page_path: str, action: str, data: dict[str, Any], files: dict[str, Any] | None = None,
               method: str = "post") -> httpx.Response:
        """Load `page_path` for its CSRF token, then submit a form to `action` as the browser would."""
        body = {"authenticity_token": self.token(page_path), **data}
        if method != "post":
            body["_method"] = method  # Rails' method override, as Mastodon's data-method links send
        return self.http.post(action, data=body, files=files)

    def submit_ok(self, page_path: str, action: str, data: dict[str, Any], **kwargs: Any) -> httpx.Response:
        """`submit`, asserting the server took it (a redirect or a page, not an error)."""
        response = self.submit(page_path, action, data, **kwargs)
        assert response.status_code in (200, 302, 303), f"{action}: {response.status_code} {response.text[:500]}"
        return response

    def close(self) -> None:
        self.http.close()
