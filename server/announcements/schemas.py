"""Request and response shapes of announcements."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from server.lib.times import in_utc

__all__ = ["AudienceIn", "NewAnnouncement", "ProgressIn", "ProgressOut", "Person", "StatsOut", "RemindOut", "Audiences"]

_Name = Annotated[str, msgspec.Meta(max_length=200)]


class AudienceIn(msgspec.Struct, forbid_unknown_fields=True):
    everyone: bool = False
    departments: Annotated[list[_Name], msgspec.Meta(max_length=200)] = []
    locations: Annotated[list[_Name], msgspec.Meta(max_length=200)] = []


class NewAnnouncement(msgspec.Struct, forbid_unknown_fields=True):
    body: str = ""
    upload_ids: Annotated[list[Annotated[str, msgspec.Meta(max_length=200)]], msgspec.Meta(max_length=100)] = []
    alt_texts: Annotated[list[str], msgspec.Meta(max_length=100)] = []
    pinned: bool = False
    pinned_until: datetime | None = None
    must_read: bool = False
    audience: AudienceIn = msgspec.field(default_factory=lambda: AudienceIn(everyone=True))
    # Absent: publish now. With a time zone; a time already past is refused (see services).
    publish_at: datetime | None = None

    def __post_init__(self) -> None:
        self.pinned_until = in_utc(self.pinned_until, "pinned_until")
        self.publish_at = in_utc(self.publish_at, "publish_at")


class ProgressIn(msgspec.Struct, forbid_unknown_fields=True):
    """How far the viewer got in the video: seconds played up to, or a share of 0..1."""

    watched_seconds: Annotated[float, msgspec.Meta(ge=0)] | None = None
    fraction: Annotated[float, msgspec.Meta(ge=0, le=1)] | None = None


class ProgressOut(msgspec.Struct):
    watched: float
    can_acknowledge: bool


class Person(msgspec.Struct):
    id: int
    name: str
    title: str
    department: str
    location: str


class StatsOut(msgspec.Struct):
    post_id: int
    status: str
    must_read: bool
    audience: str  # "Everyone" or the departments / locations chosen
    audience_size: int  # active people in the audience now, the author not counted
    acknowledged: int
    reminded_at: datetime | None
    next_reminder_at: datetime | None  # when Remind may be used again (None: now)
    not_acknowledged: list[Person]
    next_cursor: str | None


class RemindOut(msgspec.Struct):
    reminded: int
    reminded_at: datetime


class Audiences(msgspec.Struct):
    """The departments and locations people have in their profiles, for the composer's choices."""

    everyone: int
    departments: list[dict[str, str | int]]
    locations: list[dict[str, str | int]]
