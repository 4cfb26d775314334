"""Request shape of a batch of views."""

from __future__ import annotations

from typing import Annotated

import msgspec

from server.lib.ids import Id

__all__ = ["ViewItem", "ViewBatch", "MAX_BATCH"]

MAX_BATCH = 100
_DAY = 86400.0


class ViewItem(msgspec.Struct, forbid_unknown_fields=True):
    post_id: Id
    watched_seconds: Annotated[float, msgspec.Meta(ge=0, le=_DAY)] | None = None
    duration: Annotated[float, msgspec.Meta(ge=0.001, le=_DAY)] | None = None


class ViewBatch(msgspec.Struct, forbid_unknown_fields=True):
    items: Annotated[list[ViewItem], msgspec.Meta(max_length=MAX_BATCH)]
