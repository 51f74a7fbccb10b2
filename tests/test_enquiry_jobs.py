"""The escalation of unanswered enquiries and the retention job, with an injected clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from domain.enquiries import Delivery
from services.clock import FixedClock
from services.container import Services
from storage import enquiries_repo
from tests.conftest import ADMIN_ID, DEMO

VILNIUS = ZoneInfo("Europe/Vilnius")


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VILNIUS)


async def _centre(tmp_path: Path, clock: FixedClock, hours: float) -> Services:
    services = Services.create(
        tmp_path / "jobs.db",
        clock,
        admin_ids=[ADMIN_ID],
        staff_chat_id=-100,
        escalation_hours=hours,
        retention_days=365,
    )
    await services.start(DEMO)
    return services


async def _file(services: Services, user: int, key: str) -> int:
    enquiries = services.enquiries
    draft = await enquiries.start(user, "lt", "Ar dar yra vietų?")
    draft = await enquiries.set_contact(user, draft, None, None)
    draft = await enquiries.consent(user, draft)
    enquiry = await enquiries.submit(user, draft.nonce)
    assert enquiry is not None
    return enquiry.id


async def test_escalation_skips_the_easter_weekend_and_happens_once(tmp_path: Path) -> None:
    clock = FixedClock(local(2027, 3, 26, 16, 0))  # Friday before Easter, 16:00
    services = await _centre(tmp_path, clock, hours=2)
    number = await _file(services, 5001, "cb:a")
    for moment in (
        local(2027, 3, 26, 17, 30),  # Friday after closing: one hour counted
        local(2027, 3, 28, 12, 0),  # Easter Sunday, also the clock change
        local(2027, 3, 29, 12, 0),  # Easter Monday: a public holiday
        local(2027, 3, 30, 8, 59),  # Tuesday, one minute short
    ):
        clock.at = moment
        assert await services.enquiries.overdue() == [], moment
    clock.at = local(2027, 3, 30, 9, 0)
    assert [e.id for e in await services.enquiries.overdue()] == [number]
    clock.at = local(2027, 3, 31, 12, 0)
    assert await services.enquiries.overdue() == []  # raised once only
    await services.close()


async def test_an_answered_enquiry_is_not_raised(tmp_path: Path) -> None:
    clock = FixedClock(local(2027, 1, 11, 9, 0))  # a Monday
    services = await _centre(tmp_path, clock, hours=8)
    number = await _file(services, 5002, "cb:b")
    row = await services.enquiries.staff_answer(ADMIN_ID, number, "Taip.", "msg:1")
    assert row is not None
    await services.enquiries.delivered(row, Delivery.SENT)
    clock.at = local(2027, 1, 14, 9, 0)
    assert await services.enquiries.overdue() == []
    await services.close()


async def test_retention_removes_only_old_closed_enquiries(tmp_path: Path) -> None:
    clock = FixedClock(local(2026, 1, 5, 10, 0))
    services = await _centre(tmp_path, clock, hours=8)
    old_closed = await _file(services, 5003, "cb:c")
    await services.enquiries.act(ADMIN_ID, old_closed, "close")
    old_open = await _file(services, 5004, "cb:d")
    clock.at = local(2026, 1, 10, 10, 0)
    recent_closed = await _file(services, 5005, "cb:e")
    await services.enquiries.act(ADMIN_ID, recent_closed, "spam")
    clock.at = local(2027, 1, 7, 10, 0)  # 367 days after the first, 362 after the last
    assert await services.enquiries.purge_finished() == 1
    remaining = await enquiries_repo.statuses(services.db.reader)
    assert remaining == {old_open: "new", recent_closed: "spam"}
    await services.close()
