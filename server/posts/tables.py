"""Posts: text, video or gallery, with the fields announcements add."""

from piccolo.columns import JSON, Boolean, ForeignKey, Text, Timestamptz, Varchar
from piccolo.columns import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

from server.accounts.tables import User

__all__ = ["Post"]


class Post(Table, tablename="posts"):
    author = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    body = Text(default="")
    kind = Varchar(length=16, default="text")  # text | video | gallery
    # processing | published | failed | scheduled; only posts/states.py changes it.
    status = Varchar(length=16, default="processing", index=True)
    error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    # The feed's order; set once, when the post becomes visible.
    published_at = Timestamptz(null=True, default=None, index=True, index_method=IndexMethod.btree)
    pinned_at = Timestamptz(null=True, default=None)
    pinned_until = Timestamptz(null=True, default=None)
    must_read = Boolean(default=False)
    publish_at = Timestamptz(null=True, default=None)
    audience = JSON(default="{}")
