"""Each person's progress on an announcement: the share of its video watched and the "Got it"."""

from __future__ import annotations

from datetime import datetime, timezone

from piccolo.query import WhereRaw

from server.announcements.tables import Announcement, Receipt

__all__ = ["attach", "not_acknowledged_sql", "not_acknowledged_by", "record_watched", "watched", "acknowledge", "acknowledged_ids"]


async def attach(rows: list[dict], viewer) -> list[dict]:
    """Mark each post row as announcement or not, with the viewer's receipt, in two queries."""
    ids = [row["id"] for row in rows]
    if not ids:
        return rows
    announced = {r["post"] for r in await Announcement.select(Announcement.post).where(Announcement.post.is_in(ids))}
    mine = {
        r["post"]: r
        for r in await Receipt.select(Receipt.post, Receipt.watched, Receipt.acknowledged_at).where(
            Receipt.post.is_in(ids) & (Receipt.user == viewer.id)
        )
    }
    for row in rows:
        receipt = mine.get(row["id"])
        row["announcement"] = row["id"] in announced
        row["acknowledged"] = bool(receipt and receipt["acknowledged_at"])
        row["watched"] = round(receipt["watched"], 3) if receipt else 0.0
    return rows


def not_acknowledged_sql(viewer) -> tuple[str, list]:
    """SQL on `posts` ({} placeholders) and its arguments: the viewer has not tapped "Got it" on this post."""
    return (
        'NOT EXISTS (SELECT 1 FROM announcement_receipts r WHERE r.post = posts.id AND r."user" = {}'
        " AND r.acknowledged_at IS NOT NULL)",
        [viewer.id],
    )


def not_acknowledged_by(viewer) -> WhereRaw:
    """not_acknowledged_sql as a Piccolo where clause."""
    sql, args = not_acknowledged_sql(viewer)
    return WhereRaw(sql, *args)


async def _ensure(post_id: int, user_id: int) -> None:
    await Receipt.insert(Receipt(post=post_id, user=user_id)).on_conflict(
        target=(Receipt.post, Receipt.user), action="DO NOTHING"
    )


async def record_watched(post_id: int, user_id: int, share: float) -> float:
    """Keep the largest share reported (seeking back does not undo watching); returns it."""
    await _ensure(post_id, user_id)
    await Receipt.update({Receipt.watched: share, Receipt.updated_at: datetime.now(timezone.utc)}).where(
        (Receipt.post == post_id) & (Receipt.user == user_id) & (Receipt.watched < share)
    )
    row = await Receipt.select(Receipt.watched).where((Receipt.post == post_id) & (Receipt.user == user_id)).first()
    return row["watched"]


async def watched(post_id: int, user_id: int) -> float:
    row = await Receipt.select(Receipt.watched).where((Receipt.post == post_id) & (Receipt.user == user_id)).first()
    return row["watched"] if row else 0.0


async def acknowledge(post_id: int, user_id: int) -> None:
    """Record the "Got it" once; the first time counts."""
    await _ensure(post_id, user_id)
    now = datetime.now(timezone.utc)
    await Receipt.update({Receipt.acknowledged_at: now, Receipt.updated_at: now}).where(
        (Receipt.post == post_id) & (Receipt.user == user_id) & Receipt.acknowledged_at.is_null()
    )


async def acknowledged_ids(post_id: int) -> set[int]:
    rows = await Receipt.select(Receipt.user).where((Receipt.post == post_id) & Receipt.acknowledged_at.is_not_null())
    return {r["user"] for r in rows}
