"""Request and response shapes of posts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec

from server.lib.times import in_utc

__all__ = ["NewPost", "PinIn", "Author", "PostOut"]


class NewPost(msgspec.Struct, forbid_unknown_fields=True):
    body: str = ""
    # The service says "at most 20 photos" in words; this cap only bounds the request.
    upload_ids: Annotated[list[Annotated[str, msgspec.Meta(max_length=200)]], msgspec.Meta(max_length=100)] = []
    alt_texts: Annotated[list[str], msgspec.Meta(max_length=100)] = []


class PinIn(msgspec.Struct, forbid_unknown_fields=True):
    until: datetime | None = None

    def __post_init__(self) -> None:
        self.until = in_utc(self.until, "until")


class Author(msgspec.Struct):
    id: int
    name: str
    title: str
    department: str


class PostOut(msgspec.Struct):
    id: int
    kind: str
    body: str
    status: str
    error: str
    created_at: datetime
    published_at: datetime | None
    author: Author
    pinned: bool
    pinned_until: datetime | None
    must_read: bool
    media: list[dict[str, Any]]
    can_delete: bool
    can_pin: bool
    # Announcements: whether this one is, the viewer's own acknowledgement and video progress (0..1).
    announcement: bool = False
    acknowledged: bool = False
    watched: float = 0.0
    publish_at: datetime | None = None  # while scheduled
    can_see_stats: bool = False
    # Social (server/feed/cards.py fills these in for the viewer): counts per reaction kind
    # (like, clap, party, idea), the viewer's own reactions, comments, and who a kudos post thanks.
    reactions: dict[str, int] = {}
    my_reactions: list[str] = []
    comment_count: int = 0
    kudos: list[Author] = []
