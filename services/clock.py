"""Time as a dependency, so tests move it instead of sleeping, and the one
place for the conversions every service needs (stored seconds, local times)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class FixedClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, at: dt.datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.at = at

    def now(self) -> dt.datetime:
        return self.at

    def advance(self, delta: dt.timedelta) -> None:
        self.at += delta


def instant(local: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """A catalogue's local date-time as an aware UTC instant (the same rule
    as the importer: a skipped time is read as the hour after, a repeated
    one as its first occurrence)."""
    aware = local if local.tzinfo else local.replace(tzinfo=zone)
    return aware.astimezone(dt.UTC)


def epoch(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def from_epoch(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)
