"""Notifications reaching phones: what each push says, batches sent at once, the quiet-hours digest.

Order of events: notify() (services.py) records the in-app rows and queues `push-deliver` jobs
of up to 500 notifications each → `deliver` builds each message and hands it to push
(server/push/delivery.py), which encrypts, sends and retries. A person in quiet hours gets one
`push-digest` when they end.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timedelta, timezone
from typing import Any

from server.accounts.tables import User
from server.jobs.registry import job
from server.notifications.messages import render
from server.notifications.tables import Notification
from server.push import delivery as push
from server.push.sender import PayloadTooLarge, Subscription, fit_payload

__all__ = ["ICON", "TTL_NORMAL", "TTL_URGENT", "deliver", "digest", "message_of"]

log = logging.getLogger(__name__)

ICON = "/icons/icon-192.png"
# A post's push is stale after a day; a must-read or reminder still matters for a week.
TTL_NORMAL = 24 * 3600
TTL_URGENT = 7 * 24 * 3600


def _now() -> datetime:
    return datetime.now(timezone.utc)


def message_of(row: dict) -> dict[str, Any]:
    """The push payload the service worker shows (pwa/sw.js): small, and cut to fit one message."""
    tag = f"post-{row['post']}" if row.get("post") else f"notification-{row['id']}"
    message = {"title": row["title"], "body": row["body"], "url": row["url"], "icon": ICON, "tag": tag}
    if row.get("image"):
        message["image"] = row["image"]
    return fit_payload(message)


def _topic(row: dict) -> str | None:
    # Topic (RFC 8030 §5.4): a newer message for the same post replaces one still waiting on the push service.
    return f"post-{row['post']}" if row.get("post") else None


@job(timeout=180, tries=3, backoff=10)
async def deliver(payload: dict[str, Any]) -> None:
    """Push a batch of notifications to their people's browsers (those still unread: read means seen)."""
    if "message" in payload:  # a retry queued under this kind before push had its own
        await push.resend(payload)
        return
    urgent = bool(payload.get("urgent"))
    rows = await Notification.select(
        Notification.id, Notification.user, Notification.post, Notification.title, Notification.body,
        Notification.url, Notification.image,
    ).where(Notification.id.is_in(payload["notification_ids"]) & Notification.read_at.is_null())
    if not rows:
        return
    devices = await push.subscriptions_of(sorted({r["user"] for r in rows}))
    # One notify() call gives every row the same message; group anyway, so any batch works.
    groups: dict[str, tuple[dict, str | None, list[Subscription]]] = {}
    for row in rows:
        try:
            message = message_of(row)
        except PayloadTooLarge:
            log.warning("push payload too large", extra={"notification_id": row["id"]})
            continue
        key = json.dumps([message, _topic(row)], sort_keys=True)
        groups.setdefault(key, (message, _topic(row), []))[2].extend(devices.get(row["user"], []))
    expires = _now() + timedelta(seconds=TTL_URGENT if urgent else TTL_NORMAL)
    # Side by side, not one group after another: the sender's slots bound them all together.
    await asyncio.gather(*(
        push.send(message, subscriptions, urgent=urgent, topic=topic, expires=expires)
        for message, topic, subscriptions in groups.values()
    ))


@job(timeout=120, tries=3, backoff=30)
async def digest(payload: dict[str, Any]) -> None:
    """At the end of someone's quiet hours: one push for what was held back and is still unread."""
    user_id = payload["user_id"]
    held = await Notification.select(
        Notification.id, Notification.post, Notification.title, Notification.body, Notification.url,
        Notification.image, Notification.read_at,
    ).where((Notification.user == user_id) & (Notification.held == True)).order_by(  # noqa: E712
        Notification.id, ascending=False
    )
    if not held:
        return
    unread = [r for r in held if r["read_at"] is None]
    if not unread:
        message, topic = None, None
    elif len(unread) == 1:
        message, topic = message_of(unread[0]), _topic(unread[0])
    else:
        titles = "; ".join(r["title"] for r in unread[:5])
        language = await User.select(User.language).where(User.id == user_id).first()
        message = fit_payload({
            "title": render("digest", language and language["language"], count=len(unread)), "body": titles,
            "url": "/#/notifications", "icon": ICON, "tag": "digest",
        })
        topic = "digest"
    subscriptions = (await push.subscriptions_of([user_id])).get(user_id, []) if message else []
    if subscriptions:
        await push.send(message, subscriptions, urgent=False, topic=topic, expires=_now() + timedelta(seconds=TTL_NORMAL))
    # Cleared only once sent: a digest that crashed is tried again with the same notifications.
    await Notification.update({Notification.held: False}).where(Notification.id.is_in([r["id"] for r in held]))
