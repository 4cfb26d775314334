"""Reactions, comments, mentions, hashtags, follows and kudos around posts."""

from piccolo.columns import Boolean, ForeignKey, Text, Timestamptz, Varchar
from piccolo.columns import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from server.accounts.tables import User
from server.posts.tables import Post

__all__ = ["Reaction", "Comment", "Mention", "PostTag", "Follow", "Kudos"]

# Unique pairs and triples are unique indexes in a raw migration (Piccolo has no composite UNIQUE).


class Reaction(Table, tablename="reactions"):
    """One person's reaction of one kind to a post (unique per post, person and kind)."""

    post = ForeignKey(references=Post, on_delete=OnDelete.cascade, index=True)
    person = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=16)
    created_at = Timestamptz(default=TimestamptzNow())


class Comment(Table, tablename="comments"):
    """A comment on a post, or a reply to a top-level comment (one level only)."""

    post = ForeignKey(references=Post, on_delete=OnDelete.cascade, index=True)
    author = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    parent = ForeignKey(references="self", null=True, default=None, on_delete=OnDelete.cascade, index=True)
    body = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    edited_at = Timestamptz(null=True, default=None)
    # A deleted comment that still has replies stays as a placeholder so the thread reads on.
    deleted = Boolean(default=False)


class Mention(Table, tablename="mentions"):
    """Someone named in a post's or a comment's text (comment is null for the post itself)."""

    post = ForeignKey(references=Post, on_delete=OnDelete.cascade, index=True)
    comment = ForeignKey(references=Comment, null=True, default=None, on_delete=OnDelete.cascade)
    person = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    author = ForeignKey(references=User, on_delete=OnDelete.cascade)  # who wrote the mention
    created_at = Timestamptz(default=TimestamptzNow())


class PostTag(Table, tablename="post_tags"):
    """A #hashtag of a post, case-folded."""

    post = ForeignKey(references=Post, on_delete=OnDelete.cascade, index=True)
    tag = Varchar(length=100, index=True)


class Follow(Table, tablename="follows"):
    follower = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    followee = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())


class Kudos(Table, tablename="kudos"):
    """A post thanks a colleague; it shows on their profile."""

    post = ForeignKey(references=Post, on_delete=OnDelete.cascade, index=True)
    person = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
