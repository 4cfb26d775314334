"""Who an announcement is for: everyone, some departments or some locations.

A post's `audience` JSON is what the author chose (for display); the casefolded targets rows
let the feed filter in SQL. Departments and locations are free text in profiles, so names
match without regard to case or repeated spaces. Everyone means every active account,
counted when asked, so people who join later are in it too.
"""

from __future__ import annotations

import json
from typing import Any

from litestar.exceptions import ValidationException
from piccolo.query import WhereRaw

from server.accounts.tables import User
from server.lib.text import clean_text

__all__ = ["EVERYONE", "fold", "normalise", "targets", "in_audience", "members", "visible_sql", "visible_to", "parse", "describe"]

EVERYONE: dict[str, Any] = {"everyone": True}
MAX_NAMES = 50
_FIELD = {"departments": "department", "locations": "location"}


def fold(value: str) -> str:
    return " ".join(value.split()).casefold()


def parse(audience: Any) -> dict[str, Any]:
    """A post's audience column as a dict; `{}` (ordinary posts) means everyone."""
    if isinstance(audience, str):
        audience = json.loads(audience or "{}")
    return audience or EVERYONE


def normalise(everyone: bool, departments: list[str], locations: list[str]) -> dict[str, Any]:
    """The author's choice, checked, as stored on the post: exactly one of the three."""
    chosen = [name for name, on in (("everyone", everyone), ("departments", departments), ("locations", locations)) if on]
    if not chosen:
        raise ValidationException("Choose who should see this announcement: everyone, departments or locations.")
    if len(chosen) > 1:
        raise ValidationException("Choose one audience: everyone, some departments or some locations, not several.")
    kind = chosen[0]
    if kind == "everyone":
        return dict(EVERYONE)
    names = departments or locations
    if len(names) > MAX_NAMES:
        raise ValidationException(f"Choose at most {MAX_NAMES} {kind}.")
    kept: dict[str, str] = {}
    for name in names:
        name = clean_text(name, field=_FIELD[kind], max_length=100)
        if name and fold(name) not in kept:
            kept[fold(name)] = " ".join(name.split())
    if not kept:
        raise ValidationException(f"Name at least one of the {kind}.")
    return {kind: list(kept.values())}


def targets(audience: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, casefolded value) rows for the targets table; none for everyone."""
    return [(_FIELD[kind], fold(name)) for kind in _FIELD for name in audience.get(kind, [])]


def _matches(audience: dict[str, Any], department: str, location: str) -> bool:
    audience = parse(audience)
    if audience.get("everyone"):
        return True
    return fold(department) in {fold(n) for n in audience.get("departments", [])} or fold(location) in {
        fold(n) for n in audience.get("locations", [])
    }


def in_audience(audience: Any, viewer) -> bool:
    return _matches(audience, viewer.department, viewer.location)


async def members(audience: Any, *, exclude: int | None = None) -> list[dict]:
    """Active people in the audience (id, name, title, department, location), sorted by name.

    Matched here rather than in SQL: SQLite's lower() only folds ASCII, and a company's
    people fit in memory.
    """
    rows = await User.select(User.id, User.name, User.title, User.department, User.location).where(
        User.disabled == False  # noqa: E712  (Piccolo builds SQL from ==)
    )
    audience = parse(audience)
    found = [r for r in rows if r["id"] != exclude and _matches(audience, r["department"], r["location"])]
    return sorted(found, key=lambda r: (r["name"].casefold(), r["id"]))


def visible_sql(viewer) -> tuple[str, list]:
    """SQL on `posts` ({} placeholders) and its arguments: posts for everyone, the viewer's own,
    and those aimed at their department or location."""
    return (
        "(posts.author = {} OR NOT EXISTS (SELECT 1 FROM announcement_targets t WHERE t.post = posts.id)"
        " OR EXISTS (SELECT 1 FROM announcement_targets t WHERE t.post = posts.id"
        " AND ((t.field = 'department' AND t.value = {}) OR (t.field = 'location' AND t.value = {}))))",
        [viewer.id, fold(viewer.department), fold(viewer.location)],
    )


def visible_to(viewer) -> WhereRaw:
    """visible_sql as a Piccolo where clause."""
    sql, args = visible_sql(viewer)
    return WhereRaw(sql, *args)


def describe(audience: Any) -> str:
    """For the stats screen and logs: 'Everyone' or 'Sales, Support'."""
    audience = parse(audience)
    if audience.get("everyone"):
        return "Everyone"
    return ", ".join(audience.get("departments", []) or audience.get("locations", []))
