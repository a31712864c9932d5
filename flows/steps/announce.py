"""Post the "I'm moving" announcement from the new account, once.

Before posting, the new account's own posts are read: a rerun, or a retry after a post whose
answer was lost, finds the earlier announcement instead of posting a second one."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from mastomove.agent.steps import Role, StepContext, StepResult
from mastomove.flows.pages.compose import ComposePage
from mastomove.flows.pages.public import PublicSide
from mastomove.flows.steps.common import attempt, screenshot, view

_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</p>|<br\s*/?>", re.IGNORECASE)
_MENTION = re.compile(r"@[A-Za-z0-9_]+(?:[.-]+[A-Za-z0-9_]+)*(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::\d+)?)?")


def announcement_text(template: str, old: str, new: str) -> str:
    # Plain replacement: the text may hold other braces a person wrote.
    return template.replace("{old}", old).replace("{new}", new)


def comparable(text: str) -> str:
    """A post's words as Mastodon shows them and as we wrote them, made comparable: HTML removed,
    mentions dropped (Mastodon shows @alice@old.example as a link "@alice", or as plain text when
    it cannot resolve it), punctuation and case ignored."""
    text = html.unescape(_TAG.sub("", _BLOCK_END.sub(" ", text)))
    text = _MENTION.sub(" ", text)
    return " ".join(re.findall(r"\w+", text.casefold()))


def is_announcement(status: dict[str, Any], text: str) -> bool:
    wanted = comparable(text)
    return bool(wanted) and comparable(status.get("content") or "") == wanted


@dataclass(kw_only=True)
class AnnounceResult(StepResult):
    step = "announce"
    skipped: bool = False  # turned off
    posted: bool | None = None  # None: an earlier run may have posted it (could not re-check)
    posted_now: bool = False  # by this run (else found from an earlier one)
    status_id: str | None = None
    url: str | None = None
    visibility: str | None = None


class AnnounceStep:
    name = "announce"
    title = "Post the moving announcement from the new account"
    irreversible = False
    result_type = AnnounceResult

    def _text(self, ctx: StepContext) -> str:
        return announcement_text(ctx.settings.announcement, str(ctx.accounts[Role.OLD].handle),
                                 str(ctx.accounts[Role.NEW].handle))

    def run(self, ctx: StepContext) -> AnnounceResult:
        if not ctx.settings.post_announcement:
            return AnnounceResult(skipped=True, report=["Announcement: not posted (turned off)"])
        return attempt(ctx, lambda: self._announce(ctx, self._text(ctx)))

    def _find(self, ctx: StepContext, text: str) -> tuple[bool, dict | None]:
        """(could read the new account's posts, the announcement among them)."""
        new = ctx.accounts[Role.NEW]
        public = PublicSide(ctx.page(Role.NEW))
        noted = ctx.notes.get("status_id")
        if noted:
            status = public.status(new, noted)
            if status:
                return True, status
        me = public.lookup(new, new.handle.username)
        posts = public.statuses(new, me["id"]) if me else None
        if posts is None:
            return False, None
        return True, next((post for post in posts if is_announcement(post, text)), None)

    def _announce(self, ctx: StepContext, text: str) -> AnnounceResult:
        log = ctx.evidence.log
        if ctx.notes.get("state") == "posted":
            # Posted by an earlier run: once is once, even if the person has deleted it since.
            log.info("announce.already_posted", status=ctx.notes.get("url"))
            return self._result({"id": ctx.notes.get("status_id"), "url": ctx.notes.get("url")}, posted_now=False)
        could_look, existing = self._find(ctx, text)
        if existing:
            self._note_posted(ctx, existing)
            log.info("announce.already_posted", status=existing.get("url"))
            return self._result(existing, posted_now=False)
        if not could_look and ctx.notes.get("state") == "posting":
            # An earlier run was interrupted while posting and the posts cannot be read: do not risk two.
            return AnnounceResult(posted=None, report=["Announcement: an earlier run may have posted it (could not re-check)"])

        compose = view(ctx, Role.NEW, ComposePage)
        compose.open_with_text(text)
        screenshot(ctx, compose, "announcement-written")

        def posting() -> None:
            # Written down only now: a failure before the button (the composer not loading) must
            # not make a rerun believe the announcement may have been posted.
            ctx.notes.update({"state": "posting", "text": text})
            ctx.save_notes()

        try:
            status = compose.publish(text, before_click=posting)
        except Exception:
            if compose.refused:
                ctx.notes["state"] = "refused"  # the server answered no: nothing to find later
                ctx.save_notes()
            raise
        self._note_posted(ctx, status)
        screenshot(ctx, compose, "announcement-posted")
        log.info("announce.posted", status=status.get("url"), visibility=status.get("visibility"))
        return self._result(status, posted_now=True)

    def _note_posted(self, ctx: StepContext, status: dict) -> None:
        ctx.notes.update({"state": "posted", "status_id": str(status.get("id")), "url": status.get("url")})
        ctx.save_notes()

    @staticmethod
    def _result(status: dict, *, posted_now: bool) -> AnnounceResult:
        where = status.get("url") or status.get("uri") or "on the new account"
        visibility = f", {status['visibility']}" if status.get("visibility") else ""
        line = "posted" if posted_now else "already posted"
        return AnnounceResult(posted=True, posted_now=posted_now, status_id=str(status.get("id")),
                              url=status.get("url"), visibility=status.get("visibility"),
                              report=[f"Announcement: {line} ({where}{visibility})"])

    def verify(self, ctx: StepContext) -> bool:
        """Posted, as the step's notes say: a resumed run looks nothing up (a run of the step would
        find the note and post nothing anyway: a post the person deleted stays deleted)."""
        if not ctx.settings.post_announcement:
            return True
        return ctx.notes.get("state") == "posted"
