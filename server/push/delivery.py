"""Sending pushes: one open sender per worker process, outcomes recorded, busy push services retried.

Push only encrypts and sends; who is told what, and when, is server/notifications' business.
A send that the push service answers 429 or 5xx is re-queued as a `push-resend` job per push
service after its Retry-After (or a doubling backoff); 404/410 delete the subscription. The
outcomes of sends that went out are written down even when the database is away for a moment
(one transaction, retried until it is back): a job that failed on them would send them again.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from typing import Any

from server.jobs.queue import enqueue
from server.jobs.registry import job
from server.lib.outages import patiently
from server.push.sender import PushSender, Result, Subscription
from server.push.services import contact, vapid
from server.push.tables import PushSubscription
from server.push.vapid import audience_of
from server.settings import get_settings

__all__ = ["RESEND_JOB", "MAX_ATTEMPTS", "send", "resend", "subscriptions_of", "close_senders"]

log = logging.getLogger(__name__)

RESEND_JOB = "push-resend"
# Sends per worker process at once; the sender keeps a fifth of them free of any one push service.
CONCURRENCY = 100
MAX_ATTEMPTS = 5
_RETRY_BASE = 30.0


def _now() -> datetime:
    return datetime.now(timezone.utc)


async def subscriptions_of(user_ids: list[int], only: list[int] | None = None) -> dict[int, list[Subscription]]:
    """Each person's browsers (or only the subscriptions with these ids)."""
    where = PushSubscription.user.is_in(user_ids)
    if only is not None:
        where = where & PushSubscription.id.is_in(only)
    rows = await PushSubscription.select(
        PushSubscription.id, PushSubscription.user, PushSubscription.endpoint, PushSubscription.p256dh,
        PushSubscription.auth,
    ).where(where)
    found: dict[int, list[Subscription]] = defaultdict(list)
    for row in rows:
        found[row["user"]].append(Subscription(row["id"], row["endpoint"], row["p256dh"], row["auth"]))
    return found


async def send(
    message: dict, subscriptions: list[Subscription], *, urgent: bool, topic: str | None, expires: datetime,
    attempt: int = 0,
) -> list[Result]:
    """Send one message to these subscriptions and settle the outcomes; nothing once it expired."""
    ttl = int((expires - _now()).total_seconds())
    if ttl <= 0 or not subscriptions:
        return []
    sender = await _sender()
    results = await sender.send_many(subscriptions, message, ttl=ttl, urgency="high" if urgent else "normal", topic=topic)

    async def settle() -> None:
        if all(r.outcome == "delivered" for r in results):  # one statement: atomic as it is
            await _settle(results, subscriptions, message, urgent=urgent, topic=topic, expires=expires, attempt=attempt)
            return
        # Several writes (deletes, retries per push service): all or none, so a retry adds no second resend.
        async with PushSubscription._meta.db.transaction():
            await _settle(results, subscriptions, message, urgent=urgent, topic=topic, expires=expires, attempt=attempt)

    await patiently(settle, what="record push outcomes")
    return results


async def _settle(
    results: list[Result], subscriptions: list[Subscription], message: dict, *, urgent: bool, topic: str | None,
    expires: datetime, attempt: int,
) -> None:
    """Record what happened: delivered stamps, gone deletes, retry re-queues per push service."""
    by_id = {s.id: s for s in subscriptions}
    delivered = [r.subscription_id for r in results if r.outcome == "delivered"]
    gone = [r.subscription_id for r in results if r.outcome == "gone"]
    if delivered:
        await PushSubscription.update({PushSubscription.last_success_at: _now()}).where(
            PushSubscription.id.is_in(delivered)
        )
    if gone:
        await PushSubscription.delete().where(PushSubscription.id.is_in(gone))
    for r in results:
        if r.outcome == "rejected":
            log.warning("push rejected", extra={"subscription_id": r.subscription_id, "reason": r.reason})
    retry: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        if r.outcome == "retry":
            retry[audience_of(by_id[r.subscription_id].endpoint)].append(r)
    if attempt + 1 >= MAX_ATTEMPTS:
        if retry:
            log.warning("push given up", extra={"count": sum(map(len, retry.values())), "attempts": attempt + 1})
        return
    for origin, failed in retry.items():
        # Each push service waits as long as it asked (Retry-After), at least our own backoff.
        delay = max([_RETRY_BASE * 2**attempt] + [r.retry_after or 0.0 for r in failed])
        run_at = _now() + timedelta(seconds=delay)
        if run_at >= expires:
            continue
        await enqueue(RESEND_JOB, {
            "message": message, "subscription_ids": [r.subscription_id for r in failed], "urgent": urgent,
            "topic": topic, "expires": expires.isoformat(), "attempt": attempt + 1,
        }, run_at=run_at)


@job(timeout=180, tries=3, backoff=10)
async def resend(payload: dict[str, Any]) -> None:
    """Send a ready message again to the subscriptions a push service asked us to retry."""
    ids = payload["subscription_ids"]
    rows = await PushSubscription.select(PushSubscription.user).where(PushSubscription.id.is_in(ids)).distinct()
    subscriptions = [s for subs in (await subscriptions_of([r["user"] for r in rows], ids)).values() for s in subs]
    await send(payload["message"], subscriptions, urgent=bool(payload.get("urgent")), topic=payload.get("topic"),
               expires=datetime.fromisoformat(payload["expires"]), attempt=int(payload.get("attempt", 0)))


# One open sender per worker process (per event loop and identity): its connections, and their TLS
# sessions with the push services, outlive a job, and CONCURRENCY bounds the process, not each job.
_senders: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple, PushSender]] = weakref.WeakKeyDictionary()


async def _sender() -> PushSender:
    keys, contact_uri, loopback = vapid(), contact(), get_settings().push_allow_loopback
    open_senders = _senders.setdefault(asyncio.get_running_loop(), {})
    key = (keys.public_key, contact_uri, loopback)
    if key not in open_senders:
        sender = PushSender(keys, contact_uri, allow_loopback=loopback, concurrency=CONCURRENCY)
        open_senders[key] = await sender.__aenter__()
    return open_senders[key]


async def close_senders() -> None:
    """Close this event loop's senders (the worker stops; tests end their loop)."""
    for sender in _senders.pop(asyncio.get_running_loop(), {}).values():
        await sender.close()
