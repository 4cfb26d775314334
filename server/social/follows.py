"""Following colleagues: whose posts fill my "Following" feed and who is told when I post."""

from __future__ import annotations

from litestar.exceptions import NotFoundException, ValidationException

from server.accounts.tables import User
from server.lib.guards import Viewer
from server.social.access import is_duplicate
from server.social.tables import Follow

__all__ = ["follow", "unfollow", "followers_of", "following_ids", "counts", "is_following"]


async def _active_person(person_id: int) -> None:
    if not await User.exists().where((User.id == person_id) & (User.disabled == False)):  # noqa: E712
        raise NotFoundException("This person does not exist.")


async def follow(viewer: Viewer, person_id: int) -> None:
    """Idempotent: following someone twice is still following them once."""
    if person_id == viewer.id:
        raise ValidationException("You cannot follow yourself.")
    await _active_person(person_id)
    if await is_following(viewer.id, person_id):
        return
    try:
        await Follow.insert(Follow(follower=viewer.id, followee=person_id))
    except Exception as exc:
        if not is_duplicate(exc):
            raise


async def unfollow(viewer: Viewer, person_id: int) -> None:
    await _active_person(person_id)
    await Follow.delete().where((Follow.follower == viewer.id) & (Follow.followee == person_id))


async def is_following(follower_id: int, followee_id: int) -> bool:
    return await Follow.exists().where((Follow.follower == follower_id) & (Follow.followee == followee_id))


async def followers_of(author_id: int) -> list[int]:
    """Ids of the active people who follow this author (push on publish imports this)."""
    rows = await Follow.select(Follow.follower).where(
        (Follow.followee == author_id) & (Follow.follower.disabled == False)  # noqa: E712
    )
    return [row["follower"] for row in rows]


async def following_ids(person_id: int) -> list[int]:
    rows = await Follow.select(Follow.followee).where(Follow.follower == person_id)
    return [row["followee"] for row in rows]


async def counts(person_id: int) -> tuple[int, int]:
    """(followers, following) of one person, active accounts only."""
    followers = await Follow.count().where((Follow.followee == person_id) & (Follow.follower.disabled == False))  # noqa: E712
    following = await Follow.count().where((Follow.follower == person_id) & (Follow.followee.disabled == False))  # noqa: E712
    return followers, following
