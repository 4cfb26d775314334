"""Push jobs: the followers' fan-out of a published post, delivery in batches, the quiet-hours digest.

Order of events: posts/states publishes → listeners.enqueue_fan_out → `push-fanout` records the
in-app notifications (notifications.services.notify) → `push-deliver` jobs of up to 500
notifications each send through the worker process's one PushSender → 404/410 delete the subscription, 429/5xx
are re-queued per push service after Retry-After (or a doubling backoff).
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import weakref
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from typing import Any

from server.accounts.tables import User
from server.jobs.queue import enqueue
from server.jobs.registry import job, on_worker_stop
from server.notifications import services as notifications
from server.notifications.messages import Message, render
from server.notifications.tables import Notification
from server.posts import attachments, states
from server.posts.tables import Post
from server.push import listeners  # noqa: F401  (registers the on_published listener in the worker too)
from server.push.sender import PayloadTooLarge, PushSender, Result, Subscription, fit_payload
from server.push.services import DELIVER_JOB, DIGEST_JOB, FANOUT_JOB, contact, vapid
from server.push.tables import PushSubscription
from server.push.vapid import audience_of
from server.settings import get_settings

__all__ = ["ICON", "MAX_ATTEMPTS", "deliver", "digest", "fan_out", "followers_of", "message_of"]

log = logging.getLogger(__name__)

ICON = "/icons/icon-192.png"
# A post's push is stale after a day; a must-read or reminder still matters for a week.
TTL_NORMAL = 24 * 3600
TTL_URGENT = 7 * 24 * 3600
# Sends per worker process at once; the sender keeps a fifth of them free of any one push service.
CONCURRENCY = 100
MAX_ATTEMPTS = 5
_RETRY_BASE = 30.0
_FIRST_LINE = 140


def _now() -> datetime:
    return datetime.now(timezone.utc)


async def followers_of(author_id: int) -> list[int]:
    """Who follows `author_id`, from server.social.follows.followers_of; nobody while follows do not exist.

    The social domain owns follows; it exposes `followers_of(author_id)` (sync or async, returning
    user ids). Imported lazily so push works, notifying nobody, before that module is there.
    """
    try:
        from server.social.follows import followers_of as social_followers
    except ImportError as exc:
        if getattr(exc, "name", None) not in (None, "server.social", "server.social.follows"):
            raise
        return []
    found = social_followers(author_id)
    if inspect.isawaitable(found):
        found = await found
    return [int(uid) for uid in found]


def _title(name: str, kind: str, media: list[dict]) -> Message:
    """"Ana posted a video", in each follower's language (server/notifications/messages.py)."""
    if kind == "video":
        return Message("post.video", {"name": name})
    if kind == "gallery":
        return Message("post.photo" if len(media) == 1 else "post.photos", {"name": name})
    return Message("post", {"name": name})


def _image(media: list[dict]) -> str:
    """The poster of a video, or a phone-sized variant of a gallery's first photo."""
    if not media:
        return ""
    first = media[0]
    if first.get("poster"):
        return first["poster"]
    variants = sorted(first.get("variants") or [], key=lambda v: v.get("width") or 0)
    fitting = [v for v in variants if (v.get("width") or 0) <= 1080]
    chosen = (fitting or variants or [{}])[-1]
    return chosen.get("url") or ""


def _first_line(body: str) -> str:
    line = next((part.strip() for part in body.splitlines() if part.strip()), "")
    return line if len(line) <= _FIRST_LINE else line[: _FIRST_LINE - 1].rstrip() + "…"


def _has_audience(raw: Any) -> bool:
    value = json.loads(raw) if isinstance(raw, str) and raw else raw
    return bool(value)


@job(FANOUT_JOB, timeout=300, tries=5, backoff=10)
async def fan_out(payload: dict[str, Any]) -> None:
    """Notify the author's followers of a published post (safe to run twice: `notify(once=True)`)."""
    post_id = payload["post_id"]
    post = await Post.select(
        Post.id, Post.kind, Post.body, Post.status, Post.must_read, Post.audience,
        Post.author.id.as_alias("author_id"), Post.author.name.as_alias("author_name"),
    ).where(Post.id == post_id).first()
    if post is None or post["status"] != states.PUBLISHED:
        return  # deleted, or not visible any more: nothing to say
    # Announcements (must-read or for an audience) are notified by server/announcements to
    # exactly their audience; following the author must not widen it.
    if post["must_read"] or _has_audience(post["audience"]):
        return
    author = post["author_id"]
    recipients = [uid for uid in dict.fromkeys(await followers_of(author)) if uid != author]
    if not recipients:
        return
    # Someone already told about this post some other way (a mention, an announcement) gets no second one.
    told = {
        r["user"] for r in await Notification.select(Notification.user).where(Notification.post == post_id)
    }
    recipients = [uid for uid in recipients if uid not in told]
    media = (await attachments.media_by_post([post_id])).get(post_id, []) if post["kind"] != "text" else []
    await notifications.notify(
        recipients, "post", post_id, _title(post["author_name"], post["kind"], media), _first_line(post["body"]),
        image=_image(media),
    )


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


async def _subscriptions(user_ids: list[int], only: list[int] | None = None) -> dict[int, list[Subscription]]:
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


async def _send(
    sender: PushSender, message: dict, subscriptions: list[Subscription], *, urgent: bool, topic: str | None,
    expires: datetime, attempt: int,
) -> list[Result]:
    ttl = int((expires - _now()).total_seconds())
    if ttl <= 0 or not subscriptions:
        return []
    results = await sender.send_many(
        subscriptions, message, ttl=ttl, urgency="high" if urgent else "normal", topic=topic
    )
    await _settle(results, subscriptions, message, urgent=urgent, topic=topic, expires=expires, attempt=attempt)
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
        await enqueue(DELIVER_JOB, {
            "message": message, "subscription_ids": [r.subscription_id for r in failed], "urgent": urgent,
            "topic": topic, "expires": expires.isoformat(), "attempt": attempt + 1,
        }, run_at=run_at)


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


@on_worker_stop
async def close_senders() -> None:
    """Close this event loop's senders (the worker stops; tests end their loop)."""
    for sender in _senders.pop(asyncio.get_running_loop(), {}).values():
        await sender.close()


@job(DELIVER_JOB, timeout=180, tries=3, backoff=10)
async def deliver(payload: dict[str, Any]) -> None:
    """Send a batch: either notifications by id (first try) or a ready message to some subscriptions (a retry)."""
    urgent = bool(payload.get("urgent"))
    if "message" in payload:
        expires = datetime.fromisoformat(payload["expires"])
        ids = payload["subscription_ids"]
        rows = await PushSubscription.select(PushSubscription.user).where(PushSubscription.id.is_in(ids)).distinct()
        subscriptions = [s for subs in (await _subscriptions([r["user"] for r in rows], ids)).values() for s in subs]
        await _send(await _sender(), payload["message"], subscriptions, urgent=urgent, topic=payload.get("topic"),
                    expires=expires, attempt=int(payload.get("attempt", 0)))
        return
    # Read in the meantime means seen: no push for it.
    rows = await Notification.select(
        Notification.id, Notification.user, Notification.post, Notification.title, Notification.body,
        Notification.url, Notification.image,
    ).where(Notification.id.is_in(payload["notification_ids"]) & Notification.read_at.is_null())
    if not rows:
        return
    devices = await _subscriptions(sorted({r["user"] for r in rows}))
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
    sender = await _sender()
    # Side by side, not one group after another: the sender's slots bound them all together.
    await asyncio.gather(*(
        _send(sender, message, subscriptions, urgent=urgent, topic=topic, expires=expires, attempt=0)
        for message, topic, subscriptions in groups.values()
    ))


@job(DIGEST_JOB, timeout=120, tries=3, backoff=30)
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
            "title": render("digest", language and language["language"], count=len(unread)), "body": titles, "url": "/#/notifications", "icon": ICON,
            "tag": "digest",
        })
        topic = "digest"
    subscriptions = (await _subscriptions([user_id])).get(user_id, []) if message else []
    if subscriptions:
        await _send(await _sender(), message, subscriptions, urgent=False, topic=topic,
                    expires=_now() + timedelta(seconds=TTL_NORMAL), attempt=0)
    # Cleared only once sent: a digest that crashed is tried again with the same notifications.
    await Notification.update({Notification.held: False}).where(Notification.id.is_in([r["id"] for r in held]))
