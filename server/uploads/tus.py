"""tus 1.0.0 protocol helpers: headers, Upload-Metadata, Upload-Checksum, protocol errors."""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import datetime
from email.utils import format_datetime

from litestar.exceptions import HTTPException

__all__ = [
    "TUS_VERSION", "EXTENSIONS", "CHECKSUM_ALGORITHMS", "CHECKSUM_MISMATCH", "OFFSET_CONTENT_TYPE", "TusError",
    "base_headers", "whole_number", "parse_length", "parse_offset", "parse_metadata", "parse_checksum", "http_date",
]

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,creation-with-upload,termination,expiration,checksum"
CHECKSUM_ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"
# Checksum mismatch has its own status in the tus checksum extension.
CHECKSUM_MISMATCH = 460
_MAX_METADATA = 4096


class TusError(HTTPException):
    """A protocol error; carries Tus-Resumable like every other tus response."""

    def __init__(self, status_code: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code=status_code, detail=detail, headers={**base_headers(), **(headers or {})})


def base_headers() -> dict[str, str]:
    # no-store: an offset answer from a cache would make a client skip or repeat bytes.
    return {"Tus-Resumable": TUS_VERSION, "Cache-Control": "no-store"}


def whole_number(raw: str | None) -> int | None:
    """A header's non-negative integer, or None. ASCII digits only: str.isdigit() also takes "²",
    which int() refuses; 19 digits at most keep it within a BIGINT."""
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return None
    return int(raw)


def _non_negative_int(raw: str | None, name: str) -> int:
    if (value := whole_number(raw)) is None:
        raise TusError(400, f"The {name} header must be a whole number of bytes.")
    return value


def parse_length(raw: str | None, maximum: int) -> int:
    """Upload-Length, within Tus-Max-Size (413 beyond it)."""
    if raw is None:
        raise TusError(400, "The Upload-Length header is required (deferred length is not supported).")
    length = _non_negative_int(raw, "Upload-Length")
    if length > maximum:
        raise TusError(413, f"This file is too large: the limit is {maximum // (1 << 20)} MB.")
    return length


def parse_offset(raw: str | None) -> int:
    return _non_negative_int(raw, "Upload-Offset")


def parse_metadata(raw: str | None) -> dict[str, str]:
    """Upload-Metadata: comma-separated `key base64value` pairs; Hallway keeps filename and filetype."""
    if not raw:
        return {}
    if len(raw) > _MAX_METADATA:
        raise TusError(400, "The Upload-Metadata header is too long.")
    found: dict[str, str] = {}
    for pair in raw.split(","):
        parts = pair.strip().split(" ")
        key = parts[0]
        if not key or len(parts) > 2:
            raise TusError(400, "The Upload-Metadata header is malformed.")
        try:
            value = base64.b64decode(parts[1], validate=True).decode() if len(parts) == 2 else ""
        except (binascii.Error, UnicodeDecodeError):
            raise TusError(400, f"The Upload-Metadata value of '{key}' is not valid base64 text.") from None
        found[key] = value
    # Only a base name: the filename is shown to people, never used as a path.
    filename = found.get("filename", "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
    return {"filename": filename, "filetype": found.get("filetype", "").strip()[:100]}


def parse_checksum(raw: str | None) -> tuple[str, bytes] | None:
    """Upload-Checksum `algorithm base64digest`, or None when the client sent none."""
    if raw is None:
        return None
    algorithm, _, encoded = raw.strip().partition(" ")
    if algorithm not in CHECKSUM_ALGORITHMS:
        raise TusError(400, f"The checksum algorithm '{algorithm}' is not supported; use sha1 or sha256.")
    try:
        digest = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise TusError(400, "The Upload-Checksum digest is not valid base64.") from None
    return algorithm, digest


def http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)
