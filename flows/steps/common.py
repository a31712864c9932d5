"""What every step shares: building page objects for an account, screenshots, and running an
action with its one retry budget (agent.retry) after Playwright's errors became agent errors
(agent.errors.from_playwright)."""
from __future__ import annotations

from typing import Any, Callable, TypeVar

from mastomove.agent import retry
from mastomove.agent.errors import translated
from mastomove.agent.steps import Role, StepContext
from mastomove.flows.pages.base import MastodonPage

P = TypeVar("P", bound=MastodonPage)
T = TypeVar("T")


def view(ctx: StepContext, role: Role, page_class: type[P], *args: Any) -> P:
    """The page object `page_class` on `role`'s browser page."""
    return page_class(ctx.page(role), ctx.accounts[role], *args)


def screenshot(ctx: StepContext, page_object: MastodonPage, action: str) -> None:
    ctx.evidence.screenshot(page_object.page, action, mask=page_object.masked())


def _tell(ctx: StepContext) -> retry.OnRetry:
    return retry.telling(ctx.evidence.log, lambda line: ctx.person.say(f"  {line}", "yellow"))


def attempt(ctx: StepContext, action: Callable[[], T], **policy: Any) -> T:
    """Run an action that reads the server's state before changing it, with its one retry budget
    (agent.retry.one_action: a form is sent at most five times, whoever retries)."""
    return retry.one_action(translated(action), on_retry=_tell(ctx), **policy)


def poll(ctx: StepContext, read: Callable[[], T], *, until: Callable[[T], bool], within: float,
         first_wait: float, max_wait: float = 30.0,
         progress: Callable[[T], tuple[int, int] | None] | None = None,
         before_sleep: retry.OnRetry | None = None) -> T:
    """Read again until `until(reading)` holds or `within` seconds have passed; then the last
    reading (agent.retry.poll). `before_sleep`: told before each wait (default: a transient error
    is logged and said)."""
    return retry.poll(translated(read), until=until, within=within, first_wait=first_wait, max_wait=max_wait,
                      progress=progress, on_retry=before_sleep or _tell(ctx))
