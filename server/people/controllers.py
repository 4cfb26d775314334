"""The people directory and profiles: find colleagues, follow them, see their posts and kudos."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, delete, get, put
from litestar.params import QueryParameter
from piccolo.columns.combination import WhereRaw

from server.accounts.schemas import Person
from server.accounts.services import person_out
from server.accounts.tables import User
from server.feed.controllers import FeedPage
from server.feed.services import feed_page
from server.lib.guards import viewer_of
from server.lib.ids import PathId
from server.lib.pagination import Cursor, decode_cursor, encode_cursor
from server.people import services
from server.people.schemas import Profile
from server.posts.services import post_out
from server.settings import get_settings
from server.social import follows
from server.social.schemas import FollowState

__all__ = ["PeopleController", "PeoplePage"]

_PUBLIC = services.PUBLIC


class PeoplePage(msgspec.Struct):
    items: list[Person]
    next_cursor: str | None


def _like(text: str) -> str:
    # LIKE wildcards typed by a person are literal characters, not patterns.
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _matches(text: str) -> WhereRaw:
    """Case-insensitive substring match on the searchable fields, the same on both databases."""
    fields = ("name", "title", "department", "location", "expertise")
    sql = " OR ".join(f"LOWER(CAST({f} AS TEXT)) LIKE {{}} ESCAPE '\\'" for f in fields)
    return WhereRaw(f"({sql})", *[_like(text)] * len(fields))


class PeopleController(Controller):
    path = "/api/people"
    tags = ["people"]

    @get(operation_id="listPeople")
    async def directory(
        self,
        q: Annotated[str, QueryParameter(max_length=100)] = "",
        cursor: Cursor = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 30,
    ) -> PeoplePage:
        """Colleagues in name order; `q` matches name, job title, department, location, expertise."""
        query = User.select(*_PUBLIC).where(User.disabled == False)  # noqa: E712
        if q.strip():
            query = query.where(_matches(q.strip().lower()))
        if cursor:
            name, last_id = decode_cursor(cursor, get_settings().secret, 2)
            query = query.where((User.name > name) | ((User.name == name) & (User.id > last_id)))
        rows = await query.order_by(User.name, User.id).limit(limit + 1)
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            next_cursor = encode_cursor([rows[-1]["name"], rows[-1]["id"]], get_settings().secret)
        return PeoplePage(items=[person_out(r) for r in rows], next_cursor=next_cursor)

    @get("/{person_id:int}", operation_id="getPerson")
    async def profile(self, request: Request, person_id: PathId) -> Profile:
        """The person, their follower counts, whether I follow them and how many kudos they got."""
        return await services.profile(viewer_of(request), person_id)

    @put("/{person_id:int}/follow", operation_id="followPerson")
    async def follow(self, request: Request, person_id: PathId) -> FollowState:
        """Their posts come into my "Following" feed; following twice is still once."""
        await follows.follow(viewer_of(request), person_id)
        return FollowState(following=True, followers=(await follows.counts(person_id))[0])

    @delete("/{person_id:int}/follow", operation_id="unfollowPerson", status_code=200)
    async def unfollow(self, request: Request, person_id: PathId) -> FollowState:
        await follows.unfollow(viewer_of(request), person_id)
        return FollowState(following=False, followers=(await follows.counts(person_id))[0])

    @get("/{person_id:int}/followers", operation_id="listFollowers")
    async def followers(
        self, person_id: PathId, cursor: Cursor = None, limit: Annotated[int, QueryParameter(ge=1, le=100)] = 30
    ) -> PeoplePage:
        items, next_cursor = await services.follow_list(person_id, "followers", cursor, limit)
        return PeoplePage(items=items, next_cursor=next_cursor)

    @get("/{person_id:int}/following", operation_id="listFollowing")
    async def following(
        self, person_id: PathId, cursor: Cursor = None, limit: Annotated[int, QueryParameter(ge=1, le=100)] = 30
    ) -> PeoplePage:
        items, next_cursor = await services.follow_list(person_id, "following", cursor, limit)
        return PeoplePage(items=items, next_cursor=next_cursor)

    @get("/{person_id:int}/kudos", operation_id="listKudosReceived")
    async def kudos(
        self, request: Request, person_id: PathId, cursor: Cursor = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    ) -> FeedPage:
        """Posts that thank this person, latest kudos first."""
        viewer = viewer_of(request)
        rows, next_cursor = await services.kudos_received(viewer, person_id, cursor, limit)
        return FeedPage(items=[post_out(row, viewer) for row in rows], next_cursor=next_cursor)

    @get("/{person_id:int}/posts", operation_id="listPersonPosts")
    async def posts(
        self, request: Request, person_id: PathId, cursor: Cursor = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    ) -> FeedPage:
        """Their published posts, newest first (their pinned ones on top): the feed with author=."""
        viewer = viewer_of(request)
        rows, next_cursor = await feed_page(viewer, cursor=cursor, limit=limit, author=person_id)
        return FeedPage(items=[post_out(row, viewer) for row in rows], next_cursor=next_cursor)
