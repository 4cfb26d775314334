"""Mention tokens in what people write show the named person's current name, never a made-up one."""

from __future__ import annotations

from server.accounts.tables import User
from server.lib.text import mention_ids, with_names

__all__ = ["name_mentions"]


async def name_mentions(text: str) -> str:
    """`@[Anything](user:7)` becomes `@[Their Name](user:7)`; a token for nobody becomes plain text."""
    ids = mention_ids(text)
    if not ids:
        return text
    rows = await User.select(User.id, User.name).where(User.id.is_in(ids))
    return with_names(text, {row["id"]: row["name"] for row in rows})
