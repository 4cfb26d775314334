"""Request and response shapes of reactions, comments, kudos and follows."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from server.lib.ids import Id
from server.posts.schemas import Author

__all__ = [
    "ReactionSummary", "Reactor", "ReactorsPage", "NewComment", "CommentPatch", "CommentOut", "CommentsPage",
    "KudosIn", "KudosOut", "FollowState",
]


class ReactionSummary(msgspec.Struct):
    reactions: dict[str, int]  # every kind, 0 included: {"like": 3, "clap": 0, ...}
    my_reactions: list[str]


class Reactor(msgspec.Struct):
    person: Author
    kind: str
    created_at: datetime


class ReactorsPage(msgspec.Struct):
    reactions: dict[str, int]
    items: list[Reactor]
    next_cursor: str | None


class NewComment(msgspec.Struct, forbid_unknown_fields=True):
    body: str
    # A reply to a reply attaches to the top-level comment: one level of replies.
    parent_id: Id | None = None


class CommentPatch(msgspec.Struct, forbid_unknown_fields=True):
    body: str


class CommentOut(msgspec.Struct):
    id: int
    post_id: int
    parent_id: int | None
    author: Author | None  # None for a deleted comment kept because it has replies
    body: str
    created_at: datetime
    edited: bool
    edited_at: datetime | None
    deleted: bool
    can_edit: bool
    can_delete: bool
    reply_count: int = 0
    replies: list[CommentOut] = []  # the first REPLIES_INLINE, oldest first; more with ?parent=


class CommentsPage(msgspec.Struct):
    items: list[CommentOut]
    next_cursor: str | None


class KudosIn(msgspec.Struct, forbid_unknown_fields=True):
    user_ids: Annotated[list[Id], msgspec.Meta(max_length=20)]


class KudosOut(msgspec.Struct):
    people: list[Author]


class FollowState(msgspec.Struct):
    following: bool
    followers: int
