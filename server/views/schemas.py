"""Request shape of a batch of views."""

from __future__ import annotations

from typing import Annotated

import msgspec

__all__ = ["ViewItem", "ViewBatch", "MAX_BATCH"]

MAX_BATCH = 100
_DAY = 86400.0


class ViewItem(msgspec.Struct):
    post_id: Annotated[int, msgspec.Meta(ge=1)]
    watched_seconds: Annotated[float, msgspec.Meta(ge=0, le=_DAY)] | None = None
    duration: Annotated[float, msgspec.Meta(gt=0, le=_DAY)] | None = None


class ViewBatch(msgspec.Struct):
    items: Annotated[list[ViewItem], msgspec.Meta(max_length=MAX_BATCH)]
