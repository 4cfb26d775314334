"""The SQL of one feed page: which posts, in their order, in a single statement.

A page has four parts (own unfinished posts, unconfirmed must-reads, pinned, the time-ordered
rest); as Piccolo queries, building each costs as much CPU as running it, and each is a round
trip (a thread hop on SQLite, a pool connection on PostgreSQL). So they are one UNION ALL of
plain SQL with `{}` placeholders (server.db.fetch runs it on both databases), each
part keeping its own ORDER BY and LIMIT.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from server.lib.guards import Viewer
from server.posts import states, visibility

__all__ = ["Where", "REST", "page_sql", "visible"]

# Every post listing's columns (posts.services.POST_COLUMNS), the author joined as Piccolo does.
_COLUMNS = (
    "posts.id, posts.kind, posts.body, posts.status, posts.error, posts.created_at, posts.published_at,"
    " posts.pinned_at, posts.pinned_until, posts.must_read, posts.publish_at, posts.audience,"
    " author.id AS author_id, author.name AS author_name, author.title AS author_title,"
    " author.department AS author_department"
)
_OWN, _UNCONFIRMED, _PINNED, REST = range(4)
MAX_ON_TOP = 20


@dataclass
class Where:
    """SQL conditions on `posts` joined by AND, with their arguments in placeholder order."""

    parts: list[str] = field(default_factory=list)
    args: list = field(default_factory=list)

    def add(self, sql: str, *args) -> Where:
        self.parts.append(sql)
        self.args.extend(args)
        return self

    def plus(self, other: Where) -> Where:
        return Where([*self.parts, *other.parts], [*self.args, *other.args])

    @property
    def sql(self) -> str:
        return " AND ".join(self.parts) or "1 = 1"


def _not_acknowledged_sql(viewer: Viewer) -> tuple[str, list]:
    """The viewer has not tapped "Got it" on this post (announcement_receipts)."""
    return (
        'NOT EXISTS (SELECT 1 FROM announcement_receipts r WHERE r.post = posts.id AND r."user" = {}'
        " AND r.acknowledged_at IS NOT NULL)",
        [viewer.id],
    )


def visible(viewer: Viewer) -> Where:
    """Posts the viewer may see (posts.visibility.visible_sql)."""
    sql, args = visibility.visible_sql(viewer)
    return Where().add(sql, *args)


def _ids(part: int, where: Where, order: str, limit: int) -> tuple[str, list]:
    # ORDER BY and LIMIT inside a UNION ALL member need a subquery around them on SQLite.
    inner = f"SELECT posts.id FROM posts WHERE {where.sql} ORDER BY {order} LIMIT {{}}"
    return f"SELECT {part} AS part, id FROM ({inner}) AS p{part}", [*where.args, limit]


def page_sql(
    viewer: Viewer, shown: Where, rest: Where, *, first: bool, own: bool, pins: bool, now: datetime, limit: int
) -> tuple[str, list]:
    """The statement for one page and its arguments; rows come out in the page's order.

    `shown` filters everything the feed shows (published, audience, kind, author, tag);
    `rest` adds what narrows the time-ordered part only (scope, not pinned, keyset cursor).
    Must-reads the viewer has not confirmed go on top of the first page and out of every
    page's rest (and pins), so none shows twice: the CTE names that set once for all parts.
    """
    not_acked, not_acked_args = _not_acknowledged_sql(viewer)
    unconfirmed = shown.plus(
        Where().add("posts.must_read = {}", True).add("posts.author <> {}", viewer.id).add(not_acked, *not_acked_args)
    )
    # id breaks ties so the set on top and the set kept out of the rest are the same posts.
    cte = (
        f"WITH unconfirmed AS (SELECT posts.id FROM posts WHERE {unconfirmed.sql}"
        " ORDER BY posts.published_at DESC, posts.id DESC LIMIT {})"
    )
    args: list = [*unconfirmed.args, MAX_ON_TOP]
    kept = shown.plus(Where().add("posts.id NOT IN (SELECT id FROM unconfirmed)"))
    members: list[tuple[str, list]] = []
    if first and own:
        mine = Where().add("posts.author = {}", viewer.id).add(
            "posts.status IN ({}, {}, {})", states.PROCESSING, states.FAILED, states.SCHEDULED
        )
        members.append(_ids(_OWN, mine, "posts.id DESC", 20))
    if first:
        members.append((f"SELECT {_UNCONFIRMED} AS part, id FROM unconfirmed", []))
    if first and pins:
        pinned = kept.plus(
            Where().add("posts.pinned_at IS NOT NULL AND (posts.pinned_until IS NULL OR posts.pinned_until > {})", now)
        )
        members.append(_ids(_PINNED, pinned, "posts.pinned_at DESC, posts.id DESC", 50))
    members.append(_ids(REST, kept.plus(rest), "posts.published_at DESC, posts.id DESC", limit + 1))
    for _, member_args in members:
        args += member_args
    union = " UNION ALL ".join(sql for sql, _ in members)
    # Each part in its own order: own posts newest id first, pins by pin time, the others by
    # publication time (a constant for the own part, whose posts may have none).
    sql = (
        f"{cte} SELECT chosen.part, {_COLUMNS} FROM ({union}) AS chosen"
        " JOIN posts ON posts.id = chosen.id LEFT JOIN users AS author ON author.id = posts.author"
        f" ORDER BY chosen.part, CASE WHEN chosen.part = {_PINNED} THEN posts.pinned_at"
        f" WHEN chosen.part = {_OWN} THEN NULL ELSE posts.published_at END DESC, posts.id DESC"
    )
    return sql, args

