"""Which posts a viewer may react to, comment on or find: published ones in their audience."""

from __future__ import annotations

import sqlite3

from litestar.exceptions import NotFoundException

from server.lib.guards import Viewer
from server.posts import states, visibility
from server.posts.tables import Post

__all__ = ["GONE", "published_post", "is_duplicate"]

GONE = "This post does not exist or was deleted."


async def published_post(viewer: Viewer, post_id: int) -> dict:
    """The post's id, author, body and audience, or a 404 when the viewer cannot see it."""
    row = await Post.select(Post.id, Post.author, Post.status, Post.body, Post.audience).where(Post.id == post_id).first()
    if row is None or row["status"] != states.PUBLISHED or not visibility.may_see(row, viewer):
        raise NotFoundException(GONE)
    return row


def is_duplicate(exc: BaseException) -> bool:
    """A unique-index violation: someone (or a double tap) wrote the same row first."""
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc)
    return type(exc).__name__ == "UniqueViolationError"  # asyncpg
