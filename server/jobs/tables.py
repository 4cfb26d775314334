"""Persisted jobs: the queue lives in the database, no broker needed."""

from piccolo.columns import JSON, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

__all__ = ["Job"]


class Job(Table, tablename="jobs"):
    kind = Varchar(length=50)
    payload = JSON(default="{}")  # ids only: a job re-loads its rows and stops if they are gone
    # One live job per key (e.g. "process-post:42"): enqueueing twice does nothing.
    unique_key = Varchar(length=200, null=True, default=None, unique=True)
    status = Varchar(length=16, default="queued", index=True)  # queued | running | done | failed
    attempts = Integer(default=0)
    run_at = Timestamptz(default=TimestamptzNow(), index=True)
    # While running: until when the worker holds it. A killed worker's lease runs out.
    locked_until = Timestamptz(null=True, default=None)
    locked_by = Varchar(length=100, default="")
    last_error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    finished_at = Timestamptz(null=True, default=None)
