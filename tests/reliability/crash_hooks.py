"""`python -m crash_hooks ARGS`: the real `mastomove ARGS`, with one way to end badly installed
first (MASTOMOVE_TEST_CRASH), for the crash-time secret scan (test_crash_secrets.py):

- `browser-closed`: the old account's browser is closed the moment its sign-in form is posted
  (what closing a headed window, or a browser crash, does mid-sign-in);
- `exception`: an error nobody foresaw, raised in a frame whose local variables hold the
  password (a crash's traceback must not carry them into any file or the terminal).
"""
from __future__ import annotations

import os


def install(kind: str) -> None:
    from mastomove.flows.pages.sign_in import SignInPage

    original = SignInPage.submit_password

    def closing_the_browser(self, email, password, secret_entry):
        browser = self.page.context.browser

        def on_post(route) -> None:
            if route.request.method == "POST":
                browser.close()
            else:
                route.continue_()

        self.page.route("**/auth/sign_in", on_post)
        return original(self, email, password, secret_entry)

    def crashing(self, email, password, secret_entry):
        response = original(self, email, password, secret_entry)
        typed = {"email": email, "password": password}  # noqa: F841 - a local the traceback could show
        raise RuntimeError("an error nobody foresaw, right after the sign-in form")

    SignInPage.submit_password = {"browser-closed": closing_the_browser, "exception": crashing}[kind]


if __name__ == "__main__":
    install(os.environ["MASTOMOVE_TEST_CRASH"])
    from mastomove.agent.cli import main

    main()
