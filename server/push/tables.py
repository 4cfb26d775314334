"""Push subscriptions: one row per browser that said yes, several per person."""

from piccolo.columns import ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from server.accounts.tables import User
from server.push.outbound import MAX_ENDPOINT_LENGTH

__all__ = ["PushSubscription"]


class PushSubscription(Table, tablename="push_subscriptions"):
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    # The browser's push resource; unique because it names one browser profile, whoever signed in last.
    endpoint = Varchar(length=MAX_ENDPOINT_LENGTH, unique=True)
    p256dh = Varchar(length=100)
    auth = Varchar(length=40)
    user_agent = Varchar(length=300, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    last_success_at = Timestamptz(null=True, default=None)
