"""The people directory: find colleagues by name, department, location or expertise."""

from __future__ import annotations

import msgspec
from litestar import Controller, get
from litestar.exceptions import NotFoundException
from litestar.params import Parameter
from piccolo.columns.combination import WhereRaw

from server.accounts.schemas import Person
from server.accounts.services import person_out
from server.accounts.tables import User
from server.lib.pagination import decode_cursor, encode_cursor
from server.settings import get_settings

__all__ = ["PeopleController", "PeoplePage"]

_PUBLIC = (User.id, User.name, User.role, User.title, User.department, User.location, User.bio, User.expertise)


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
        q: str = Parameter(default="", max_length=100),
        cursor: str | None = Parameter(default=None, max_length=500),
        limit: int = Parameter(default=30, ge=1, le=100),
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
    async def profile(self, person_id: int) -> Person:
        row = await User.select(*_PUBLIC).where((User.id == person_id) & (User.disabled == False)).first()  # noqa: E712
        if row is None:
            raise NotFoundException("This person does not exist.")
        return person_out(row)
