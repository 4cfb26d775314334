"""Kudos: a post that thanks named colleagues, shown on their profiles."""

from __future__ import annotations

from litestar.exceptions import NotFoundException, PermissionDeniedException, ValidationException

from server.accounts.tables import User
from server.lib.guards import Viewer
from server.notifications.messages import Message
from server.posts import states
from server.posts.schemas import Author
from server.posts.tables import Post
from server.social import notify
from server.social.access import GONE
from server.social.parsing import plain_text
from server.social.tables import Kudos

__all__ = ["set_kudos", "people_by_post", "tell_thanked"]


async def set_kudos(viewer: Viewer, post_id: int, user_ids: list[int]) -> list[Author]:
    """The author names who the post thanks (the whole list, replacing the last one)."""
    post = await Post.select(Post.id, Post.author, Post.status, Post.body).where(Post.id == post_id).first()
    if post is None or (post["author"] != viewer.id and post["status"] != states.PUBLISHED):
        raise NotFoundException(GONE)
    if post["author"] != viewer.id:
        raise PermissionDeniedException("Only the author of this post can choose who it thanks.")
    wanted = list(dict.fromkeys(user_ids))
    if viewer.id in wanted:
        raise ValidationException("You cannot give kudos to yourself.")
    if wanted:
        active = {r["id"] for r in await User.select(User.id).where(User.id.is_in(wanted) & (User.disabled == False))}  # noqa: E712
        unknown = [str(uid) for uid in wanted if uid not in active]
        if unknown:
            raise ValidationException(f"Some of the people you thank do not exist: {', '.join(unknown)}.")
    before = {r["person"] for r in await Kudos.select(Kudos.person).where(Kudos.post == post_id)}
    async with Kudos._meta.db.transaction():
        await Kudos.delete().where((Kudos.post == post_id) & Kudos.person.not_in(wanted or [0]))
        new = [uid for uid in wanted if uid not in before]
        if new:
            await Kudos.insert(*[Kudos(post=post_id, person=uid) for uid in new])
    if post["status"] == states.PUBLISHED:
        # Still processing: the publish listener tells them once the post is visible.
        await tell_thanked(post_id, viewer.name, post["body"], [uid for uid in wanted if uid not in before])
    return (await people_by_post([post_id]))[post_id]


async def tell_thanked(post_id: int, author_name: str, body: str, person_ids: list[int]) -> None:
    await notify.send(person_ids, "kudos", post_id, Message("kudos", {"name": author_name}), plain_text(body)[:200])


async def people_by_post(post_ids: list[int]) -> dict[int, list[Author]]:
    """Who each post thanks, in the order they were named."""
    result: dict[int, list[Author]] = {pid: [] for pid in post_ids}
    if post_ids:
        rows = await Kudos.select(
            Kudos.post, Kudos.person.id.as_alias("id"), Kudos.person.name.as_alias("name"),
            Kudos.person.title.as_alias("title"), Kudos.person.department.as_alias("department"),
        ).where(Kudos.post.is_in(post_ids)).order_by(Kudos.id)
        for r in rows:
            result[r["post"]].append(Author(id=r["id"], name=r["name"], title=r["title"], department=r["department"]))
    return result
