"""What a post card shows around its post, for a whole page of posts in one statement.

Reaction counts per kind, the viewer's reactions, the comment count and who a kudos post thanks,
with the announcement flag and the viewer's receipt (acknowledged, share watched): one UNION
ALL keyed by post id, one row per fact. Every list of posts — feed, tag page, a person's posts
and kudos, search, a single post — fills its cards here.
"""

from __future__ import annotations

from server.db import fetch
from server.lib.guards import Viewer
from server.posts.schemas import Author
from server.posts.tables import Post
from server.social.reactions import KINDS

__all__ = ["attach"]

# Columns: post, what, kind, n, person, name, title, department, ord, share. NULLs are cast
# because PostgreSQL types a UNION pairwise, and two untyped NULLs would become text.
_COLUMNS = {"i": "CAST(NULL AS INTEGER)", "t": "CAST(NULL AS TEXT)", "r": "CAST(NULL AS REAL)"}
# Each part of the UNION with the arguments it takes after the page's post ids ({ids}); every
# {} is one argument (server/db.py's placeholder style).
_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # Reaction counts per kind.
    ("SELECT post, 'reactions' AS what, kind, COUNT(*) AS n, {i} AS person, {t} AS name, {t} AS title,"
     " {t} AS department, {i} AS ord, {r} AS share FROM reactions WHERE post IN ({ids}) GROUP BY post, kind", ()),
    # The viewer's own reactions, in the order given.
    ("SELECT post, 'mine', kind, {i}, {i}, {t}, {t}, {t}, id, {r} FROM reactions WHERE post IN ({ids})"
     " AND person = {{}}", ("viewer",)),
    # Visible comments and replies (deleted placeholders do not count).
    ("SELECT post, 'comments', {t}, COUNT(*), {i}, {t}, {t}, {t}, {i}, {r} FROM comments"
     " WHERE post IN ({ids}) AND deleted = {{}} GROUP BY post", ("false",)),
    # Who the post thanks, in the order they were named.
    ("SELECT kudos.post, 'kudos', {t}, {i}, person.id, person.name, person.title, person.department, kudos.id, {r}"
     " FROM kudos LEFT JOIN users AS person ON person.id = kudos.person WHERE kudos.post IN ({ids})", ()),
    ("SELECT post, 'announcement', {t}, {i}, {i}, {t}, {t}, {t}, {i}, {r} FROM announcements WHERE post IN ({ids})", ()),
    # n is 1 when the viewer tapped "Got it".
    ("SELECT post, 'receipt', {t}, CASE WHEN acknowledged_at IS NULL THEN 0 ELSE 1 END, {i}, {t}, {t}, {t}, {i}, watched"
     ' FROM announcement_receipts WHERE post IN ({ids}) AND "user" = {{}}', ("viewer",)),
)
_sql_for: dict[int, str] = {}


def _sql(count: int) -> str:
    """The statement for `count` posts (one text per page size, made once)."""
    if count not in _sql_for:
        ids = ", ".join(["{}"] * count)
        parts = [part.format(ids=ids, **_COLUMNS) for part, _ in _PARTS]
        _sql_for[count] = " UNION ALL ".join(parts) + " ORDER BY ord"
    return _sql_for[count]


def _args(ids: list[int], viewer: Viewer) -> list:
    named = {"viewer": viewer.id, "false": False}
    return [arg for _, extra in _PARTS for arg in (*ids, *(named[name] for name in extra))]


async def attach(rows: list[dict], viewer: Viewer) -> list[dict]:
    """Fill in reactions, my_reactions, comment_count, kudos, announcement, acknowledged and watched."""
    if not rows:
        return rows
    ids = [row["id"] for row in rows]
    by_id = {}
    for row in rows:
        row.update(reactions=dict.fromkeys(KINDS, 0), my_reactions=[], comment_count=0, kudos=[],
                   announcement=False, acknowledged=False, watched=0.0)
        by_id[row["id"]] = row
    facts = await fetch(Post, _sql(len(ids)), *_args(ids, viewer))
    for fact in facts:
        row, what = by_id[fact["post"]], fact["what"]
        if what == "reactions":
            if fact["kind"] in KINDS:
                row["reactions"][fact["kind"]] = fact["n"]
        elif what == "mine":
            row["my_reactions"].append(fact["kind"])
        elif what == "comments":
            row["comment_count"] = fact["n"]
        elif what == "kudos":
            row["kudos"].append(Author(id=fact["person"], name=fact["name"], title=fact["title"], department=fact["department"]))
        elif what == "announcement":
            row["announcement"] = True
        else:
            row["acknowledged"] = bool(fact["n"])
            row["watched"] = round(fact["share"], 3)
    return rows
