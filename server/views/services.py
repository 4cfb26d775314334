"""Recording views: one upsert statement per batch, one row per (post, person).

The PWA collects what scrolled into view (and how far each video played) and sends it in
batches; a repeat report only raises the maxima, so sending twice is harmless.
"""

from __future__ import annotations

from datetime import datetime, timezone

from piccolo.querystring import QueryString

from server.db import is_postgres
from server.lib.guards import Viewer
from server.views.schemas import ViewItem
from server.views.tables import PostView

__all__ = ["record_views"]


def _merge(items: list[ViewItem]) -> dict[int, tuple[float, float | None]]:
    """One (watched, duration) per post: a statement cannot upsert the same row twice."""
    merged: dict[int, tuple[float, float | None]] = {}
    for item in items:
        # Milliseconds: the columns are REAL, and PostgreSQL's cannot hold a float below 1e-38.
        watched = round(item.watched_seconds or 0.0, 3)
        duration = item.duration
        if item.post_id in merged:
            old_watched, old_duration = merged[item.post_id]
            watched = max(watched, old_watched)
            duration = duration or old_duration
        merged[item.post_id] = (watched, duration)
    return merged


async def record_views(viewer: Viewer, items: list[ViewItem]) -> int:
    """Upsert the batch; posts that are gone or not published are skipped. Returns rows written."""
    merged = _merge(items)
    if not merged:
        return 0
    engine = PostView._meta.db
    pg = is_postgres(engine)
    now = datetime.now(timezone.utc)
    values, args = [], []
    for post_id, (watched, duration) in merged.items():
        share = round(min(watched / duration, 1.0), 6) if duration else None
        if pg:
            values.append("({}::integer, {}::float8, {}::float8, {}::float8)")
        else:
            values.append("({}, {}, {}, {})")
        args += [post_id, watched, duration, share]
    greatest = "GREATEST" if pg else "MAX"
    # PostgreSQL cannot infer a parameter's type inside INSERT … SELECT; SQLite needs no hints.
    cast_int, cast_time = ("::integer", "::timestamptz") if pg else ("", "")
    # SQLite's MAX(a, NULL) is NULL, so the NULLs are folded by COALESCE first.
    sql = f"""
        INSERT INTO post_views (post, person, seen, watched_seconds, duration, share, first_seen_at, last_seen_at)
        SELECT v.column1, {{}}{cast_int}, 1, v.column2, v.column3, v.column4, {{}}{cast_time}, {{}}{cast_time}
        FROM (VALUES {", ".join(values)}) AS v
        JOIN posts ON posts.id = v.column1 AND posts.status = 'published'
        WHERE true
        ON CONFLICT (post, person) DO UPDATE SET
            seen = post_views.seen + 1,
            watched_seconds = {greatest}(post_views.watched_seconds, excluded.watched_seconds),
            duration = COALESCE(excluded.duration, post_views.duration),
            share = {greatest}(COALESCE(post_views.share, excluded.share), COALESCE(excluded.share, post_views.share)),
            last_seen_at = excluded.last_seen_at
        RETURNING post
    """
    rows = await engine.run_querystring(QueryString(sql, viewer.id, now, now, *args))
    return len(rows)
