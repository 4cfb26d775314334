"""What publishing a post sets off here, inside the publishing transaction (server/wiring.py).

Its #hashtags, @mentions and kudos are recorded and the few people named are told at once;
the followers, who may be thousands, are told by a job queued here, and deleting the post
takes that job with it while it waits.
"""

from __future__ import annotations

from server.jobs.queue import cancel, enqueue
from server.notifications.messages import Message
from server.posts import fence
from server.posts.tables import Post
from server.social import kudos, mentions, notify
from server.social.parsing import plain_text
from server.social.tables import Kudos
from server.social.tags import record_tags

__all__ = [
    "NOTIFY_FOLLOWERS_JOB", "spend_mention_budget", "record_tags_and_mentions", "enqueue_followers", "cancel_followers",
]

# The kind's name is stored in queued rows of running instances: it stays as it is.
NOTIFY_FOLLOWERS_JOB = "push-fanout"


async def spend_mention_budget(post_id: int, author_id: int, body: str) -> None:
    """A new post's @mentions cost its author's hourly budget when it is written, not when it is published:
    past the budget the request is refused with a 429 and the post rolls back."""
    await mentions.spend_budget(author_id, await mentions.resolve(body, author_id))


async def record_tags_and_mentions(post_id: int) -> None:
    """Safe to run twice: tags and mentions are recorded once, only new mentions are told."""
    post = await Post.select(Post.id, Post.body, Post.author, Post.author.name.as_alias("author_name")).where(
        Post.id == post_id
    ).first()
    if post is None:
        return
    await record_tags(post_id, post["body"])
    mentioned = await mentions.resolve(post["body"], post["author"])
    new = await mentions.record(post_id, None, post["author"], mentioned)
    text = plain_text(post["body"])[:200]
    await notify.send(new, "mention", post_id, Message("mention", {"name": post["author_name"]}), text)
    thanked = [r["person"] for r in await Kudos.select(Kudos.person).where(Kudos.post == post_id)]
    await kudos.tell_thanked(post_id, post["author_name"], post["body"], thanked)


async def enqueue_followers(post_id: int) -> None:
    """One job per post tells the author's followers (server/social/jobs.py)."""
    await enqueue(NOTIFY_FOLLOWERS_JOB, await fence.payload(post_id), unique_key=f"{NOTIFY_FOLLOWERS_JOB}:{post_id}")


async def cancel_followers(post_id: int) -> None:
    """In the deleting transaction: nobody is told of a post that is gone."""
    await cancel(f"{NOTIFY_FOLLOWERS_JOB}:{post_id}")
