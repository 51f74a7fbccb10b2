"""Reminders through the bot and the emulator: follow a group, get a calendar
file, a reminder caught up after a restart and never sent twice, and the
notices a re-import owes."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import icalendar
import pytest

from emulator import BotApiEmulator
from services.clock import FixedClock
from services.container import Services
from tests.catalogue_helpers import demo_raw, group, import_raw, programme
from tests.conftest import DEMO, TOKEN
from tests.emu_helpers import buttons, next_message, wait_for_edit
from vtcbot.runner import BotRunner

GROUP = "driving-b-2027-01-evening"  # sessions from Mon 11 January 2027, 17:30


@pytest.fixture
async def centre(tmp_path: Path, clock: FixedClock) -> AsyncIterator[Services]:
    services = Services.create(tmp_path / "rem.db", clock)
    await services.start(DEMO)
    yield services
    await services.close()


async def _started(services: Services, emulator: BotApiEmulator) -> BotRunner:
    assert emulator.url is not None
    runner = BotRunner(services, TOKEN, emulator.url, concurrent_updates=8)
    await runner.start()
    # The planner's first round (catch-up) runs at start; this waits for it.
    await runner.sender.run_due()
    return runner


async def test_follow_a_group_and_get_its_calendar(
    centre: Services, emulator: BotApiEmulator, clock: FixedClock
) -> None:
    learner = 601
    clock.at = dt.datetime(2027, 1, 8, 10, 0, tzinfo=dt.UTC)
    runner = await _started(centre, emulator)
    try:
        emulator.send_text(learner, "/start", language_code="lt")
        [menu] = await emulator.wait_for_messages(learner, 1)
        seq = emulator.state.last_event_seq
        emulator.press_button(learner, menu["message_id"], "1|g|driving-b")
        groups = await wait_for_edit(emulator, learner, menu["message_id"], seq)
        assert "⏰ Priminti: grupė nuo sausio 11 d." in buttons(groups)

        seq = emulator.state.last_event_seq
        emulator.press(learner, menu["message_id"], "⏰ Priminti: grupė nuo sausio 11 d.")
        settings = await wait_for_edit(emulator, learner, menu["message_id"], seq)
        assert "Jums bus priminta apie kiekvieną užsiėmimą" in settings["text"]
        assert "✓ Išvakarėse 18:00: įjungta" in buttons(settings)
        assert "✓ Prieš 1 valandą: įjungta" in buttons(settings)
        assert "Prieš 15 minučių: išjungta" in buttons(settings)

        # Tick "15 minutes before": the setting and the planned rows follow.
        seq = emulator.state.last_event_seq
        emulator.press(learner, menu["message_id"], "Prieš 15 minučių: išjungta")
        settings = await wait_for_edit(emulator, learner, menu["message_id"], seq)
        assert "✓ Prieš 15 minučių: įjungta" in buttons(settings)
        assert await centre.reminders.choices(learner, GROUP) == ("evening", "1h", "15m")

        emulator.press(learner, menu["message_id"], "Gauti kalendoriaus failą (.ics)")
        [document] = await _documents(emulator, learner)
        # Named as the learner would look for it, in their language.
        title = centre.catalogue.view.groups[GROUP][0].title.get("lt")
        assert document["file_name"] == f"{title}, 2027 m. sausis.ics"
        calendar = icalendar.Calendar.from_ical(emulator.file_bytes(str(document["file_id"])))
        events = list(calendar.walk("VEVENT"))
        assert len(events) == 14
        first = min(events, key=lambda e: e.decoded("dtstart"))
        starts = first.decoded("dtstart")
        assert str(starts.tzinfo) == "Europe/Vilnius"
        assert starts.replace(tzinfo=None) == dt.datetime(2027, 1, 11, 17, 30)
        assert first.decoded("dtend").replace(tzinfo=None) == dt.datetime(2027, 1, 11, 20, 45)
        assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Vilnius"]

        emulator.send_text(learner, "/schedule")
        schedule = await next_message(emulator, learner)
        assert schedule["text"].startswith("Jūsų užsiėmimai per artimiausias dvi savaites")
        assert "sausio 11 d., pirmadienis 17:30–20:45" in schedule["text"]

        emulator.send_text(learner, "/reminders")
        listing = await next_message(emulator, learner)
        assert (
            "B kategorija (lengvieji automobiliai), grupė nuo 2027 m. sausio 11 d."
            in (listing["text"])
        )
        assert "Tylos valandos: 21:00–08:00" in listing["text"]
    finally:
        await runner.stop()


async def _documents(emulator: BotApiEmulator, chat_id: int) -> list[dict[str, object]]:
    for _ in range(2):
        count = len(emulator.messages(chat_id))
        documents = emulator.documents(chat_id)
        if documents:
            return documents
        await emulator.wait_for_messages(chat_id, count + 1)
    return emulator.documents(chat_id)


async def test_a_reminder_missed_while_down_is_sent_once_after_restart(
    centre: Services, emulator: BotApiEmulator, clock: FixedClock
) -> None:
    learner = 602
    # Sunday 10 January 2027, 14:00 in Vilnius.
    clock.at = dt.datetime(2027, 1, 10, 12, 0, tzinfo=dt.UTC)
    runner = await _started(centre, emulator)
    emulator.send_text(learner, "/start", language_code="lt")
    await emulator.wait_for_messages(learner, 1)
    await centre.reminders.subscribe(learner, GROUP)
    await runner.stop()

    # Down over 18:00, the evening-before reminder's time; up at 18:30.
    clock.at = dt.datetime(2027, 1, 10, 16, 30, tzinfo=dt.UTC)
    runner = await _started(centre, emulator)
    [_menu, reminder] = await emulator.wait_for_messages(learner, 2)
    assert reminder["text"].startswith("⏰ KET teorija 1/10")
    assert "sausio 11 d., pirmadienis 17:30–20:45" in reminder["text"]
    await runner.stop()

    # Restarted again: nothing is sent twice.
    runner = await _started(centre, emulator)
    await runner.stop()
    assert len(emulator.messages(learner)) == 2

    # Down over the 1-hour reminder (16:30) until after the lesson began
    # (17:30): it is marked skipped, not sent late.
    clock.at = dt.datetime(2027, 1, 11, 15, 45, tzinfo=dt.UTC)
    runner = await _started(centre, emulator)
    await runner.stop()
    assert len(emulator.messages(learner)) == 2
    counts = await centre.reminders.counts()
    assert counts["sent"] == 1
    assert counts["skipped"] == 1


async def test_reimport_notifies_subscribers_and_waitlist_once(
    centre: Services, emulator: BotApiEmulator, clock: FixedClock, tmp_path: Path
) -> None:
    follower, waiting = 603, 604
    clock.at = dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC)  # a Monday, 12:00
    for learner in (follower, waiting):
        emulator.state.ensure_private_chat(learner)
    await centre.reminders.subscribe(follower, GROUP)
    raw = demo_raw()
    first_aid = programme(raw, "nf-first-aid")
    kept_groups = first_aid["groups"]
    first_aid["groups"] = []
    await import_raw(centre, raw, tmp_path / "v1.yaml")
    await centre.reminders.join_waitlist(waiting, "nf-first-aid")

    # The first lesson moves from 17:30 to 18:00, in room 203; first aid
    # gets its groups back.
    lesson = group(raw, GROUP)["sessions"][0]
    old_planned = await _planned(centre, follower)
    lesson["starts_at"] = "2027-01-11T18:00"
    lesson["ends_at"] = "2027-01-11T21:15"
    lesson["room"] = "203"
    first_aid["groups"] = kept_groups
    summary = await import_raw(centre, raw, tmp_path / "v2.yaml")
    assert (summary.schedule_notices, summary.waitlist_notices) == (1, 1)
    new_planned = await _planned(centre, follower)
    moved = {k: v for k, v in new_planned.items() if k[0].endswith("theory-01")}
    # Reminders follow: 18:00 the evening before stays, 1 hour before is now 17:00.
    assert sorted(v.astimezone(dt.UTC).strftime("%m-%d %H:%M") for v in moved.values()) == [
        "01-10 16:00",
        "01-11 15:00",
    ]
    assert len(new_planned) == len(old_planned)

    runner = await _started(centre, emulator)
    try:
        [notice] = await emulator.wait_for_messages(follower, 1)
        assert notice["text"].startswith("📅 Tvarkaraščio pakeitimas")
        assert "sausio 11 d., pirmadienis 17:30" in notice["text"]
        assert "sausio 11 d., pirmadienis 18:00" in notice["text"]
        assert "203" in notice["text"]
        [opened] = await emulator.wait_for_messages(waiting, 1)
        assert opened["text"].startswith("🎉")
        assert any(b.startswith("Priminti: grupė nuo") for b in buttons(opened))

        # The same file again changes nothing and tells nobody anything.
        summary = await import_raw(centre, raw, tmp_path / "v3.yaml")
        assert (summary.schedule_notices, summary.waitlist_notices) == (0, 0)
        await runner.sender.run_due()
        assert len(emulator.messages(follower)) == 1
        assert len(emulator.messages(waiting)) == 1
        assert await centre.reminders.waitlisted(waiting) == []
    finally:
        await runner.stop()


async def _planned(services: Services, user_id: int) -> dict[tuple[str, str], dt.datetime]:
    from storage import reminders_repo

    rows = await reminders_repo.planned(services.db.reader, user_id, GROUP)
    return {(r.session_id, r.choice): dt.datetime.fromtimestamp(r.fire_at, dt.UTC) for r in rows}
