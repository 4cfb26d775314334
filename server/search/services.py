"""Full-text search over published posts and their comments, best matches first.

SQLite ranks with FTS5's bm25, PostgreSQL with ts_rank over the generated tsvector (see the
search migration). Posts and comments are ranked separately and merged by score; pages are
offsets into that merged ranking, carried in a signed cursor.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar.exceptions import ValidationException
from piccolo.querystring import QueryString

from server.db import is_postgres
from server.lib.guards import Viewer
from server.lib.pagination import decode_cursor, encode_cursor
from server.posts import states, visibility
from server.posts.schemas import Author
from server.posts.services import POST_COLUMNS, post_out, with_media
from server.posts.tables import Post
from server.search import terms
from server.search.schemas import CommentHit, SearchHit, SearchPage, Segment
from server.settings import get_settings
from server.feed import cards
from server.social.parsing import plain_text
from server.social.tables import Comment

__all__ = ["search", "MAX_DEPTH"]

MAX_DEPTH = 500  # results a person can page through; refine the words beyond that
_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use marks around matches, never in real text
_BAD = "This page link is not valid any more. Please search again."


@dataclass
class _Hit:
    kind: str
    id: int
    post_id: int
    score: float  # higher is better on both engines
    snippet: str


def _sqlite_sql(table: str, post_column: str, extra: str) -> str:
    fts = f"{table}_fts"
    return f"""
        SELECT t.id AS id, {post_column} AS post_id, -bm25({fts}) AS score,
               snippet({fts}, 0, char(57344), char(57345), '…', 20) AS snippet
        FROM {fts} JOIN {table} t ON t.id = {fts}.rowid {extra}
        WHERE {fts} MATCH {{}} AND p.status = 'published'
        ORDER BY score DESC, t.id DESC LIMIT {{}}
    """


def _postgres_sql(table: str, post_column: str, extra: str) -> str:
    # One passage of 15-35 words around the best match (fragments would cut short texts to the word).
    options = f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords=35, MinWords=15"
    return f"""
        SELECT t.id AS id, {post_column} AS post_id, ts_rank(t.search, q) AS score,
               ts_headline('simple', t.body, q, '{options}') AS snippet
        FROM {table} t {extra}, to_tsquery('simple', {{}}) q
        WHERE t.search @@ q AND p.status = 'published'
        ORDER BY score DESC, t.id DESC LIMIT {{}}
    """


async def _hits(kind: str, query: str, pg: bool, limit: int) -> list[_Hit]:
    if kind == "post":
        table, post_column, extra = "posts", "t.id", "JOIN posts p ON p.id = t.id"
    else:
        table, post_column, extra = "comments", "t.post", "JOIN posts p ON p.id = t.post"
    sql = (_postgres_sql if pg else _sqlite_sql)(table, post_column, extra)
    rows = await Post._meta.db.run_querystring(QueryString(sql, query, limit))
    return [_Hit(kind, r["id"], r["post_id"], float(r["score"]), r["snippet"] or "") for r in rows]


def _segments(snippet: str) -> list[Segment]:
    """'a \ue000b\ue001 c' → [a ][b*][ c], mention tokens shown as @Name."""
    out, hit, text = [], False, plain_text(snippet)
    for piece in text.replace(_CLOSE, _OPEN).split(_OPEN):
        if piece:
            out.append(Segment(text=piece, hit=hit))
        hit = not hit
    return out


async def search(viewer: Viewer, q: str, cursor: str | None, limit: int) -> SearchPage:
    offset = 0
    if cursor:
        (offset,) = decode_cursor(cursor, get_settings().secret, 1)
        if not isinstance(offset, int) or not 0 <= offset <= MAX_DEPTH:
            raise ValidationException(_BAD)
    words = terms.words(q)
    if not words:
        return SearchPage(items=[], next_cursor=None)
    pg = is_postgres(Post._meta.db)
    query = terms.tsquery(words) if pg else terms.fts5_query(words)
    depth = offset + limit + 1
    merged = sorted(
        await _hits("post", query, pg, depth) + await _hits("comment", query, pg, depth),
        key=lambda h: (-h.score, h.kind, -h.id),
    )
    page = merged[offset:offset + limit]
    more = len(merged) > offset + limit and offset + limit < MAX_DEPTH
    next_cursor = encode_cursor([offset + limit], get_settings().secret) if more else None
    return SearchPage(items=await _items(viewer, page), next_cursor=next_cursor)


async def _items(viewer: Viewer, page: list[_Hit]) -> list[SearchHit]:
    """The posts and comments of a page, minus anything the viewer may not see."""
    post_ids = list({h.post_id for h in page})
    rows = await Post.select(*POST_COLUMNS).where(Post.id.is_in(post_ids or [0]) & (Post.status == states.PUBLISHED))
    rows = [row for row in rows if visibility.may_see(row, viewer)]
    rows = await cards.attach(await with_media(rows), viewer)
    posts = {row["id"]: post_out(row, viewer) for row in rows}
    comment_ids = [h.id for h in page if h.kind == "comment"]
    comments = {}
    if comment_ids:
        for c in await Comment.select(
            Comment.id, Comment.parent, Comment.created_at, Comment.deleted,
            Comment.author.id.as_alias("author_id"), Comment.author.name.as_alias("author_name"),
            Comment.author.title.as_alias("author_title"), Comment.author.department.as_alias("author_department"),
        ).where(Comment.id.is_in(comment_ids)):
            if not c["deleted"]:
                comments[c["id"]] = CommentHit(
                    id=c["id"], parent_id=c["parent"], created_at=c["created_at"],
                    author=Author(id=c["author_id"], name=c["author_name"], title=c["author_title"],
                                  department=c["author_department"]),
                )
    items = []
    for hit in page:
        if hit.post_id not in posts or (hit.kind == "comment" and hit.id not in comments):
            continue
        items.append(SearchHit(
            type=hit.kind, post=posts[hit.post_id], comment=comments.get(hit.id) if hit.kind == "comment" else None,
            snippet=_segments(hit.snippet),
        ))
    return items
