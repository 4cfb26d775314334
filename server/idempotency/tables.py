"""Idempotency-Key records: the first answer to a person's request, kept to give it again."""

from piccolo.columns import BigInt, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from server.accounts.tables import User

__all__ = ["IdempotencyKey"]


class IdempotencyKey(Table, tablename="idempotency_keys"):
    # (person, key) is unique (an index in the migration): a key means something only to its sender.
    person = ForeignKey(references=User, on_delete=OnDelete.cascade)
    key = Varchar(length=255)
    # A digest of method, path and body: the same key with another request is refused (422).
    fingerprint = Varchar(length=64)
    # A secret of the request holding the record: one that takes over an abandoned record writes its
    # own, so the first request, should it still finish, changes nothing of the second's.
    claim = Varchar(length=32)
    # What the request made (a post or comment id), written in the same transaction as it: a
    # process killed before the answer was stored still answers a retry with that resource.
    resource = BigInt(null=True, default=None)
    status = Integer(null=True, default=None)  # null while the first request runs
    response = Text(default="")  # the first answer's JSON body
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
