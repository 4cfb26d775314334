"""Who saw which post, and for videos how much of it they watched."""

from piccolo.columns import ForeignKey, Integer, Real, Timestamptz
from piccolo.columns import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from server.accounts.tables import User
from server.posts.tables import Post

__all__ = ["PostView"]


class PostView(Table, tablename="post_views"):
    """One row per (post, person), unique by a raw index; repeated views raise the maxima."""

    post = ForeignKey(references=Post, on_delete=OnDelete.cascade, index=True)
    person = ForeignKey(references=User, on_delete=OnDelete.cascade)
    seen = Integer(default=1)  # how many batches reported it: a rough repeat-view count
    watched_seconds = Real(default=0.0)
    duration = Real(null=True, default=None)
    share = Real(null=True, default=None)  # watched / duration, 0..1, the most of any report
    first_seen_at = Timestamptz(default=TimestamptzNow())
    last_seen_at = Timestamptz(default=TimestamptzNow())
