"""Who may see a post: published posts for everyone, announcements only for their audience.

Its author sees a post in any state, nobody else before it is published. Moderators moderate
the whole company, so they may open any published post whatever its audience (their feed is a
member's feed all the same); someone else's draft, failed or scheduled post stays its author's.
An announcement's `audience` JSON is what its author chose ({} on ordinary posts: everyone);
the casefolded `announcement_targets` rows let lists filter in SQL. Departments and locations
match without regard to case or repeated spaces. Posts, announcements, social, feed, search and
people all ask here, so the rule lives once, below all of them.
"""

from __future__ import annotations

import json
from typing import Any

from piccolo.query import WhereRaw

from server.lib.guards import Viewer
from server.posts.states import PUBLISHED

__all__ = ["EVERYONE", "fold", "parse", "matches", "in_audience", "may_see", "visible_sql", "visible_to"]

EVERYONE: dict[str, Any] = {"everyone": True}


def fold(value: str) -> str:
    return " ".join(value.split()).casefold()


def parse(audience: Any) -> dict[str, Any]:
    """A post's audience column as a dict; `{}` (ordinary posts) means everyone."""
    if isinstance(audience, str):
        audience = json.loads(audience or "{}")
    return audience or EVERYONE


def matches(audience: Any, department: str, location: str) -> bool:
    """Does a person of this department and location belong to the audience?"""
    audience = parse(audience)
    if audience.get("everyone"):
        return True
    return fold(department) in {fold(n) for n in audience.get("departments", [])} or fold(location) in {
        fold(n) for n in audience.get("locations", [])
    }


def in_audience(audience: Any, viewer: Viewer) -> bool:
    return matches(audience, viewer.department, viewer.location)


def may_see(row: dict, viewer: Viewer) -> bool:
    """A post's row (with `author_id` or `author`, `status` and `audience`): its author sees it in
    any state; once published, moderators whatever its audience, everyone else when they are in it."""
    if row.get("author_id", row.get("author")) == viewer.id:
        return True
    if row.get("status") != PUBLISHED:
        return False
    return viewer.at_least("moderator") or in_audience(row.get("audience"), viewer)


def visible_sql(viewer: Viewer) -> tuple[str, list]:
    """SQL on `posts` ({} placeholders) and its arguments: posts for everyone, the viewer's own,
    and those aimed at their department or location."""
    return (
        "(posts.author = {} OR NOT EXISTS (SELECT 1 FROM announcement_targets t WHERE t.post = posts.id)"
        " OR EXISTS (SELECT 1 FROM announcement_targets t WHERE t.post = posts.id"
        " AND ((t.field = 'department' AND t.value = {}) OR (t.field = 'location' AND t.value = {}))))",
        [viewer.id, fold(viewer.department), fold(viewer.location)],
    )


def visible_to(viewer: Viewer) -> WhereRaw:
    """visible_sql as a Piccolo where clause."""
    sql, args = visible_sql(viewer)
    return WhereRaw(sql, *args)
