"""Who an announcement is for: everyone, some departments or some locations.

What the author chose is checked and stored here; whether a viewer is in it is the posts'
visibility rule (server/posts/visibility.py). Everyone means every active account, counted
when asked, so people who join later are in it too.
"""

from __future__ import annotations

from typing import Any

from litestar.exceptions import ValidationException

from server.accounts.tables import User
from server.lib.text import clean_text
from server.posts.visibility import EVERYONE, fold, matches, parse

__all__ = ["normalise", "targets", "members", "describe"]

MAX_NAMES = 50
_FIELD = {"departments": "department", "locations": "location"}


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


async def members(audience: Any, *, exclude: int | None = None) -> list[dict]:
    """Active people in the audience (id, name, title, department, location), sorted by name.

    Matched here rather than in SQL: SQLite's lower() only folds ASCII, and a company's
    people fit in memory.
    """
    rows = await User.select(User.id, User.name, User.title, User.department, User.location).where(
        User.disabled == False  # noqa: E712  (Piccolo builds SQL from ==)
    )
    audience = parse(audience)
    found = [r for r in rows if r["id"] != exclude and matches(audience, r["department"], r["location"])]
    return sorted(found, key=lambda r: (r["name"].casefold(), r["id"]))


def describe(audience: Any) -> str:
    """For the stats screen and logs: 'Everyone' or 'Sales, Support'."""
    audience = parse(audience)
    if audience.get("everyone"):
        return "Everyone"
    return ", ".join(audience.get("departments", []) or audience.get("locations", []))
