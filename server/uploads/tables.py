"""Resumable uploads in progress or finished, waiting to become a post."""

from piccolo.columns import JSON, BigInt, ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from server.accounts.tables import User

__all__ = ["Upload"]


class Upload(Table, tablename="uploads"):
    # Random and url-safe: the id is the capability in the tus URL, so it must not be guessable.
    id = Varchar(length=43, primary_key=True)
    owner = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    length = BigInt()  # Upload-Length; deferred length is not offered
    # Bytes committed to disk; a PATCH writes from here and moves it with a conditional UPDATE.
    offset = BigInt(default=0)
    metadata = JSON(default="{}")  # decoded Upload-Metadata: filename, filetype
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(index=True)
    finished_at = Timestamptz(null=True, default=None)
