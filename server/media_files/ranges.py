"""HTTP Range and conditional requests (RFC 9110 §13, §14) for media files, as pure functions."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ByteRange", "Unsatisfiable", "parse_range", "none_match", "if_range_allows"]


@dataclass(frozen=True)
class ByteRange:
    """Bytes start..end of a file, both inclusive (as in Content-Range)."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


class Unsatisfiable(Exception):
    """A valid Range header that asks only for bytes past the end (416)."""


def _digits(text: str) -> int | None:
    text = text.strip()
    # Bounded: a 400-digit number is not a file offset, and int() of it costs time.
    return int(text) if text.isdigit() and text.isascii() and len(text) <= 19 else None


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The one range to send, or None to send the whole file.

    None also for what we choose not to honour: a header that is not `bytes=`, a malformed one,
    and several ranges (RFC 9110 lets a server ignore Range; players ask for one range, and a
    multipart/byteranges answer would only cost memory and code). Raises Unsatisfiable for a
    single well-formed range that starts past the end, or an empty suffix.
    """
    if not header:
        return None
    unit, sep, spec = header.partition("=")
    if not sep or unit.strip().lower() != "bytes":
        return None
    parts = [p for p in spec.split(",") if p.strip()]
    if len(parts) != 1:
        return None
    first_text, dash, last_text = parts[0].strip().partition("-")
    if not dash:
        return None
    if first_text.strip() == "":
        suffix = _digits(last_text)
        if suffix is None:
            return None
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return ByteRange(max(0, size - suffix), size - 1)
    first = _digits(first_text)
    last = _digits(last_text) if last_text.strip() else None
    if first is None or (last_text.strip() and (last is None or last < first)):
        return None
    if first >= size:
        raise Unsatisfiable
    return ByteRange(first, size - 1 if last is None else min(last, size - 1))


def _tags(header: str) -> list[str]:
    return [t.strip() for t in header.split(",") if t.strip()]


def none_match(header: str | None, etag: str) -> bool:
    """True when If-None-Match names our ETag (weak comparison) or is `*`: answer 304."""
    if header is None:
        return False
    opaque = etag.removeprefix("W/")
    return any(tag == "*" or tag.removeprefix("W/") == opaque for tag in _tags(header))


def if_range_allows(header: str | None, etag: str) -> bool:
    """True when a Range may be honoured: no If-Range, or one equal to our strong ETag.

    If-Range needs a strong comparison; a weak tag or a date (we send no Last-Modified) means
    "the file may have changed", so the whole file is sent.
    """
    if header is None:
        return True
    value = header.strip()
    return not value.startswith("W/") and value == etag
