"""Request and response shapes of posts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec

__all__ = ["NewPost", "PinIn", "Author", "PostOut"]


class NewPost(msgspec.Struct):
    body: str = ""
    upload_ids: Annotated[list[str], msgspec.Meta(max_length=20)] = []


class PinIn(msgspec.Struct):
    until: datetime | None = None


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
