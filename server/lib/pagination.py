"""Keyset pagination with opaque, signed cursors."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Annotated, Any

from litestar.exceptions import ValidationException
from litestar.params import QueryParameter

__all__ = ["Cursor", "encode_cursor", "decode_cursor"]

_BAD = "This page link is not valid any more. Please reload."
_MAX = 500

# The `cursor` query parameter of every paged route: `cursor: Cursor = None`.
Cursor = Annotated[str | None, QueryParameter(max_length=_MAX)]


def _sign(payload: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()[:16]


def encode_cursor(values: list[Any], secret: str) -> str:
    """An opaque token for the position after `values` (the last row's sort keys)."""
    payload = base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).rstrip(b"=")
    return f"{payload.decode()}.{_sign(payload, secret)}"


def decode_cursor(cursor: str, secret: str, arity: int) -> list[Any]:
    """The sort keys inside a cursor; a garbage or tampered cursor is a 400."""
    payload, _, signature = cursor.partition(".")
    # compare_digest refuses non-ASCII text with a TypeError; no cursor we made has any.
    if len(cursor) > _MAX or not cursor.isascii():
        raise ValidationException(_BAD)
    if not hmac.compare_digest(signature, _sign(payload.encode(), secret)):
        raise ValidationException(_BAD)
    try:
        values = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        raise ValidationException(_BAD) from None
    if not isinstance(values, list) or len(values) != arity:
        raise ValidationException(_BAD)
    return values
