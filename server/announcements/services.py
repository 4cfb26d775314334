"""What announcements do: compose, schedule, confirm ("Got it"), count and remind."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone

from litestar.exceptions import HTTPException, NotFoundException, PermissionDeniedException, ValidationException

from server.announcements import audience, receipts
from server.announcements.notify import headline, notify
from server.announcements.schemas import Audiences, NewAnnouncement, Person, ProgressIn, ProgressOut, RemindOut, StatsOut
from server.announcements.tables import Announcement, AudienceTarget
from server.accounts.tables import User
from server.feed import cards
from server.jobs.queue import enqueue
from server.lib.guards import Viewer
from server.lib.pagination import decode_cursor, encode_cursor
from server.lib.text import clean_text
from server.notifications.messages import Message
from server.posts import fence, states, visibility
from server.posts.schemas import NewPost
from server.posts.services import MAX_BODY, create_post, get_post
from server.posts.tables import PostMedia
from server.settings import get_settings

__all__ = [
    "PUBLISH_JOB", "WATCH_SHARE", "REMIND_EVERY", "create_announcement", "audiences", "plausible_share",
    "record_progress", "acknowledge", "stats", "remind",
]

PUBLISH_JOB = "publish-announcement"
WATCH_SHARE = 0.8  # a must-read video counts once this share of it was watched
# What a report may exceed the clock by: the player runs a moment before its first report (up
# to 1% of the clip, pwa/js/components/must-read.js), the network and the phone's clock add a few seconds.
WATCH_SLACK_SECONDS = 3.0
WATCH_SLACK_SHARE = 0.02
REMIND_EVERY = timedelta(hours=1)
# A time a few seconds past (the clock of the phone, the time to tap "Publish") means now.
SCHEDULE_GRACE = timedelta(minutes=2)
SCHEDULE_MAX = timedelta(days=366)

_WATCH_FIRST = "Watch the video to the end before confirming."


def _aware(value: datetime, what: str) -> datetime:
    if value.tzinfo is None:
        raise ValidationException(f"Give the {what} with its time zone, for example 2030-03-02T08:00:00+01:00.")
    return value.astimezone(timezone.utc)


async def create_announcement(viewer: Viewer, data: NewAnnouncement) -> dict:
    """Publish now or schedule; the post, its audience rows and its publish job in one transaction."""
    now = datetime.now(timezone.utc)
    body = clean_text(data.body, field="announcement", max_length=MAX_BODY, multiline=True, required=True)
    publish_at = None
    if data.publish_at is not None:
        publish_at = _aware(data.publish_at, "scheduled time")
        if publish_at < now - SCHEDULE_GRACE:
            raise ValidationException("The scheduled time has already passed. Choose a later time, or publish now.")
        if publish_at > now + SCHEDULE_MAX:
            raise ValidationException("An announcement can be scheduled at most a year ahead.")
        if publish_at <= now:
            publish_at = None
    pinned_until = None
    if data.pinned_until is not None:
        if not data.pinned:
            raise ValidationException("Only a pinned announcement can have an end date for the pin.")
        pinned_until = _aware(data.pinned_until, "end of the pin")
        if pinned_until <= (publish_at or now):
            raise ValidationException("The pin must end after the announcement is published.")
    chosen = audience.normalise(data.audience.everyone, data.audience.departments, data.audience.locations)
    if not await audience.members(chosen, exclude=viewer.id):
        raise ValidationException(
            f"Nobody is in this audience: no active colleague has {audience.describe(chosen)} in their profile. "
            "Check the spelling in the directory."
        )
    fields = {
        "must_read": data.must_read, "audience": json.dumps(chosen), "publish_at": publish_at,
        "pinned_at": (publish_at or now) if data.pinned else None, "pinned_until": pinned_until,
    }

    async def prepare(post_id: int) -> None:
        await Announcement.insert(Announcement(post=post_id))
        rows = [AudienceTarget(post=post_id, field=field, value=value) for field, value in audience.targets(chosen)]
        if rows:
            await AudienceTarget.insert(*rows)
        if publish_at is not None:
            # On time when a worker is up; the sweep in jobs.py catches up when none was.
            await enqueue(PUBLISH_JOB, await fence.payload(post_id), unique_key=f"{PUBLISH_JOB}:{post_id}", run_at=publish_at)

    row = await create_post(
        viewer, NewPost(body=body, upload_ids=data.upload_ids, alt_texts=data.alt_texts), fields=fields, prepare=prepare
    )
    return (await cards.attach([row], viewer))[0]


async def audiences() -> Audiences:
    """Departments and locations in use, with how many active people each has."""
    rows = await User.select(User.department, User.location).where(User.disabled == False)  # noqa: E712
    counts: dict[str, dict[str, list]] = {"department": {}, "location": {}}
    for row in rows:
        for field in counts:
            name = " ".join(row[field].split())
            if name:
                entry = counts[field].setdefault(visibility.fold(name), [name, 0])
                entry[1] += 1

    def listed(field: str) -> list[dict[str, str | int]]:
        return sorted(({"name": n, "people": c} for n, c in counts[field].values()), key=lambda d: str(d["name"]).casefold())

    return Audiences(everyone=len(rows), departments=listed("department"), locations=listed("location"))


async def _announcement(viewer: Viewer, post_id: int) -> dict:
    """The announcement as the viewer may see it (404 outside its audience or before it is out)."""
    row = await get_post(viewer, post_id)
    if not await Announcement.exists().where(Announcement.post == post_id):
        raise NotFoundException("This post is not an announcement.")
    return row


async def _for_audience(viewer: Viewer, post_id: int) -> dict:
    """A published must-read addressed to the viewer: what "Got it" and progress apply to."""
    row = await _announcement(viewer, post_id)
    if row["status"] != states.PUBLISHED:
        raise ValidationException("This announcement is not published yet.")
    if not row["must_read"]:
        raise ValidationException("This announcement does not ask for confirmation.")
    if row["author_id"] == viewer.id:
        raise ValidationException("You wrote this announcement; its audience confirms it, not its author.")
    if not visibility.in_audience(row["audience"], viewer):
        raise PermissionDeniedException("This announcement is not addressed to you, so there is nothing to confirm.")
    return row


async def _video_duration(post_id: int) -> float | None:
    row = await PostMedia.select(PostMedia.duration).where(
        (PostMedia.post == post_id) & (PostMedia.kind == "video")
    ).order_by(PostMedia.position).first()
    return row["duration"] if row else None


def plausible_share(elapsed: timedelta, duration: float) -> float:
    """The most of a clip anyone can have watched in `elapsed` since they started it (no faster than real time)."""
    return (elapsed.total_seconds() + WATCH_SLACK_SECONDS) / duration + WATCH_SLACK_SHARE


async def record_progress(viewer: Viewer, post_id: int, data: ProgressIn) -> ProgressOut:
    """Remember how much of a must-read video the viewer watched: the largest share reported, but
    never more than the clock allows since their first report (a client saying "all of it" at once
    is not believed)."""
    row = await _for_audience(viewer, post_id)
    if row["kind"] != "video":
        raise ValidationException("Only a video announcement records how much was watched.")
    if (data.fraction is None) == (data.watched_seconds is None):
        raise ValidationException("Send either watched_seconds or fraction.")
    duration = await _video_duration(post_id)
    if not duration:
        raise ValidationException("This video is not ready yet. Try again in a moment.")
    share = data.fraction if data.fraction is not None else data.watched_seconds / duration
    now = datetime.now(timezone.utc)
    since = now - await receipts.started(post_id, viewer.id, now)
    share = min(1.0, share, plausible_share(since, duration))
    # A millionth: the column is REAL, and PostgreSQL's cannot hold a float below 1e-38.
    watched = await receipts.record_watched(post_id, viewer.id, round(float(share), 6))
    return ProgressOut(watched=round(watched, 3), can_acknowledge=watched >= WATCH_SHARE)


async def acknowledge(viewer: Viewer, post_id: int) -> dict:
    """The viewer's "Got it"; a video counts only once watched to WATCH_SHARE. Safe to repeat."""
    row = await _for_audience(viewer, post_id)
    if row["kind"] == "video" and not await receipts.acknowledged(post_id, viewer.id) and (
        await receipts.watched(post_id, viewer.id) < WATCH_SHARE
    ):
        raise HTTPException(status_code=409, detail=_WATCH_FIRST)
    await receipts.acknowledge(post_id, viewer.id)
    return (await cards.attach([row], viewer))[0]


async def _own_or_moderated(viewer: Viewer, post_id: int) -> dict:
    row = await _announcement(viewer, post_id)
    if row["author_id"] != viewer.id and not viewer.at_least("moderator"):
        raise PermissionDeniedException("Only the author, moderators and admins can see who confirmed an announcement.")
    return row


async def _missing(row: dict) -> tuple[list[dict], int]:
    """People in the audience now who have not confirmed, and how many did."""
    people = await audience.members(row["audience"], exclude=row["author_id"])
    if not row["must_read"]:
        return [], 0
    done = await receipts.acknowledged_ids(row["id"])
    missing = [p for p in people if p["id"] not in done]
    return missing, len(people) - len(missing)


async def stats(viewer: Viewer, post_id: int, *, cursor: str | None, limit: int) -> StatsOut:
    """Acknowledged X of Y (Y: active people in the audience, counted now) and a page of who has not."""
    row = await _own_or_moderated(viewer, post_id)
    people = await audience.members(row["audience"], exclude=row["author_id"])
    missing, acknowledged = await _missing(row)
    if cursor:
        name, last_id = decode_cursor(cursor, get_settings().secret, 2)
        if not isinstance(name, str) or not isinstance(last_id, int):
            raise ValidationException("This page link is not valid any more. Please reload.")
        missing = [p for p in missing if (p["name"].casefold(), p["id"]) > (name, last_id)]
    page, next_cursor = missing[:limit], None
    if len(missing) > limit:
        next_cursor = encode_cursor([page[-1]["name"].casefold(), page[-1]["id"]], get_settings().secret)
    reminded_at = await _reminded_at(post_id)
    again = reminded_at + REMIND_EVERY if reminded_at else None
    return StatsOut(
        post_id=post_id, status=row["status"], must_read=row["must_read"], audience=audience.describe(row["audience"]),
        audience_size=len(people), acknowledged=acknowledged, reminded_at=reminded_at,
        next_reminder_at=again if again and again > datetime.now(timezone.utc) else None,
        not_acknowledged=[Person(**p) for p in page], next_cursor=next_cursor,
    )


async def _reminded_at(post_id: int) -> datetime | None:
    found = await Announcement.select(Announcement.reminded_at).where(Announcement.post == post_id).first()
    return found["reminded_at"] if found else None


async def remind(viewer: Viewer, post_id: int) -> RemindOut:
    """Notify again, urgently, only the people in the audience who have not confirmed; once an hour."""
    row = await _own_or_moderated(viewer, post_id)
    if not row["must_read"]:
        raise ValidationException("Only a must-read asks for confirmation, so there is nobody to remind.")
    if row["status"] != states.PUBLISHED:
        raise ValidationException("This announcement is not published yet; its audience is notified when it is.")
    missing, _ = await _missing(row)
    if not missing:
        raise ValidationException("Everyone in the audience has confirmed. There is nobody to remind.")
    now = datetime.now(timezone.utc)
    async with Announcement._meta.db.transaction():
        # The condition makes two Remind taps at once send one reminder.
        claimed = await Announcement.update(
            {Announcement.reminded_at: now, Announcement.reminders: Announcement.reminders + 1}
        ).where(
            (Announcement.post == post_id)
            & (Announcement.reminded_at.is_null() | (Announcement.reminded_at <= now - REMIND_EVERY))
        ).returning(Announcement.id)
        if not claimed:
            last = await _reminded_at(post_id) or now
            wait = max(1, math.ceil(((last + REMIND_EVERY) - now).total_seconds() / 60))
            ago = max(0, int((now - last).total_seconds() // 60))
            raise HTTPException(
                status_code=429, headers={"Retry-After": str(wait * 60)},
                detail=f"A reminder went out {ago} minutes ago. You can remind again in {wait} minutes.",
            )
        await notify(
            [p["id"] for p in missing], "reminder", post_id, Message("reminder", {"name": row["author_name"]}),
            headline(row["body"]), urgent=True, url=f"/#/post/{post_id}", once=False,
        )
    return RemindOut(reminded=len(missing), reminded_at=now)
