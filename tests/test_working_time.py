"""Working hours across weekends, public holidays and a clock change."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from services.working_time import WorkingHours

VILNIUS = ZoneInfo("Europe/Vilnius")


def local(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VILNIUS)


def test_within_one_day() -> None:
    assert WorkingHours().add(local(2027, 1, 12, 9, 30), 3) == local(2027, 1, 12, 12, 30)


def test_friday_evening_to_monday() -> None:
    # Friday 16:00 + 2 h: one hour on Friday, one on Monday.
    assert WorkingHours().add(local(2027, 1, 15, 16, 0), 2) == local(2027, 1, 18, 9, 0)


def test_easter_weekend_with_the_clock_change() -> None:
    # Friday 26 March 2027 16:00 + 2 h: Easter Sunday (clocks go forward) and
    # Easter Monday are skipped; Tuesday 09:00 summer time is 06:00 UTC.
    result = WorkingHours().add(local(2027, 3, 26, 16, 0), 2)
    assert result == local(2027, 3, 30, 9, 0)
    assert result == dt.datetime(2027, 3, 30, 6, 0, tzinfo=dt.UTC)


def test_christmas_holidays_are_skipped() -> None:
    # Wednesday 23 December 2026 15:00 + 4 h: 24-26 December are holidays.
    assert WorkingHours().add(local(2026, 12, 23, 15, 0), 4) == local(2026, 12, 28, 10, 0)


def test_starting_outside_hours() -> None:
    hours = WorkingHours()
    assert hours.add(local(2027, 1, 16, 12, 0), 1) == local(2027, 1, 18, 9, 0)  # Saturday
    assert hours.add(local(2027, 1, 18, 6, 0), 1) == local(2027, 1, 18, 9, 0)  # before opening
    assert hours.add(local(2027, 1, 18, 20, 0), 1) == local(2027, 1, 19, 9, 0)  # after closing


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        WorkingHours().add(dt.datetime(2027, 1, 18, 9, 0), 1)
