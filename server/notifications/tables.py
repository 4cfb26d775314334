"""The in-app notification list and each person's notification preferences."""

from piccolo.columns import Boolean, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from server.accounts.tables import User
from server.posts.tables import Post

__all__ = ["Notification", "NotificationPreference"]


class Notification(Table, tablename="notifications"):
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    # post | comment | mention | announcement | must_read | reminder (see services.KINDS)
    kind = Varchar(length=16)
    post = ForeignKey(references=Post, null=True, default=None, on_delete=OnDelete.cascade, index=True)
    title = Varchar(length=200)
    body = Text(default="")
    url = Varchar(length=300, default="")
    image = Varchar(length=300, default="")
    # True while quiet hours hold its push back; the quiet-hours-end digest clears it.
    held = Boolean(default=False)
    # Its push (server/notifications/delivery.py): claimed by a delivery attempt right before it is
    # sent, pushed once the outcome is written. Claimed and not pushed means "perhaps sent": a retry
    # after a crash sends it again, one that finds it pushed never does.
    push_claimed_at = Timestamptz(null=True, default=None)
    pushed_at = Timestamptz(null=True, default=None)
    read_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class NotificationPreference(Table, tablename="notification_preferences"):
    """A row exists only once someone changed a default (see services.DEFAULTS)."""

    user = ForeignKey(references=User, on_delete=OnDelete.cascade, unique=True)
    follows = Boolean(default=True)
    comments_mentions = Boolean(default=True)
    announcements = Boolean(default=True)
    quiet_hours = Boolean(default=True)
    quiet_start = Varchar(length=5, default="20:00")
    quiet_end = Varchar(length=5, default="07:00")
    # IANA name from the browser; "" until it told us, and UTC meanwhile.
    time_zone = Varchar(length=64, default="")
