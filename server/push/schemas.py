"""Shapes of the push API: a browser's PushSubscription as `toJSON()` gives it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from server.push.outbound import MAX_ENDPOINT_LENGTH

__all__ = ["KeyOut", "SubscriptionIn", "SubscriptionKeys", "SubscriptionOut", "Unsubscribe"]

Endpoint = Annotated[str, msgspec.Meta(max_length=MAX_ENDPOINT_LENGTH)]


class KeyOut(msgspec.Struct):
    """The VAPID public key, for `pushManager.subscribe({applicationServerKey})`."""

    public_key: str


class SubscriptionKeys(msgspec.Struct, forbid_unknown_fields=True):
    p256dh: Annotated[str, msgspec.Meta(max_length=100)]
    auth: Annotated[str, msgspec.Meta(max_length=40)]


class SubscriptionIn(msgspec.Struct, forbid_unknown_fields=True):
    endpoint: Endpoint
    keys: SubscriptionKeys
    expirationTime: int | float | None = None  # noqa: N815  (the browser's spelling)


class SubscriptionOut(msgspec.Struct):
    id: int
    endpoint: str
    created_at: datetime


class Unsubscribe(msgspec.Struct, forbid_unknown_fields=True):
    endpoint: Endpoint
