"""Telling people about social events (mentions, comments, replies, kudos) through server/notifications.

A comment or reaction never fails because telling someone failed: errors are logged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from server.notifications import services as notifications
from server.notifications.messages import Message

__all__ = ["send", "post_url"]

log = logging.getLogger(__name__)

# Kinds with a notification kind of their own elsewhere go out as the nearest one, so they
# follow the same preference ("comments and mentions").
_NEAREST = {"reply": "comment", "kudos": "mention"}
# Every new comment is news; notify() otherwise sends one notification per kind and post.
_EVERY_TIME = {"comment"}


def post_url(post_id: int) -> str:
    return f"/#/post/{post_id}"


async def send(user_ids: Iterable[int], kind: str, post_id: int, title: str | Message, body: str) -> None:
    """Notify these people; a `Message` title is written in each one's language."""
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        return
    if kind not in notifications.KINDS:
        kind = _NEAREST.get(kind, kind)
    extra = {"once": False} if kind in _EVERY_TIME else {}
    try:
        await notifications.notify(ids, kind, post_id, title, body, url=post_url(post_id), **extra)
    except Exception:
        log.exception("could not send notifications", extra={"kind": kind, "post_id": post_id})
