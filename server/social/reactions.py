"""Reactions: a small fixed set, one of each kind per person and post."""

from __future__ import annotations

from litestar.exceptions import ValidationException

from server.lib.guards import Viewer
from server.lib.pagination import decode_cursor, encode_cursor
from server.posts.schemas import Author
from server.settings import get_settings
from server.social.access import is_duplicate, published_post
from server.social.schemas import ReactionSummary, Reactor, ReactorsPage
from server.social.tables import Reaction

__all__ = ["KINDS", "check_kind", "set_reaction", "summary", "counts_by_post", "reactors"]

# The PWA shows them as 👍 👏 🎉 💡; the API speaks in names.
KINDS = ("like", "clap", "party", "idea")


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValidationException(f"There is no reaction '{kind[:30]}'. Choose one of: {', '.join(KINDS)}.")
    return kind


async def set_reaction(viewer: Viewer, post_id: int, kind: str, on: bool) -> ReactionSummary:
    """Add or take back one reaction; doing either twice changes nothing."""
    check_kind(kind)
    await published_post(viewer, post_id)
    mine = (Reaction.post == post_id) & (Reaction.person == viewer.id) & (Reaction.kind == kind)
    if not on:
        await Reaction.delete().where(mine)
    elif not await Reaction.exists().where(mine):
        try:
            await Reaction.insert(Reaction(post=post_id, person=viewer.id, kind=kind))
        except Exception as exc:
            if not is_duplicate(exc):  # a double tap racing itself is still one reaction
                raise
    return await summary(post_id, viewer.id)


async def counts_by_post(post_ids: list[int]) -> dict[int, dict[str, int]]:
    """{post_id: {kind: count}} with every kind present, in one query."""
    from piccolo.query.functions.aggregate import Count

    result = {pid: dict.fromkeys(KINDS, 0) for pid in post_ids}
    if post_ids:
        rows = await Reaction.select(Reaction.post, Reaction.kind, Count(alias="n")).where(
            Reaction.post.is_in(post_ids)
        ).group_by(Reaction.post, Reaction.kind)
        for row in rows:
            if row["kind"] in KINDS:
                result[row["post"]][row["kind"]] = row["n"]
    return result


async def mine_by_post(post_ids: list[int], viewer_id: int) -> dict[int, list[str]]:
    result: dict[int, list[str]] = {pid: [] for pid in post_ids}
    if post_ids:
        rows = await Reaction.select(Reaction.post, Reaction.kind).where(
            Reaction.post.is_in(post_ids) & (Reaction.person == viewer_id)
        ).order_by(Reaction.id)
        for row in rows:
            result[row["post"]].append(row["kind"])
    return result


async def summary(post_id: int, viewer_id: int) -> ReactionSummary:
    return ReactionSummary(
        reactions=(await counts_by_post([post_id]))[post_id],
        my_reactions=(await mine_by_post([post_id], viewer_id))[post_id],
    )


async def reactors(viewer: Viewer, post_id: int, kind: str | None, cursor: str | None, limit: int) -> ReactorsPage:
    """Who reacted, newest first, optionally one kind only."""
    if kind:
        check_kind(kind)
    await published_post(viewer, post_id)
    query = Reaction.select(
        Reaction.id, Reaction.kind, Reaction.created_at, Reaction.person.id.as_alias("person_id"),
        Reaction.person.name.as_alias("name"), Reaction.person.title.as_alias("title"),
        Reaction.person.department.as_alias("department"),
    ).where(Reaction.post == post_id)
    if kind:
        query = query.where(Reaction.kind == kind)
    secret = get_settings().secret
    if cursor:
        (last_id,) = decode_cursor(cursor, secret, 1)
        if not isinstance(last_id, int):
            raise ValidationException("This page link is not valid any more. Please reload.")
        query = query.where(Reaction.id < last_id)
    rows = await query.order_by(Reaction.id, ascending=False).limit(limit + 1)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor([rows[-1]["id"]], secret)
    return ReactorsPage(
        reactions=(await counts_by_post([post_id]))[post_id],
        items=[
            Reactor(
                person=Author(id=r["person_id"], name=r["name"], title=r["title"], department=r["department"]),
                kind=r["kind"], created_at=r["created_at"],
            )
            for r in rows
        ],
        next_cursor=next_cursor,
    )
