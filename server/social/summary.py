"""What a post card shows around its post, for a whole page of posts in one statement.

Reaction counts per kind, the viewer's reactions, the comment count and who a kudos post thanks,
with the announcement flag and the viewer's receipt (acknowledged, share watched): one UNION
ALL keyed by post id, one row per fact (six queries before). Every list of posts — feed, tag
page, a person's posts and kudos, search, a single post — fills its cards here.
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
_NONE_INT, _NONE_TEXT, _NONE_REAL = "CAST(NULL AS INTEGER)", "CAST(NULL AS TEXT)", "CAST(NULL AS REAL)"
_FACTS = (
    # Reaction counts per kind.
    "SELECT post, 'reactions' AS what, kind, COUNT(*) AS n, {i} AS person, {t} AS name, {t} AS title, {t} AS department,"
    " {i} AS ord, {r} AS share FROM reactions WHERE post IN ({ids}) GROUP BY post, kind"
    # The viewer's own reactions, in the order given.
    " UNION ALL SELECT post, 'mine', kind, {i}, {i}, {t}, {t}, {t}, id, {r} FROM reactions WHERE post IN ({ids}) AND person = {{}}"
    # Visible comments and replies (deleted placeholders do not count).
    " UNION ALL SELECT post, 'comments', {t}, COUNT(*), {i}, {t}, {t}, {t}, {i}, {r} FROM comments"
    " WHERE post IN ({ids}) AND deleted = {{}} GROUP BY post"
    # Who the post thanks, in the order they were named.
    " UNION ALL SELECT kudos.post, 'kudos', {t}, {i}, person.id, person.name, person.title, person.department, kudos.id, {r}"
    " FROM kudos LEFT JOIN users AS person ON person.id = kudos.person WHERE kudos.post IN ({ids})"
    " UNION ALL SELECT post, 'announcement', {t}, {i}, {i}, {t}, {t}, {t}, {i}, {r} FROM announcements WHERE post IN ({ids})"
    # n is 1 when the viewer tapped "Got it".
    " UNION ALL SELECT post, 'receipt', {t}, CASE WHEN acknowledged_at IS NULL THEN 0 ELSE 1 END, {i}, {t}, {t}, {t}, {i}, watched"
    ' FROM announcement_receipts WHERE post IN ({ids}) AND "user" = {{}}'
    " ORDER BY ord"
)
_sql_for: dict[int, str] = {}


def _sql(count: int) -> str:
    """The statement for `count` posts (one text per page size, made once)."""
    if count not in _sql_for:
        ids = ", ".join(["{}"] * count)
        _sql_for[count] = _FACTS.format(ids=ids, i=_NONE_INT, t=_NONE_TEXT, r=_NONE_REAL)
    return _sql_for[count]


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
    facts = await fetch(Post, _sql(len(ids)), *ids, *ids, viewer.id, *ids, False, *ids, *ids, *ids, viewer.id)
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
