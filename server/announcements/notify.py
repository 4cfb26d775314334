"""Announcements' door to notifications (in-app list and push, in server/notifications).

notify() there records the notifications and queues the pushes; nothing is sent here.
"""

from __future__ import annotations

from server.notifications import services as notifications
from server.notifications.messages import Message

__all__ = ["notify", "headline"]


async def notify(
    user_ids: list[int], kind: str, post_id: int, title: str | Message, body: str, *, urgent: bool = False,
    url: str | None = None, image: str | None = None, once: bool = True,
) -> int:
    """Notify these people (kind: announcement | must_read | reminder); returns how many were asked for."""
    if not user_ids:
        return 0
    # Looked up on the module at call time, so tests can stand in for it.
    await notifications.notify(user_ids, kind, post_id, title, body, urgent=urgent, url=url, image=image, once=once)
    return len(user_ids)


def headline(body: str) -> str:
    """The first line of a post, short enough for a notification."""
    first = next((line.strip() for line in body.splitlines() if line.strip()), "")
    return first if len(first) <= 140 else first[:139].rstrip() + "…"
