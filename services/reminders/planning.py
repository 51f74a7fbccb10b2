"""When a reminder fires: the learner's choices, quiet hours and local time.

Everything here is pure and works on aware datetimes. Wall-clock choices
("the evening before at 18:00", the ends of quiet hours) are built in the
centre's zone and only then turned into an instant, so a reminder keeps its
local time across a daylight-saving change; durations ("1 hour before") are
taken on the instant, so they stay exactly that long.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

# Choice codes, stored in subscriptions.choices and reminders.choice.
EVENING_BEFORE = "evening"
DAY_BEFORE = "1d"
TWO_HOURS = "2h"
ONE_HOUR = "1h"
QUARTER_HOUR = "15m"
CHOICES: tuple[str, ...] = (EVENING_BEFORE, DAY_BEFORE, TWO_HOURS, ONE_HOUR, QUARTER_HOUR)
DEFAULT_CHOICES: tuple[str, ...] = (EVENING_BEFORE, ONE_HOUR)

EVENING_AT = dt.time(18, 0)
_DURATIONS = {
    DAY_BEFORE: dt.timedelta(days=1),
    TWO_HOURS: dt.timedelta(hours=2),
    ONE_HOUR: dt.timedelta(hours=1),
    QUARTER_HOUR: dt.timedelta(minutes=15),
}
# A reminder pulled out of quiet hours towards the evening goes this long
# before they begin, not at the very last minute.
BEFORE_QUIET = dt.timedelta(minutes=15)


def parse_choices(text: str) -> tuple[str, ...]:
    """Stored codes, in the canonical order; unknown ones are dropped."""
    wanted = {part.strip() for part in text.split(",")}
    return tuple(code for code in CHOICES if code in wanted)


def format_choices(choices: Iterable[str]) -> str:
    wanted = set(choices)
    return ",".join(code for code in CHOICES if code in wanted)


@dataclass(frozen=True)
class QuietHours:
    """Local hours in which nothing is sent; start == end means none."""

    start: dt.time = dt.time(21, 0)
    end: dt.time = dt.time(8, 0)

    @property
    def off(self) -> bool:
        return self.start == self.end

    def contains(self, local: dt.time) -> bool:
        if self.off:
            return False
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    @classmethod
    def from_text(cls, start: str | None, end: str | None) -> QuietHours:
        default = cls()
        return cls(
            dt.time.fromisoformat(start) if start else default.start,
            dt.time.fromisoformat(end) if end else default.end,
        )

    def as_text(self) -> tuple[str, str]:
        return self.start.strftime("%H:%M"), self.end.strftime("%H:%M")


def _local(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """A wall-clock time as an instant. A time the clocks skip is read as
    the same time after the change (fold=0 uses the offset before it)."""
    return dt.datetime.combine(day, at, tzinfo=zone)


def raw_fire_time(choice: str, session_start: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    if choice == EVENING_BEFORE:
        day = session_start.astimezone(zone).date() - dt.timedelta(days=1)
        return _local(day, EVENING_AT, zone)
    return session_start - _DURATIONS[choice]


def out_of_quiet_hours(
    fire: dt.datetime, session_start: dt.datetime, quiet: QuietHours, zone: ZoneInfo
) -> dt.datetime:
    """Move a time inside quiet hours to their end, or to just before they
    begin when the session starts before they end."""
    local = fire.astimezone(zone)
    if not quiet.contains(local.time().replace(tzinfo=None)):
        return fire
    # The quiet period this time falls in: it began today or yesterday.
    began = local.date() if local.time() >= quiet.start else local.date() - dt.timedelta(days=1)
    if quiet.start < quiet.end:
        began = local.date()
    ends_day = began if quiet.start < quiet.end else began + dt.timedelta(days=1)
    end = _local(ends_day, quiet.end, zone)
    if end <= session_start:
        return end
    return _local(began, quiet.start, zone) - BEFORE_QUIET


def fire_times(
    session_start: dt.datetime,
    choices: Sequence[str],
    quiet: QuietHours,
    zone: ZoneInfo,
) -> list[tuple[str, dt.datetime]]:
    """(choice, instant) for each reminder of one session, earliest first.
    Two choices that land on the same instant give one reminder."""
    if session_start.tzinfo is None:
        raise ValueError("session start must be an aware datetime")
    seen: set[dt.datetime] = set()
    out: list[tuple[str, dt.datetime]] = []
    for choice in choices:
        if choice not in CHOICES:
            continue
        fire = out_of_quiet_hours(
            raw_fire_time(choice, session_start, zone), session_start, quiet, zone
        )
        fire = fire.astimezone(dt.UTC)
        if fire >= session_start or fire in seen:
            continue
        seen.add(fire)
        out.append((choice, fire))
    return sorted(out, key=lambda item: item[1])


def notice_time(
    now: dt.datetime, earliest_session: dt.datetime | None, quiet: QuietHours, zone: ZoneInfo
) -> dt.datetime:
    """When to tell a learner about a change: now, or when their quiet hours
    end, unless something changed starts before then."""
    moved = out_of_quiet_hours(now, earliest_session or now + dt.timedelta(days=365), quiet, zone)
    return moved if moved > now else now


@dataclass(frozen=True)
class QuietEffect:
    """A reminder choice that falls in the learner's quiet hours for a session:
    when it comes instead, or None when it will not be sent at all (its moved
    time has passed, or is not before the session)."""

    choice: str
    session_start: dt.datetime
    comes_at: dt.datetime | None


@dataclass(frozen=True)
class QuietOutlook:
    """What quiet hours do to a followed group's reminders over every session
    of it still to come: how many sessions that is, and each reminder (of any
    of them) that quiet hours move or stop."""

    sessions: int = 0
    effects: tuple[QuietEffect, ...] = ()


def quiet_effects(
    choices: Sequence[str],
    session_start: dt.datetime,
    quiet: QuietHours,
    zone: ZoneInfo,
    now: dt.datetime,
) -> list[QuietEffect]:
    """What quiet hours do to each chosen reminder of one session, for the
    choices they touch (the others come at their own time)."""
    effects = []
    for choice in choices:
        if choice not in CHOICES:
            continue
        raw = raw_fire_time(choice, session_start, zone)
        if not quiet.contains(raw.astimezone(zone).time().replace(tzinfo=None)):
            continue
        moved = out_of_quiet_hours(raw, session_start, quiet, zone)
        sent = now < moved < session_start
        effects.append(QuietEffect(choice, session_start, moved if sent else None))
    return effects
