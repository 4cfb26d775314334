"""Notifications reaching phones: what each push says, batches sent at once, the quiet-hours digest.

Order of events: notify() (services.py) records the in-app rows and queues `push-deliver` jobs
of up to 500 notifications each → `deliver` builds each message and hands it to push
(server/push/delivery.py), which encrypts, sends and retries. A person in quiet hours gets one
`push-digest` when they end.

What a phone gets when something breaks mid-delivery. `deliver` works through its batch in
sub-batches of SUB_BATCH notifications, IN_FLIGHT of them at a time: it claims each (a committed write, and only while its job
attempt still holds the job's lease), sends them, writes down what happened, and marks them
pushed; a notification marked pushed is never sent again.

- The database goes away (a restart, a fail-over, SQLite's write lock held long): the pushes
  already sent are written down once it is back (`patiently`, within the job's time limit), and
  nothing new is claimed meanwhile. Exactly once per device, as long as the outage is shorter
  than the job lease (HALLWAY_JOB_LEASE), so the attempt keeps its job.
- The worker process dies (killed, out of memory), or an outage outlasts the lease and another
  attempt takes the job: what that attempt had claimed and not marked may or may not have gone
  out, and the next attempt sends it again. At least once per device, and at most IN_FLIGHT
  sub-batches per interrupted attempt twice. Twice is the lesser harm: a repeat carries the same
  tag (message_of), so the phone's service worker replaces the first notification with it,
  while a push that is lost is never seen. Synapse's HTTP pushers make the same choice: they
  record how far they got only after the push gateway answered, and start again from there.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timedelta, timezone
from typing import Any

from server.accounts.tables import User
from server.jobs.queue import running, still_held
from server.jobs.registry import job
from server.lib.outages import patiently
from server.notifications.messages import render
from server.notifications.tables import Notification
from server.push import delivery as push
from server.push.sender import PayloadTooLarge, Subscription, fit_payload

__all__ = ["ICON", "SUB_BATCH", "TTL_NORMAL", "TTL_URGENT", "deliver", "digest", "message_of"]

log = logging.getLogger(__name__)

ICON = "/icons/icon-192.png"
# A post's push is stale after a day; a must-read or reminder still matters for a week.
TTL_NORMAL = 24 * 3600
TTL_URGENT = 7 * 24 * 3600
# Notifications claimed, sent and marked together: what a killed worker may have sent without
# marking, so what its job's next attempt sends a second time. As many as the sender's slots,
# so one sub-batch keeps a worker's sends busy.
SUB_BATCH = 100
IN_FLIGHT = 3
_PUSHED_COLUMNS = (
    Notification.id, Notification.user, Notification.post, Notification.title, Notification.body, Notification.url,
    Notification.image,
)


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
    ids = [int(i) for i in payload["notification_ids"]]
    expires = _now() + timedelta(seconds=TTL_URGENT if urgent else TTL_NORMAL)
    await _say_what_goes_again(ids)
    # A few sub-batches in flight at once: one waiting for its slowest send would otherwise leave the
    # sender's slots idle. At most IN_FLIGHT of them are ever in doubt after a crash.
    slots = asyncio.Semaphore(IN_FLIGHT)

    async def some(part: list[int]) -> None:
        async with slots:
            await _deliver_some(part, urgent, expires)

    await asyncio.gather(*(some(ids[start:start + SUB_BATCH]) for start in range(0, len(ids), SUB_BATCH)))


async def _deliver_some(ids: list[int], urgent: bool, expires: datetime) -> None:
    """Claim, send, record and mark one sub-batch (see the module's docstring)."""
    rows = await patiently(lambda: _claim(ids), what="claim pushes to send")
    if not rows:
        return
    devices = await patiently(lambda: push.subscriptions_of(sorted({r["user"] for r in rows})), what="read devices")
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
    # Side by side, not one group after another: the sender's slots bound them all together.
    await asyncio.gather(*(
        push.send(message, subscriptions, urgent=urgent, topic=topic, expires=expires)
        for message, topic, subscriptions in groups.values()
    ))
    claimed = [r["id"] for r in rows]
    await patiently(
        lambda: Notification.update({Notification.pushed_at: _now()}).where(Notification.id.is_in(claimed)),
        what="mark pushes sent",
    )


async def _claim(ids: list[int]):
    """The notifications among `ids` still to push, stamped as claimed (nothing once the job is not ours)."""
    where = Notification.id.is_in(ids) & Notification.pushed_at.is_null() & Notification.read_at.is_null()
    if (held := still_held()) is not None:
        where = where & held
    return await Notification.update({Notification.push_claimed_at: _now()}).where(where).returning(*_PUSHED_COLUMNS)


async def _say_what_goes_again(ids: list[int]) -> None:
    """On a retry, log how many pushes an interrupted attempt may have sent already (they go again)."""
    attempt = running.get()
    if attempt is None or attempt.attempts < 2:
        return
    again = await Notification.count().where(
        Notification.id.is_in(ids) & Notification.push_claimed_at.is_not_null() & Notification.pushed_at.is_null()
    )
    if again:
        log.warning("sending pushes again that an interrupted attempt may have sent", extra={
            "job_id": attempt.id, "attempt": attempt.attempts, "count": again,
        })


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
    # Cleared only once sent (a digest that crashed is tried again with the same notifications),
    # and cleared even when the database is away for a moment, or the retry would send it twice.
    held_ids = [r["id"] for r in held]
    await patiently(
        lambda: Notification.update({Notification.held: False}).where(Notification.id.is_in(held_ids)),
        what="clear a sent digest",
    )
