"""Reminders on the daylight-saving Sundays of 2027 in Europe/Vilnius, with
time moved minute by minute by an injected clock."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

from services.clock import FixedClock
from services.container import Services
from services.reminders.planning import QuietHours
from tests.catalogue_helpers import PROGRAMME, demo_raw, import_raw, new_group, programme, session

VILNIUS = ZoneInfo("Europe/Vilnius")
GROUP = "dst-2027"
QUIET_USER = 501  # default quiet hours 21:00-08:00
NIGHT_OWL = 502  # quiet hours off


def local(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=VILNIUS)


async def _setup(services: Services, tmp_path: Path) -> list[str]:
    raw = demo_raw()
    programme(raw, PROGRAMME)["groups"].append(
        new_group(
            GROUP,
            "2027-03-01",
            "2027-11-30",
            [
                session("mar-0330", "2027-03-28T03:30"),
                session("mar-1000", "2027-03-28T10:00"),
                session("oct-0330", "2027-10-31T03:30"),
                session("oct-1000", "2027-10-31T10:00"),
            ],
        )
    )
    path = tmp_path / "dst.yaml"
    await import_raw(services, raw, path)
    report, _ = await services.catalogue.import_file(path)
    choices = ("evening", "1h", "15m")
    await services.reminders.subscribe(QUIET_USER, GROUP, choices)
    await services.reminders.set_quiet_hours(NIGHT_OWL, QuietHours(dt.time(0), dt.time(0)))
    await services.reminders.subscribe(NIGHT_OWL, GROUP, choices)
    return report.warnings


async def _run(
    services: Services, clock: FixedClock, start: dt.datetime, end: dt.datetime
) -> list[tuple[int, str, str, dt.datetime]]:
    """Step the clock a minute at a time; send whatever is due, twice per
    step to show that asking again sends nothing again."""
    fired: list[tuple[int, str, str, dt.datetime]] = []
    clock.at = start
    while clock.at <= end:
        for _ in range(2):
            for due in await services.reminders.due():
                assert await services.reminders.claim(due.row.id)
                fired.append((due.row.user_id, due.row.session_id, due.row.choice, clock.now()))
                await services.reminders.finish(due.row.id, "sent")
        clock.advance(dt.timedelta(minutes=1))
    return fired


def _local_times(
    fired: list[tuple[int, str, str, dt.datetime]], user: int
) -> set[tuple[str, str, str]]:
    return {
        (sid, choice, at.astimezone(VILNIUS).strftime("%m-%d %H:%M %Z"))
        for u, sid, choice, at in fired
        if u == user
    }


async def test_spring_forward_sunday(services: Services, clock: FixedClock, tmp_path: Path) -> None:
    clock.at = dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)
    warnings = await _setup(services, tmp_path)
    assert any("2027-03-28 03:30 does not exist" in w for w in warnings)
    fired = await _run(
        services,
        clock,
        dt.datetime(2027, 3, 27, 12, 0, tzinfo=dt.UTC),
        dt.datetime(2027, 3, 28, 9, 0, tzinfo=dt.UTC),
    )
    # 03:30 does not exist that night: the session is at 04:30 summer time.
    # Quiet hours move its 1-hour and 15-minute reminders (02:30, 04:15) to
    # 20:45 the evening before, where the two become one.
    assert _local_times(fired, QUIET_USER) == {
        ("mar-0330", "evening", "03-27 18:00 EET"),
        ("mar-0330", "1h", "03-27 20:45 EET"),
        ("mar-1000", "evening", "03-27 18:00 EET"),
        ("mar-1000", "1h", "03-28 09:00 EEST"),
        ("mar-1000", "15m", "03-28 09:45 EEST"),
    }
    assert _local_times(fired, NIGHT_OWL) == {
        ("mar-0330", "evening", "03-27 18:00 EET"),
        ("mar-0330", "1h", "03-28 02:30 EET"),
        ("mar-0330", "15m", "03-28 04:15 EEST"),
        ("mar-1000", "evening", "03-27 18:00 EET"),
        ("mar-1000", "1h", "03-28 09:00 EEST"),
        ("mar-1000", "15m", "03-28 09:45 EEST"),
    }
    # Never twice, and nothing in the hour the clocks skip.
    assert max(Counter((u, s, c) for u, s, c, _ in fired).values()) == 1
    for _, _, _, at in fired:
        wall = at.astimezone(VILNIUS)
        assert not (wall.date() == dt.date(2027, 3, 28) and wall.hour == 3)
    # The October ones wait for their day.
    assert await services.reminders.counts() == {"sent": 11, "planned": 11}


async def test_fall_back_sunday(services: Services, clock: FixedClock, tmp_path: Path) -> None:
    clock.at = dt.datetime(2027, 10, 1, 12, 0, tzinfo=dt.UTC)
    warnings = await _setup(services, tmp_path)
    assert any("2027-10-31 03:30 happens twice" in w for w in warnings)
    fired = await _run(
        services,
        clock,
        dt.datetime(2027, 10, 30, 12, 0, tzinfo=dt.UTC),
        dt.datetime(2027, 10, 31, 9, 0, tzinfo=dt.UTC),
    )
    # 03:30 happens twice: the session is the first one, in summer time.
    assert _local_times(fired, NIGHT_OWL) == {
        ("oct-0330", "evening", "10-30 18:00 EEST"),
        ("oct-0330", "1h", "10-31 02:30 EEST"),
        ("oct-0330", "15m", "10-31 03:15 EEST"),
        ("oct-1000", "evening", "10-30 18:00 EEST"),
        ("oct-1000", "1h", "10-31 09:00 EET"),
        ("oct-1000", "15m", "10-31 09:45 EET"),
    }
    assert _local_times(fired, QUIET_USER) == {
        ("oct-0330", "evening", "10-30 18:00 EEST"),
        ("oct-0330", "1h", "10-30 20:45 EEST"),
        ("oct-1000", "evening", "10-30 18:00 EEST"),
        ("oct-1000", "1h", "10-31 09:00 EET"),
        ("oct-1000", "15m", "10-31 09:45 EET"),
    }
    # The hour from 03:00 to 04:00 passes twice; nothing is sent twice.
    assert max(Counter((u, s, c) for u, s, c, _ in fired).values()) == 1
    assert (await services.reminders.counts())["sent"] == 11


async def test_minute_of_firing(services: Services, clock: FixedClock, tmp_path: Path) -> None:
    """The 09:00 reminder of the 10:00 session goes at 06:00 UTC, not an hour off."""
    clock.at = dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)
    await _setup(services, tmp_path)
    fired = await _run(
        services,
        clock,
        dt.datetime(2027, 3, 28, 5, 55, tzinfo=dt.UTC),
        dt.datetime(2027, 3, 28, 6, 5, tzinfo=dt.UTC),
    )
    # The earlier ones were missed while "down" and their sessions have
    # started or not: only the 1-hour reminders of mar-1000 fire at 06:00;
    # the older due ones (evening, 20:45) are caught up at the first step.
    times = {(u, s, c): at for u, s, c, at in fired}
    assert times[(QUIET_USER, "mar-1000", "1h")] == dt.datetime(2027, 3, 28, 6, 0, tzinfo=dt.UTC)
    assert times[(NIGHT_OWL, "mar-1000", "1h")] == dt.datetime(2027, 3, 28, 6, 0, tzinfo=dt.UTC)


async def test_a_session_on_a_public_holiday_is_imported_with_a_warning(
    services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    raw = demo_raw()
    programme(raw, PROGRAMME)["groups"].append(
        new_group(
            "holiday-2027",
            "2027-02-01",
            "2027-03-31",
            # 16 February: the Day of Restoration of the State of Lithuania.
            [session("state-day", "2027-02-16T10:00"), session("ordinary", "2027-02-17T10:00")],
        )
    )
    path = tmp_path / "holiday.yaml"
    await import_raw(services, raw, path)
    report, _ = await services.catalogue.import_file(path)
    holiday = [w for w in report.warnings if "public holiday" in w]
    [state_day] = [w for w in holiday if "2027-02-16" in w]
    assert "2027-02-16 is a public holiday in Lithuania (Day of Restoration" in state_day
    assert ".sessions[0].starts_at" in state_day
    assert not any("2027-02-17" in w for w in holiday)
    # A warning, not an error: the session is there and can be followed.
    assert "holiday-2027" in services.catalogue.view.groups
