"""What every step shares: building page objects for an account, screenshots, retries."""
from __future__ import annotations

from typing import Any, Callable, TypeVar

import tenacity
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from mastomove.agent.errors import ConnectionFailed, NotAnAliasYet, PageChanged, SessionExpired, Transient
from mastomove.agent.retry import transient, wait_for_progress, wait_retry_after
from mastomove.agent.steps import Role, StepContext
from mastomove.flows.pages.base import MastodonPage, is_network_error

P = TypeVar("P", bound=MastodonPage)
T = TypeVar("T")


def view(ctx: StepContext, role: Role, page_class: type[P], *args: Any) -> P:
    """The page object `page_class` on `role`'s browser page."""
    return page_class(ctx.page(role), ctx.accounts[role], *args)


def screenshot(ctx: StepContext, page_object: MastodonPage, action: str) -> None:
    ctx.evidence.screenshot(page_object.page, action, mask=page_object.masked())


def _retry_here(error: BaseException) -> bool:
    # An expired session needs the runner's sign-in; "not an alias" has its own, day-long policy.
    return isinstance(error, Transient) and not isinstance(error, (SessionExpired, NotAnAliasYet))


def retrying(ctx: StepContext, **policy: Any) -> tenacity.Retrying:
    def log_retry(state: tenacity.RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        ctx.evidence.log.warning("retrying", attempt=state.attempt_number, error=type(error).__name__,
                                 reason=str(error), wait_s=round(state.upcoming_sleep, 2))

    return transient(on_retry=log_retry, **policy).copy(retry=tenacity.retry_if_exception(_retry_here))


def playwright_errors_translated(action: Callable[[], T]) -> Callable[[], T]:
    """Playwright's own errors as agent errors: a page element that never appeared means the page
    is not the Mastodon page we know; a dropped connection is worth another try."""

    def translated() -> T:
        try:
            return action()
        except PlaywrightError as error:
            first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
            if "has been closed" in first_line:
                raise
            if is_network_error(error) and not isinstance(error, PlaywrightTimeoutError):
                raise ConnectionFailed(first_line) from error
            raise PageChanged(f"A Mastodon page did not behave as expected: {first_line}") from error

    return translated


def attempt(ctx: StepContext, action: Callable[[], T], **policy: Any) -> T:
    """Run an action that reads the server's state before changing it, with transient retries."""
    return retrying(ctx, **policy)(playwright_errors_translated(action))


def last_result(state: tenacity.RetryCallState) -> Any:
    """For polling policies: when time is up, hand back the last reading (or its error)."""
    return state.outcome.result() if state.outcome else None


def poll(ctx: StepContext, read: Callable[[], T], *, until: Callable[[T], bool], within: float,
         first_wait: float, max_wait: float = 30.0,
         progress: Callable[[T], tuple[int, int] | None] | None = None,
         before_sleep: Callable[[tenacity.RetryCallState], None] | None = None) -> T:
    """Read again, backing off from `first_wait`, until `until(reading)` holds or `within` seconds
    have passed; then the last reading. A transient error on the way is retried like any other.
    With `progress` ((done, total) of a reading), no wait outlasts what the pace so far predicts."""
    base = retrying(ctx)
    policy = base.copy(
        retry=tenacity.retry_if_result(lambda reading: not until(reading)) | base.retry,
        wait=(wait_for_progress(progress, initial=first_wait, maximum=max_wait) if progress
              else wait_retry_after(initial=first_wait, maximum=max_wait)),
        stop=tenacity.stop_after_delay(within),
        retry_error_callback=last_result,
        before_sleep=before_sleep,
    )
    return policy(playwright_errors_translated(read))
