"""Response shapes of search."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

from server.posts.schemas import Author, PostOut

__all__ = ["Segment", "CommentHit", "SearchHit", "SearchPage"]


class Segment(msgspec.Struct):
    """A piece of the snippet; `hit` pieces are the matched words (render as <mark> via textContent)."""

    text: str
    hit: bool


class CommentHit(msgspec.Struct):
    id: int
    parent_id: int | None
    author: Author
    created_at: datetime


class SearchHit(msgspec.Struct):
    type: Literal["post", "comment"]
    post: PostOut  # for a comment: the post it is on
    comment: CommentHit | None
    snippet: list[Segment]


class SearchPage(msgspec.Struct):
    items: list[SearchHit]
    next_cursor: str | None
