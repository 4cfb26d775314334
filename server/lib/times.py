"""Times as requests may carry them: with any offset, but only ones that exist in UTC."""

from __future__ import annotations

from datetime import datetime, timezone

__all__ = ["in_utc"]


def in_utc(value: datetime | None, field: str) -> datetime | None:
    """An aware `value` in UTC (naive ones are left to the service, which asks for a time zone).

    For a Struct's __post_init__: "9999-12-31T23:59-23:59" parses, but its UTC time is past year
    9999 and every comparison with it overflows (a 500); msgspec makes the ValueError a 400 naming
    the field, in its own wording.
    """
    if value is None or value.tzinfo is None:
        return value
    try:
        return value.astimezone(timezone.utc)
    except OverflowError:
        raise ValueError(f"Expected a time that exists in UTC (years 1 to 9999) - at `$.{field}`") from None
