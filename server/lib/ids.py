"""Ids as requests may carry them: within what every id column holds on every database.

Ids are SERIAL (32-bit) on PostgreSQL and 64-bit on SQLite. A larger number cannot name a row, and
the database refuses to compare with it (an overflow, a 500): bounding every id where it enters
keeps that a 400 that says so, and the bounds appear in the OpenAPI schema for clients (and the
fuzzer) to read.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar.params import PathParameter, QueryParameter

__all__ = ["MAX_ID", "Id", "PathId", "QueryId"]

MAX_ID = 2**31 - 1

# In request bodies (msgspec Structs).
Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]
# `post_id: PathId` for a route `/{post_id:int}`.
PathId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
# An optional id in the query string: `author: QueryId = None`.
QueryId = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
