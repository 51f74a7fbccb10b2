"""Working hours in Europe/Vilnius: weekdays, skipping Lithuanian public holidays.

"Unanswered after N working hours" is measured with this, so an enquiry sent
on Friday evening before Easter is not overdue on Monday morning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import holidays


@dataclass(frozen=True)
class WorkingHours:
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Vilnius"))
    opens: dt.time = dt.time(8, 0)
    closes: dt.time = dt.time(17, 0)
    # The holidays library knows the movable ones (Easter Monday) for any year.
    calendar: holidays.HolidayBase = field(default_factory=lambda: holidays.country_holidays("LT"))

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.calendar

    def add(self, start: dt.datetime, hours: float) -> dt.datetime:
        """The moment `hours` working hours after `start` (aware), in UTC."""
        if start.tzinfo is None:
            raise ValueError("start must be an aware datetime")
        remaining = dt.timedelta(hours=hours)
        moment = start.astimezone(self.zone)
        while True:
            day = moment.date()
            if self.is_working_day(day):
                # Opening hours never contain a clock change (it happens at
                # 03:00-04:00), so wall-clock arithmetic inside a day is exact.
                opens = dt.datetime.combine(day, self.opens, self.zone)
                closes = dt.datetime.combine(day, self.closes, self.zone)
                begin = max(moment, opens)
                if begin < closes:
                    available = closes - begin
                    if remaining <= available:
                        return (begin + remaining).astimezone(dt.UTC)
                    remaining -= available
            moment = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), self.zone)
