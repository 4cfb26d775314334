"""Notifications: `notify` (what other domains call), the in-app list and each person's preferences.

Preferences decide what reaches the phone as a push; the in-app list keeps everything, so
nothing is lost when a push is switched off or held back by quiet hours.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from litestar.exceptions import ValidationException

from server.accounts.tables import User
from server.jobs.queue import enqueue
from server.lib.pagination import decode_cursor, encode_cursor
from server.notifications.messages import Message
from server.notifications.quiet import parse_clock, quiet_until, zone
from server.notifications.tables import Notification, NotificationPreference
from server.push.services import users_with_devices
from server.settings import get_settings

__all__ = [
    "DELIVER_JOB", "DIGEST_JOB", "BATCH", "DEFAULTS", "KINDS", "get_preferences", "list_notifications", "mark_read", "notify", "preferences_of",
    "unread_count", "update_preferences",
]

log = logging.getLogger(__name__)

# Job kinds of server/notifications/delivery.py (queued here, run by the worker).
DELIVER_JOB = "push-deliver"
DIGEST_JOB = "push-digest"
# Which preference switches a kind's push on or off; None: always pushed (must-reads, reminders).
KINDS: dict[str, str | None] = {
    "post": "follows",
    "comment": "comments_mentions",
    "mention": "comments_mentions",
    "announcement": "announcements",
    "must_read": None,
    "reminder": None,
}
DEFAULTS: dict[str, Any] = {
    "follows": True, "comments_mentions": True, "announcements": True,
    "quiet_hours": True, "quiet_start": "20:00", "quiet_end": "07:00", "time_zone": "",
}
# Recipients per delivery job: big enough for one aiohttp session to fan out well,
# small enough that a retry or a crash repeats little.
BATCH = 500
_TITLE_MAX, _BODY_MAX, _URL_MAX = 200, 1000, 300
_PREFERENCE_COLUMNS = [getattr(NotificationPreference, name) for name in DEFAULTS]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start:start + size]


# -- preferences ---------------------------------------------------------------------------


async def preferences_of(user_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Everyone's preferences, the defaults for those who never changed one."""
    found = {uid: dict(DEFAULTS) for uid in user_ids}
    for chunk in _chunks(user_ids):
        rows = await NotificationPreference.select(NotificationPreference.user, *_PREFERENCE_COLUMNS).where(
            NotificationPreference.user.is_in(chunk)
        )
        for row in rows:
            found[row.pop("user")] = row
    return found


async def get_preferences(user_id: int) -> dict[str, Any]:
    return (await preferences_of([user_id]))[user_id]


def _check_preferences(values: dict[str, Any]) -> None:
    for name in ("quiet_start", "quiet_end"):
        try:
            parse_clock(values[name])
        except ValueError:
            raise ValidationException(f"Quiet hours need a time like 07:30, not {values[name]!r}.") from None
    name = values["time_zone"]
    if name and (len(name) > 64 or zone(name).key != name):
        raise ValidationException(f"{name!r} is not a time zone this server knows (use a name like Europe/Berlin).")


async def update_preferences(user_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply the given changes (None leaves a value as it is) and return the whole set."""
    changes = {k: v for k, v in changes.items() if k in DEFAULTS and v is not None}
    values = {**await get_preferences(user_id), **changes}
    _check_preferences(values)
    # Insert-then-update is race-free where two devices save at the same moment.
    await NotificationPreference.insert(NotificationPreference(user=user_id)).on_conflict(action="DO NOTHING")
    await NotificationPreference.update({getattr(NotificationPreference, k): v for k, v in values.items()}).where(
        NotificationPreference.user == user_id
    )
    return await get_preferences(user_id)


# -- notify --------------------------------------------------------------------------------


def push_decision(kind: str, prefs: dict[str, Any], urgent: bool, now: datetime) -> tuple[str, datetime | None]:
    """("push", None), ("off", None) or ("held", when quiet hours end) for one person."""
    preference = KINDS[kind]
    if preference is not None and not prefs[preference]:
        return "off", None
    if urgent or not prefs["quiet_hours"]:
        return "push", None
    until = quiet_until(prefs["quiet_start"], prefs["quiet_end"], prefs["time_zone"], now)
    return ("held", until) if until else ("push", None)


def _clean_title(title: str) -> str:
    return " ".join(title.split())[:_TITLE_MAX] or "Hallway"


async def notify(
    user_ids: list[int], kind: str, post_id: int | None, title: str | Message, body: str = "", urgent: bool = False,
    url: str | None = None, image: str | None = None, *, once: bool = True, now: datetime | None = None,
) -> list[int]:
    """Record an in-app notification for each person and queue the pushes; returns the new notification ids.

    A `Message` title is written in each person's own language (server/notifications/messages.py);
    a plain string is used as it is.

    Pushes follow each person's preferences; outside `urgent`, quiet hours hold a push back until
    they end, when one digest push (or the single held notification) goes out. With `once`, a
    person who already has a notification of this kind for this post gets no second one, so
    calling it again (a retried job) is harmless. Nothing is sent here: delivery jobs do that.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    now = now or _now()
    body = body.strip()[:_BODY_MAX]
    url = (url or (f"/#/post/{post_id}" if post_id else "/#/notifications"))[:_URL_MAX]
    image = (image or "")[:_URL_MAX]
    wanted = sorted({int(u) for u in user_ids})
    recipients: list[int] = []
    languages: dict[int, str | None] = {}
    for chunk in _chunks(wanted):
        rows = await User.select(User.id, User.language).where(User.id.is_in(chunk) & (User.disabled == False))  # noqa: E712
        recipients.extend(r["id"] for r in rows)
        languages.update((r["id"], r["language"]) for r in rows)
    if once and post_id is not None and recipients:
        already: set[int] = set()
        for chunk in _chunks(recipients):
            rows = await Notification.select(Notification.user).where(
                Notification.user.is_in(chunk) & (Notification.post == post_id) & (Notification.kind == kind)
            )
            already.update(r["user"] for r in rows)
        recipients = [u for u in recipients if u not in already]
    if not recipients:
        return []
    prefs = await preferences_of(recipients)
    devices = await users_with_devices(recipients)
    decisions = {uid: push_decision(kind, prefs[uid], urgent, now) for uid in recipients}
    if isinstance(title, Message):
        rendered = {lang: _clean_title(title.render(lang)) for lang in set(languages.values())}
        titles = {uid: rendered[languages[uid]] for uid in recipients}
    else:
        same = _clean_title(title)
        titles = dict.fromkeys(recipients, same)
    created: list[int] = []
    for chunk in _chunks(recipients):
        # A chunk's rows and the jobs that push them commit together: a notify() cut short (the
        # database gone, the worker killed) and run again finds these people told, so their pushes
        # must be queued already. Chunk by chunk: a waiting worker starts sending while the next
        # rows are written.
        async with Notification._meta.db.transaction():
            rows = await Notification.insert(*(
                Notification(
                    user=uid, kind=kind, post=post_id, title=titles[uid], body=body, url=url, image=image, created_at=now,
                    held=decisions[uid][0] == "held" and uid in devices,
                )
                for uid in chunk
            )).returning(Notification.id, Notification.user)
            to_push = [row["id"] for row in rows if row["user"] in devices and decisions[row["user"]][0] == "push"]
            if to_push:
                await enqueue(DELIVER_JOB, {"notification_ids": to_push, "urgent": urgent})
            for uid in chunk:
                decision, until = decisions[uid]
                if decision == "held" and uid in devices:
                    # One digest job per person: more notifications held the same night join it.
                    await enqueue(DIGEST_JOB, {"user_id": uid}, unique_key=f"{DIGEST_JOB}:{uid}", run_at=until)
        created.extend(row["id"] for row in rows)
    return created


# -- the in-app list ----------------------------------------------------------------------


def _out(row: dict) -> dict[str, Any]:
    return {
        "id": row["id"], "kind": row["kind"], "post_id": row["post"], "title": row["title"], "body": row["body"],
        "url": row["url"], "image": row["image"], "read": row["read_at"] is not None, "created_at": row["created_at"],
    }


async def unread_count(user_id: int) -> int:
    return await Notification.count().where((Notification.user == user_id) & Notification.read_at.is_null())


async def list_notifications(user_id: int, cursor: str | None = None, limit: int = 20) -> dict[str, Any]:
    """Newest first, keyset-paginated by id, with the unread count."""
    secret = get_settings().secret
    query = Notification.select(
        Notification.id, Notification.kind, Notification.post, Notification.title, Notification.body,
        Notification.url, Notification.image, Notification.read_at, Notification.created_at,
    ).where(Notification.user == user_id)
    if cursor:
        (before,) = decode_cursor(cursor, secret, 1)
        if not isinstance(before, int):
            raise ValidationException("This page link is not valid any more. Please reload.")
        query = query.where(Notification.id < before)
    rows = await query.order_by(Notification.id, ascending=False).limit(limit + 1)
    next_cursor = encode_cursor([rows[limit - 1]["id"]], secret) if len(rows) > limit else None
    return {"items": [_out(r) for r in rows[:limit]], "next_cursor": next_cursor, "unread": await unread_count(user_id)}


async def mark_read(user_id: int, up_to: int | None = None) -> int:
    """Mark this person's notifications read (all, or those with id ≤ up_to); returns what stays unread."""
    where = (Notification.user == user_id) & Notification.read_at.is_null()
    if up_to is not None:
        where = where & (Notification.id <= up_to)
    await Notification.update({Notification.read_at: _now()}).where(where)
    return await unread_count(user_id)
