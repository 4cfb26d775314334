"""Quiet hours in a person's own time zone, with `now` passed in (no clocks, no sleeping)."""

from datetime import datetime, timezone

import pytest

from server.notifications.quiet import parse_clock, quiet_until


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def test_an_evening_in_berlin_is_quiet_until_seven_next_morning():
    # 20:30 in Berlin in winter (UTC+1) is 19:30 UTC; quiet ends 07:00 Berlin = 06:00 UTC.
    assert quiet_until("20:00", "07:00", "Europe/Berlin", utc(2026, 1, 15, 19, 30)) == utc(2026, 1, 16, 6, 0)


def test_early_morning_ends_the_same_day():
    assert quiet_until("20:00", "07:00", "Europe/Berlin", utc(2026, 1, 16, 5, 59)) == utc(2026, 1, 16, 6, 0)


def test_daytime_and_the_end_minute_itself_are_not_quiet():
    assert quiet_until("20:00", "07:00", "Europe/Berlin", utc(2026, 1, 16, 11, 0)) is None
    assert quiet_until("20:00", "07:00", "Europe/Berlin", utc(2026, 1, 16, 6, 0)) is None


def test_the_same_moment_differs_by_time_zone():
    moment = utc(2026, 6, 1, 19, 0)  # 21:00 in Berlin (summer), 15:00 in New York
    assert quiet_until("20:00", "07:00", "Europe/Berlin", moment) == utc(2026, 6, 2, 5, 0)
    assert quiet_until("20:00", "07:00", "America/New_York", moment) is None


def test_quiet_hours_across_a_daylight_saving_change():
    # New York springs forward on 2026-03-08: 07:00 that morning is EDT (UTC-4), not EST.
    assert quiet_until("20:00", "07:00", "America/New_York", utc(2026, 3, 8, 2, 0)) == utc(2026, 3, 8, 11, 0)


def test_a_span_within_one_day_and_an_empty_span():
    assert quiet_until("13:00", "14:00", "UTC", utc(2026, 1, 1, 13, 30)) == utc(2026, 1, 1, 14, 0)
    assert quiet_until("13:00", "14:00", "UTC", utc(2026, 1, 1, 12, 59)) is None
    assert quiet_until("09:00", "09:00", "UTC", utc(2026, 1, 1, 9, 0)) is None


def test_no_time_zone_yet_means_utc():
    assert quiet_until("20:00", "07:00", "", utc(2026, 1, 1, 21, 0)) == utc(2026, 1, 2, 7, 0)


@pytest.mark.parametrize("value", ["7:00", "24:00", "12:60", "noon", ""])
def test_clock_times_must_be_hh_mm(value):
    with pytest.raises(ValueError):
        parse_clock(value)
