"""Which posts a viewer may react to, comment on or find: published ones in their audience."""

from __future__ import annotations

import sqlite3

from litestar.exceptions import NotFoundException

from server.announcements import audience
from server.lib.guards import Viewer
from server.posts import states
from server.posts.tables import Post

__all__ = ["GONE", "published_post", "in_audience", "is_duplicate"]

GONE = "This post does not exist or was deleted."


def in_audience(row: dict, viewer: Viewer) -> bool:
    """Announcements may target a part of the company; everything else is for everyone."""
    if row.get("author_id", row.get("author")) == viewer.id or viewer.at_least("moderator"):
        return True
    return audience.in_audience(row.get("audience"), viewer)


async def published_post(viewer: Viewer, post_id: int) -> dict:
    """The post's id, author, body and audience, or a 404 when the viewer cannot see it."""
    row = await Post.select(Post.id, Post.author, Post.status, Post.body, Post.audience).where(Post.id == post_id).first()
    if row is None or row["status"] != states.PUBLISHED or not in_audience(row, viewer):
        raise NotFoundException(GONE)
    return row


def is_duplicate(exc: BaseException) -> bool:
    """A unique-index violation: someone (or a double tap) wrote the same row first."""
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc)
    return type(exc).__name__ == "UniqueViolationError"  # asyncpg
