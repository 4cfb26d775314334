"""What announcements add to a post: who it is for, who confirmed it, when people were reminded."""

from piccolo.columns import ForeignKey, Integer, OnDelete, Real, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from server.accounts.tables import User
from server.posts.tables import Post

__all__ = ["Announcement", "AudienceTarget", "Receipt"]


class Announcement(Table, tablename="announcements"):
    """Marks a post as an announcement (a pinned ordinary post is not one)."""

    post = ForeignKey(references=Post, on_delete=OnDelete.cascade, unique=True, index=True)
    reminded_at = Timestamptz(null=True, default=None)
    reminders = Integer(default=0)


class AudienceTarget(Table, tablename="announcement_targets"):
    """One department or location an announcement is for; a post without targets is for everyone.

    Rows rather than the post's JSON so the feed filters in SQL on both databases.
    """

    post = ForeignKey(references=Post, on_delete=OnDelete.cascade, index=True)
    field = Varchar(length=16)  # department | location
    value = Varchar(length=100, index=True)  # casefolded, compared with the viewer's casefolded profile


class Receipt(Table, tablename="announcement_receipts"):
    """One person's progress on one announcement: video share watched, and the "Got it"."""

    post = ForeignKey(references=Post, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    watched = Real(default=0.0)  # the largest share of the video reported watched, 0..1
    # When the first progress report came: the share watched cannot grow faster than the clock since.
    started_at = Timestamptz(null=True, default=None)
    acknowledged_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())
    # One row per (post, user): a unique index made in the migration (Piccolo's Unique breaks on SQLite).
