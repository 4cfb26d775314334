"""Each person's progress on an announcement: the share of its video watched and the "Got it"."""

from __future__ import annotations

from datetime import datetime, timezone

from server.announcements.tables import Receipt

__all__ = ["started", "record_watched", "watched", "acknowledge", "acknowledged", "acknowledged_ids"]


async def _ensure(post_id: int, user_id: int) -> None:
    await Receipt.insert(Receipt(post=post_id, user=user_id)).on_conflict(
        target=(Receipt.post, Receipt.user), action="DO NOTHING"
    )


async def started(post_id: int, user_id: int, now: datetime) -> datetime:
    """When the viewer's first progress report came (this one's `now` if it is the first)."""
    await _ensure(post_id, user_id)
    await Receipt.update({Receipt.started_at: now}).where(
        (Receipt.post == post_id) & (Receipt.user == user_id) & Receipt.started_at.is_null()
    )
    row = await Receipt.select(Receipt.started_at).where((Receipt.post == post_id) & (Receipt.user == user_id)).first()
    return row["started_at"]


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


async def acknowledged(post_id: int, user_id: int) -> bool:
    return await Receipt.exists().where(
        (Receipt.post == post_id) & (Receipt.user == user_id) & Receipt.acknowledged_at.is_not_null()
    )


async def acknowledged_ids(post_id: int) -> set[int]:
    rows = await Receipt.select(Receipt.user).where((Receipt.post == post_id) & Receipt.acknowledged_at.is_not_null())
    return {r["user"] for r in rows}
