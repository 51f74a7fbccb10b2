"""A group's sessions as an iCalendar file a phone's calendar can import."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from services.catalogue.schema import Centre, Group, Programme
from services.clock import instant

# A session without an end shows as an hour in the calendar; a deadline as
# a moment.
DEFAULT_LENGTH = dt.timedelta(hours=1)


def group_calendar(
    centre: Centre, programme: Programme, group: Group, lang: str, now: dt.datetime
) -> bytes:
    zone = ZoneInfo(centre.timezone)
    cal = Calendar()
    cal.add("prodid", f"-//{centre.id}//vtcbot//{lang.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{programme.title.get(lang)} ({group.starts.isoformat()})")
    cal.add("x-wr-timezone", centre.timezone)
    for session in group.sessions:
        # Local wall-clock times with their zone (TZID), so a calendar shows
        # 17:30 on both sides of a daylight-saving change.
        starts = instant(session.starts_at, zone).astimezone(zone)
        if session.ends_at:
            ends = instant(session.ends_at, zone).astimezone(zone)
        elif session.kind == "deadline":
            ends = starts
        else:
            ends = starts + DEFAULT_LENGTH
        event = Event()
        # Stable: importing the file again updates the events instead of
        # adding copies.
        event.add("uid", f"{group.id}.{session.id}@{centre.id}")
        event.add("dtstamp", now.astimezone(dt.UTC))
        event.add("dtstart", starts)
        event.add("dtend", ends)
        event.add("summary", f"{session.title.get(lang)} · {programme.title.get(lang)}")
        where = group.location.get(lang)
        if session.room:
            where = f"{where}, {session.room}"
        event.add("location", where)
        cal.add_component(event)
    # The VTIMEZONE block with the zone's rules, for calendars that need it,
    # limited to the years the group spans so the file stays small.
    cal.add_missing_timezones(
        first_date=dt.date(group.starts.year - 1, 1, 1),
        last_date=dt.date(group.ends.year + 2, 1, 1),
    )
    return bytes(cal.to_ical())
