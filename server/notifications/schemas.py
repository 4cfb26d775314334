"""Shapes of the notifications API."""

from __future__ import annotations

from datetime import datetime

import msgspec

from server.lib.ids import Id

__all__ = ["NotificationOut", "NotificationPage", "Preferences", "PreferencesPatch", "ReadIn", "Unread"]


class NotificationOut(msgspec.Struct):
    id: int
    kind: str
    post_id: int | None
    title: str
    body: str
    url: str
    image: str
    read: bool
    created_at: datetime


class NotificationPage(msgspec.Struct):
    items: list[NotificationOut]
    next_cursor: str | None
    unread: int


class Preferences(msgspec.Struct):
    follows: bool
    comments_mentions: bool
    announcements: bool
    quiet_hours: bool
    quiet_start: str
    quiet_end: str
    time_zone: str


class PreferencesPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Only the fields given change."""

    follows: bool | None = None
    comments_mentions: bool | None = None
    announcements: bool | None = None
    quiet_hours: bool | None = None
    quiet_start: str | None = None
    quiet_end: str | None = None
    time_zone: str | None = None


class ReadIn(msgspec.Struct, forbid_unknown_fields=True):
    """Mark everything read, or only what is not newer than `up_to` (what the person has seen)."""

    up_to: Id | None = None


class Unread(msgspec.Struct):
    unread: int
