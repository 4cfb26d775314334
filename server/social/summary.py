"""What a post card shows about its social life, for a whole page of posts at once."""

from __future__ import annotations

from server.lib.guards import Viewer
from server.social import comments, kudos, reactions

__all__ = ["attach"]


async def attach(rows: list[dict], viewer: Viewer) -> list[dict]:
    """Add reactions (counts per kind), my_reactions, comment_count and kudos to each row."""
    ids = [row["id"] for row in rows]
    if not ids:
        return rows
    counts = await reactions.counts_by_post(ids)
    mine = await reactions.mine_by_post(ids, viewer.id)
    comment_counts = await comments.counts_by_post(ids)
    thanked = await kudos.people_by_post(ids)
    for row in rows:
        row["reactions"] = counts[row["id"]]
        row["my_reactions"] = mine[row["id"]]
        row["comment_count"] = comment_counts[row["id"]]
        row["kudos"] = thanked[row["id"]]
    return rows
