"""Reminder rules with an injected clock: catch-up inside quiet hours,
quiet hours that do not wrap midnight, privacy."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from services.clock import FixedClock
from services.container import Services
from services.reminders.planning import QuietHours, fire_times

VILNIUS = ZoneInfo("Europe/Vilnius")
GROUP = "driving-b-2027-01-evening"  # first lesson Mon 11 January 2027, 17:30


async def _send_all(services: Services) -> list[tuple[str, str]]:
    sent = []
    for due in await services.reminders.due():
        assert await services.reminders.claim(due.row.id, due.row.fire_at)
        await services.reminders.finish(due.row.id, "sent")
        sent.append((due.row.session_id, due.row.choice))
    return sent


async def test_a_reminder_missed_at_night_waits_for_the_end_of_quiet_hours(
    services: Services, clock: FixedClock
) -> None:
    clock.at = dt.datetime(2027, 1, 10, 12, 0, tzinfo=dt.UTC)
    await services.reminders.subscribe(7001, GROUP, ("evening",))
    # The bot was down from before 18:00 until 02:00 (local): the evening
    # reminder is not sent at 2 a.m. but at 08:00, the lesson being at 17:30.
    clock.at = dt.datetime(2027, 1, 11, 0, 0, tzinfo=dt.UTC)
    assert await _send_all(services) == []
    clock.at = dt.datetime(2027, 1, 11, 5, 59, tzinfo=dt.UTC)  # 07:59 local
    assert await _send_all(services) == []
    clock.at = dt.datetime(2027, 1, 11, 6, 0, tzinfo=dt.UTC)  # 08:00 local
    assert await _send_all(services) == [("driving-b-2027-01-evening-theory-01", "evening")]
    assert await _send_all(services) == []


def test_quiet_hours_that_do_not_wrap_midnight() -> None:
    quiet = QuietHours(dt.time(1), dt.time(6))
    start = dt.datetime(2027, 2, 3, 10, 0, tzinfo=VILNIUS)
    planned = dict(fire_times(start.astimezone(dt.UTC), ["2h", "1d"], quiet, VILNIUS))
    assert planned["2h"].astimezone(VILNIUS).strftime("%d %H:%M") == "03 08:00"
    assert planned["1d"].astimezone(VILNIUS).strftime("%d %H:%M") == "02 10:00"
    # A 05:00 session: its 1-hour reminder (04:00) moves before 01:00.
    early = dt.datetime(2027, 2, 3, 5, 0, tzinfo=VILNIUS).astimezone(dt.UTC)
    [(_, fire)] = fire_times(early, ["1h"], quiet, VILNIUS)
    assert fire.astimezone(VILNIUS).strftime("%d %H:%M") == "03 00:45"


async def test_forget_erases_subscriptions_reminders_and_waitlist(
    services: Services, clock: FixedClock
) -> None:
    clock.at = dt.datetime(2027, 1, 4, 12, 0, tzinfo=dt.UTC)
    await services.reminders.subscribe(7002, GROUP)
    await services.reminders.join_waitlist(7002, "driving-am")
    assert (await services.reminders.counts())["planned"] == 28
    await services.privacy.forget(7002)
    assert await services.reminders.subscriptions(7002) == []
    assert await services.reminders.waitlisted(7002) == []
    assert await services.reminders.counts() == {}
