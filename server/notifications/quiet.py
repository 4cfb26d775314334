"""Quiet hours: whether a moment falls inside someone's quiet hours, in their own time zone."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["CLOCK", "parse_clock", "zone", "quiet_until"]

CLOCK = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


def parse_clock(value: str) -> time:
    """A wall-clock time from "HH:MM" (24-hour); ValueError otherwise."""
    match = CLOCK.match(value or "")
    if not match:
        raise ValueError(f"{value!r} is not a time like 07:30")
    return time(int(match.group(1)), int(match.group(2)))


def zone(name: str) -> ZoneInfo:
    """The IANA time zone `name`; UTC for "" (not told yet) and for names this system does not know."""
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def quiet_until(start: str, end: str, time_zone: str, now: datetime) -> datetime | None:
    """When the quiet hours around `now` end (UTC), or None if `now` is not in them.

    start == end means no quiet hours. A span like 20:00–07:00 crosses midnight; the times are
    wall-clock times where the person is, so daylight saving shifts them with the clocks.
    """
    begin, finish = parse_clock(start), parse_clock(end)
    if begin == finish:
        return None
    tz = zone(time_zone)
    local = now.astimezone(tz)
    clock = local.time().replace(tzinfo=None)
    if begin < finish:
        inside = begin <= clock < finish
        end_day = local.date()
    else:
        inside = clock >= begin or clock < finish
        end_day = local.date() + timedelta(days=1) if clock >= begin else local.date()
    if not inside:
        return None
    # fold=0 and zoneinfo settle a wall time skipped or repeated by a clock change.
    return datetime.combine(end_day, finish, tzinfo=tz).astimezone(timezone.utc)
