"""Comments with one level of replies: write, list oldest first, edit your own, delete."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone

from litestar.exceptions import NotFoundException, PermissionDeniedException, ValidationException
from piccolo.query.functions.aggregate import Count

from server.accounts.names import name_mentions
from server.lib import budgets
from server.lib.guards import Viewer
from server.lib.pagination import decode_cursor, encode_cursor
from server.lib.text import clean_text
from server.notifications.messages import Message
from server.posts.schemas import Author
from server.settings import get_settings
from server.social import mentions, notify
from server.social.access import published_post
from server.social.parsing import plain_text
from server.social.schemas import CommentOut, CommentsPage
from server.social.tables import Comment

__all__ = [
    "MAX_COMMENT", "REPLIES_INLINE", "add_comment", "comment_out", "list_comments", "edit_comment", "delete_comment",
]

MAX_COMMENT = 2000
REPLIES_INLINE = 20
_NO_COMMENT = "This comment does not exist or was deleted."

_COLUMNS = (
    Comment.id, Comment.post, Comment.parent, Comment.body, Comment.created_at, Comment.edited_at, Comment.deleted,
    Comment.author.id.as_alias("author_id"), Comment.author.name.as_alias("author_name"),
    Comment.author.title.as_alias("author_title"), Comment.author.department.as_alias("author_department"),
)


def _out(row: dict, viewer: Viewer, replies: list[CommentOut] | None = None, reply_count: int = 0) -> CommentOut:
    own = row["author_id"] == viewer.id
    deleted = row["deleted"]
    return CommentOut(
        id=row["id"], post_id=row["post"], parent_id=row["parent"],
        author=None if deleted else Author(
            id=row["author_id"], name=row["author_name"], title=row["author_title"],
            department=row["author_department"],
        ),
        body="" if deleted else row["body"], created_at=row["created_at"],
        edited=row["edited_at"] is not None, edited_at=row["edited_at"], deleted=deleted,
        can_edit=own and not deleted, can_delete=not deleted and (own or viewer.at_least("moderator")),
        reply_count=reply_count, replies=replies or [],
    )


async def _body(text: str) -> str:
    return await name_mentions(clean_text(text, field="comment", max_length=MAX_COMMENT, multiline=True, required=True))


async def _load(comment_id: int) -> dict | None:
    return await Comment.select(*_COLUMNS).where(Comment.id == comment_id).first()


async def add_comment(
    viewer: Viewer, post_id: int, body: str, parent_id: int | None,
    on_insert: Callable[[int], Awaitable[None]] | None = None,
) -> CommentOut:
    """Comment on a published post, or reply; tells the post's author, the replied-to and the mentioned.

    `on_insert(comment_id)` runs in the inserting transaction (an Idempotency-Key is bound there).
    """
    post = await published_post(viewer, post_id)
    body = await _body(body)
    parent = None
    if parent_id is not None:
        parent = await Comment.select(Comment.id, Comment.post, Comment.parent, Comment.author).where(
            Comment.id == parent_id
        ).first()
        if parent is None or parent["post"] != post_id:
            raise ValidationException("The comment you are replying to does not exist any more.")
        if parent["parent"] is not None:
            parent = await Comment.select(Comment.id, Comment.post, Comment.parent, Comment.author).where(
                Comment.id == parent["parent"]
            ).first()
    named = await mentions.resolve(body, viewer.id)  # a new comment: everyone it names is new
    settings = get_settings()
    await budgets.spend(
        f"comments:{viewer.id}", 1, settings.comments_per_hour,
        f"You can write at most {budgets.counted(settings.comments_per_hour, 'comment')} an hour.",
    )
    await mentions.spend_budget(viewer.id, named)
    async with Comment._meta.db.transaction():
        rows = await Comment.insert(
            Comment(post=post_id, author=viewer.id, parent=parent["id"] if parent else None, body=body)
        ).returning(Comment.id)
        comment_id = rows[0]["id"]
        if on_insert:
            await on_insert(comment_id)

    mentioned = await mentions.record(post_id, comment_id, viewer.id, named)
    text = plain_text(body)[:200]
    await notify.send(mentioned, "mention", post_id, Message("mention", {"name": viewer.name}), text)
    told = set(mentioned) | {viewer.id}
    if parent and parent["author"] not in told:
        await notify.send([parent["author"]], "reply", post_id, Message("reply", {"name": viewer.name}), text)
        told.add(parent["author"])
    if post["author"] not in told:
        await notify.send([post["author"]], "comment", post_id, Message("comment", {"name": viewer.name}), text)
    return _out(await _load(comment_id), viewer)


async def comment_out(viewer: Viewer, comment_id: int) -> CommentOut:
    """One comment as its author's request answered it (an Idempotency-Key retry after a crash)."""
    row = await _load(comment_id)
    if row is None:
        raise NotFoundException(_NO_COMMENT)
    return _out(row, viewer)


async def list_comments(
    viewer: Viewer, post_id: int, *, cursor: str | None, limit: int, parent_id: int | None = None
) -> CommentsPage:
    """Top-level comments oldest first, each with its first replies; or one comment's replies."""
    await published_post(viewer, post_id)
    secret = get_settings().secret
    query = Comment.select(*_COLUMNS).where(Comment.post == post_id)
    query = query.where(Comment.parent.is_null() if parent_id is None else (Comment.parent == parent_id))
    if cursor:
        (last_id,) = decode_cursor(cursor, secret, 1)
        if not isinstance(last_id, int):
            raise ValidationException("This page link is not valid any more. Please reload.")
        query = query.where(Comment.id > last_id)
    rows = await query.order_by(Comment.id).limit(limit + 1)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor([rows[-1]["id"]], secret)
    if parent_id is not None:
        return CommentsPage(items=[_out(row, viewer) for row in rows], next_cursor=next_cursor)

    replies: dict[int, list[dict]] = defaultdict(list)
    totals: dict[int, int] = {}
    ids = [row["id"] for row in rows]
    if ids:
        for count in await Comment.select(Comment.parent, Count(alias="n")).where(
            Comment.parent.is_in(ids)
        ).group_by(Comment.parent):
            totals[count["parent"]] = count["n"]
        # Replies beyond the inline few are paged with ?parent=.
        threaded = [pid for pid in ids if totals.get(pid, 0)]
        if threaded:
            for reply in await Comment.select(*_COLUMNS).where(Comment.parent.is_in(threaded)).order_by(Comment.id):
                if len(replies[reply["parent"]]) < REPLIES_INLINE:
                    replies[reply["parent"]].append(reply)
    items = [
        _out(row, viewer, [_out(r, viewer) for r in replies[row["id"]]], totals.get(row["id"], 0))
        for row in rows
    ]
    return CommentsPage(items=items, next_cursor=next_cursor)


async def _own_or_moderator(viewer: Viewer, comment_id: int, *, moderators: bool) -> dict:
    row = await _load(comment_id)
    if row is None or row["deleted"]:
        raise NotFoundException(_NO_COMMENT)
    await published_post(viewer, row["post"])
    if row["author_id"] != viewer.id and not (moderators and viewer.at_least("moderator")):
        action = "delete" if moderators else "edit"
        who = "its author or a moderator" if moderators else "its author"
        raise PermissionDeniedException(f"Only {who} can {action} this comment.")
    return row


async def edit_comment(viewer: Viewer, comment_id: int, body: str) -> CommentOut:
    """Authors fix their own words (moderators remove, they do not rewrite)."""
    row = await _own_or_moderator(viewer, comment_id, moderators=False)
    body = await _body(body)
    if body != row["body"]:
        named = await mentions.resolve(body, viewer.id)
        # Only the people this edit adds are told, so only they cost (a 429 leaves the comment as it was).
        await mentions.spend_budget(viewer.id, await mentions.unrecorded(row["post"], comment_id, named))
        await Comment.update({Comment.body: body, Comment.edited_at: datetime.now(timezone.utc)}).where(
            Comment.id == comment_id
        )
        added = await mentions.record(row["post"], comment_id, viewer.id, named)
        await notify.send(added, "mention", row["post"], Message("mention", {"name": viewer.name}), plain_text(body)[:200])
    return _out(await _load(comment_id), viewer)


async def delete_comment(viewer: Viewer, comment_id: int) -> None:
    """Gone for good; a top-level comment with replies stays as a 'deleted' placeholder."""
    row = await _own_or_moderator(viewer, comment_id, moderators=True)
    if row["parent"] is None and await Comment.exists().where(Comment.parent == comment_id):
        await Comment.update({Comment.deleted: True, Comment.body: ""}).where(Comment.id == comment_id)
        return
    await Comment.delete().where(Comment.id == comment_id)
    if row["parent"] is not None:
        # The last reply under a deleted placeholder takes the placeholder with it.
        await Comment.delete().where(
            (Comment.id == row["parent"]) & (Comment.deleted == True)  # noqa: E712
            & Comment.id.not_in(Comment.select(Comment.parent).where(Comment.parent.is_not_null()))
        )
