"""Telling people: a thin, lazy bridge to server.notifications.

Social writes never fail because telling someone failed: errors are logged and swallowed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from server.notifications.messages import Message

__all__ = ["send", "post_url"]

log = logging.getLogger(__name__)

# Kinds server.notifications does not know (yet) go out as the nearest one it does, so they
# follow the same preference ("comments and mentions") instead of being dropped.
_NEAREST = {"reply": "comment", "kudos": "mention"}
# Every new comment is news; notify() otherwise sends one notification per kind and post.
_EVERY_TIME = {"comment"}


def post_url(post_id: int) -> str:
    return f"/#/post/{post_id}"


def _notifier():
    """server.notifications.services.notify, or None while it does not exist."""
    try:
        from server.notifications.services import notify
    except ImportError:
        return None
    return notify


def _known_kinds() -> set[str] | None:
    try:
        from server.notifications.services import KINDS
    except ImportError:
        return None
    return set(KINDS)


async def send(user_ids: Iterable[int], kind: str, post_id: int, title: str | Message, body: str) -> None:
    """Notify these people; a `Message` title is written in each one's language."""
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        return
    notify = _notifier()
    if notify is None:
        log.warning("notifications are not available; not sent", extra={"kind": kind, "post_id": post_id})
        return
    known = _known_kinds()
    if known is not None and kind not in known:
        kind = _NEAREST.get(kind, kind)
    extra = {"once": False} if kind in _EVERY_TIME else {}
    try:
        await notify(ids, kind, post_id, title, body, url=post_url(post_id), **extra)
    except Exception:
        log.exception("could not send notifications", extra={"kind": kind, "post_id": post_id})
