"""Profiles: a person's counts, the posts that thank them, and who follows whom."""

from __future__ import annotations

from litestar.exceptions import NotFoundException, ValidationException

from server.accounts.schemas import Person
from server.accounts.organisation import manager_of
from server.accounts.services import person_out
from server.accounts.tables import User
from server.lib.guards import Viewer
from server.people.schemas import Profile
from server.lib.pagination import decode_cursor, encode_cursor
from server.posts import states, visibility
from server.posts.services import POST_COLUMNS, with_media
from server.posts.tables import Post
from server.settings import get_settings
from server.feed import cards
from server.social import follows
from server.social.tables import Follow, Kudos

__all__ = ["PUBLIC", "profile", "kudos_received", "follow_list"]

PUBLIC = (User.id, User.name, User.role, User.title, User.department, User.location, User.bio, User.expertise)
_BAD = "This page link is not valid any more. Please reload."


async def _person(person_id: int) -> dict:
    active = (User.id == person_id) & (User.disabled == False)  # noqa: E712
    row = await User.select(*PUBLIC, User.manager).where(active).first()
    if row is None:
        raise NotFoundException("This person does not exist.")
    return row


def _last_id(cursor: str | None) -> int | None:
    if not cursor:
        return None
    (last,) = decode_cursor(cursor, get_settings().secret, 1)
    if not isinstance(last, int):
        raise ValidationException(_BAD)
    return last


def _kudos_published(person_id: int):
    return (Kudos.person == person_id) & (Kudos.post.status == states.PUBLISHED)


async def profile(viewer: Viewer, person_id: int) -> Profile:
    row = await _person(person_id)
    manager = await manager_of(row)
    followers, following = await follows.counts(person_id)
    base = person_out(row)
    return Profile(
        **{f: getattr(base, f) for f in base.__struct_fields__},
        followers=followers, following=following,
        is_following=await follows.is_following(viewer.id, person_id),
        kudos=await Kudos.count().where(_kudos_published(person_id)),
        is_me=person_id == viewer.id, manager=manager,
    )


async def _newest_first(query, id_column, cursor: str | None, limit: int) -> tuple[list[dict], str | None]:
    """One keyset page of `query` by descending id, and the cursor of the next page."""
    last = _last_id(cursor)
    if last is not None:
        query = query.where(id_column < last)
    rows = await query.order_by(id_column, ascending=False).limit(limit + 1)
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor([rows[-1]["id"]], get_settings().secret)


async def kudos_received(viewer: Viewer, person_id: int, cursor: str | None, limit: int) -> tuple[list[dict], str | None]:
    """Published posts that thank this person, most recent kudos first."""
    await _person(person_id)
    query = Kudos.select(Kudos.id, Kudos.post).where(_kudos_published(person_id))
    links, next_cursor = await _newest_first(query, Kudos.id, cursor, limit)
    order = [link["post"] for link in links]
    rows = await Post.select(*POST_COLUMNS).where(Post.id.is_in(order or [0]))
    by_id = {row["id"]: row for row in rows if visibility.may_see(row, viewer)}
    rows = [by_id[pid] for pid in order if pid in by_id]
    return await cards.attach(await with_media(rows), viewer), next_cursor


async def follow_list(person_id: int, direction: str, cursor: str | None, limit: int) -> tuple[list[Person], str | None]:
    """Who follows this person ("followers") or whom they follow ("following"), latest first."""
    await _person(person_id)
    mine, other = (Follow.followee, Follow.follower) if direction == "followers" else (Follow.follower, Follow.followee)
    query = Follow.select(Follow.id, other.as_alias("person_id")).where((mine == person_id) & (other.disabled == False))  # noqa: E712
    links, next_cursor = await _newest_first(query, Follow.id, cursor, limit)
    ids = [link["person_id"] for link in links]
    people = {r["id"]: r for r in await User.select(*PUBLIC).where(User.id.is_in(ids or [0]))}
    return [person_out(people[pid]) for pid in ids if pid in people], next_cursor
