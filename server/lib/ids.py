"""Ids as requests may carry them: within what a BIGINT (and SQLite's INTEGER) column holds.

A larger number cannot name a row, and the database drivers refuse to bind it (OverflowError):
bounding every id where it enters keeps that a 400 that says so, and the bounds appear in the
OpenAPI schema for clients (and the fuzzer) to read.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar.params import PathParameter, QueryParameter

__all__ = ["MAX_ID", "Id", "PathId", "QueryId"]

MAX_ID = 2**63 - 1

# In request bodies (msgspec Structs).
Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]
# `post_id: PathId` for a route `/{post_id:int}`.
PathId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
# An optional id in the query string: `author: QueryId = None`.
QueryId = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
