"""@mentions: who a text names, recorded once per post or comment so each person is told once."""

from __future__ import annotations

from collections import defaultdict

from server.accounts.tables import User
from server.lib import budgets
from server.settings import get_settings
from server.social.access import is_duplicate
from server.social.parsing import MAX_MENTIONS, mention_ids, name_key, plain_mentions
from server.social.tables import Mention

__all__ = ["resolve", "spend_budget", "unrecorded", "record", "mentioned_in"]


async def resolve(text: str, author_id: int) -> list[int]:
    """Active colleagues the text mentions (not the author); unknown or ambiguous names are plain text."""
    found = mention_ids(text)
    if found:
        rows = await User.select(User.id).where(User.id.is_in(found) & (User.disabled == False))  # noqa: E712
        active = {row["id"] for row in rows}
        found = [uid for uid in found if uid in active]
    words = plain_mentions(text)
    if words:
        # One small query of (id, name); a company directory is thousands of rows, not millions.
        people = await User.select(User.id, User.name).where(User.disabled == False)  # noqa: E712
        by_full, by_first = defaultdict(list), defaultdict(list)
        for person in people:
            by_full[name_key(person["name"])].append(person["id"])
            parts = person["name"].split()
            if parts:
                by_first[name_key(parts[0])].append(person["id"])
        for word in words:
            key = name_key(word)
            match = by_full.get(key) or by_first.get(key) or []
            if len(match) == 1:
                found.append(match[0])
    return [uid for uid in dict.fromkeys(found) if uid != author_id][:MAX_MENTIONS]


async def spend_budget(author_id: int, person_ids: list[int]) -> None:
    """Each colleague a text newly names costs one from the author's hourly mention budget (a 429 past it):
    every mention notifies someone, and this bounds how many people one person can ping."""
    limit = get_settings().mentions_per_hour
    await budgets.spend(f"mentions:{author_id}", len(person_ids), limit,
                         f"You can mention at most {budgets.counted(limit, 'colleague')} an hour.")


async def unrecorded(post_id: int, comment_id: int | None, person_ids: list[int]) -> list[int]:
    """The people of `person_ids` not yet recorded as mentioned in this post (or comment of it)."""
    if not person_ids:
        return []
    where = (Mention.post == post_id) & (
        Mention.comment.is_null() if comment_id is None else (Mention.comment == comment_id)
    )
    known = {row["person"] for row in await Mention.select(Mention.person).where(where)}
    return [pid for pid in person_ids if pid not in known]


async def record(post_id: int, comment_id: int | None, author_id: int, person_ids: list[int]) -> list[int]:
    """Store the mentions; returns the people mentioned here for the first time (to be told)."""
    if not person_ids:
        return []
    new = await unrecorded(post_id, comment_id, person_ids)
    recorded = []
    for pid in new:
        try:
            await Mention.insert(Mention(post=post_id, comment=comment_id, person=pid, author=author_id))
        except Exception as exc:
            if not is_duplicate(exc):
                raise
            continue
        recorded.append(pid)
    return recorded


async def mentioned_in(post_id: int) -> list[int]:
    """Everyone a post's own text mentions."""
    rows = await Mention.select(Mention.person).where((Mention.post == post_id) & Mention.comment.is_null())
    return [row["person"] for row in rows]
