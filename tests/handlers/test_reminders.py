"""Reminder buttons: stopped stays stopped, forged buttons are refused."""

from __future__ import annotations

import datetime as dt

from services.clock import FixedClock
from services.container import Services
from tests.handlers.conftest import Chat, buttons

GROUP = "driving-b-2027-01-evening"


async def test_an_old_settings_button_does_not_undo_stop(learner: Chat, services: Services) -> None:
    [menu] = await learner.say("/start")
    mid = menu["message_id"]
    [settings] = await learner.press_data(mid, f"1|R|S|{GROUP}")
    assert "Jums bus priminta apie kiekvieną užsiėmimą" in settings["text"]
    [listing] = await learner.press_data(mid, f"1|R|x|{GROUP}")
    assert listing["text"].startswith("Priminimų dar neturite")
    # The "Reminder settings" button of an earlier reminder, or a time toggle.
    for data in (f"1|R|g|{GROUP}", f"1|R|t|{GROUP}|15m"):
        [menu] = await learner.say("/start")
        [reply] = await learner.press_data(menu["message_id"], data)
        assert reply["text"].startswith("Priminimų negaunate:")
        assert any(b.startswith("⏰ Priminti") for b in buttons(reply))
        assert await services.reminders.choices(learner.user_id, GROUP) is None
    assert await services.reminders.counts() == {"cancelled": 28}


async def test_forged_reminder_buttons_are_stale(learner: Chat, services: Services) -> None:
    for data in ("1|R|Q|²|8", "1|R|Q|24|8", "1|R|S|no-such-group", "1|R|t|" + GROUP + "|3h"):
        [menu] = await learner.say("/start")
        [reply] = await learner.press_data(menu["message_id"], data)
        assert reply["text"].startswith("Šis meniu pasenęs."), data
    assert await services.reminders.quiet_hours(learner.user_id) == (
        await services.reminders.quiet_hours(0)
    )


async def test_schedule_with_nothing_in_two_weeks_says_when_the_next_session_is(
    english_learner: Chat, services: Services
) -> None:
    # 21 November 2026: the group's first lesson is on 11 January 2027.
    await services.reminders.subscribe(english_learner.user_id, GROUP)
    [reply] = await english_learner.say("/schedule")
    first, second = reply["text"].split("\n")[:2]
    assert first == "No sessions of your groups in the next two weeks."
    assert second.startswith("The next session, Category B (cars): Mon 11 Jan 17:30–20:45 · ")
    assert "Theory lesson 1/10" in second


async def test_schedule_says_when_a_group_has_no_more_sessions(
    learner: Chat, services: Services
) -> None:
    await services.reminders.subscribe(learner.user_id, GROUP)
    view = services.catalogue.view
    _programme, group = view.groups[GROUP]
    last = group.sessions[-1]
    clock = services.clock
    assert isinstance(clock, FixedClock)
    clock.at = (last.ends_at or last.starts_at).replace(tzinfo=view.zone) + dt.timedelta(days=1)
    [reply] = await learner.say("/schedule")
    assert reply["text"].split("\n")[1] == "Jūsų grupės daugiau suplanuotų užsiėmimų neturi."


async def test_the_calendar_file_is_named_after_the_programme_and_month(
    english_learner: Chat, services: Services
) -> None:
    programme, _group = services.catalogue.view.groups[GROUP]
    [menu] = await english_learner.say("/start")
    await english_learner.press_data(menu["message_id"], f"1|R|i|{GROUP}")
    [document] = english_learner.emu.documents(english_learner.user_id)
    assert document["file_name"] == f"{programme.title.get('en')}, January 2027.ics"
    assert GROUP not in document["file_name"]


def test_a_calendar_file_name_has_no_character_a_file_system_refuses(services: Services) -> None:
    from texts.i18n import translator
    from texts.reminders import calendar_file_name

    programme, group = services.catalogue.view.groups[GROUP]
    odd = programme.model_copy(
        update={"title": programme.title.model_copy(update={"en": 'A/B: "C"?'})}
    )
    assert calendar_file_name(translator("en"), odd, group) == "A B C , January 2027.ics"


async def test_a_long_course_name_is_cut_at_a_word_on_the_reminders_buttons(
    learner: Chat, services: Services
) -> None:
    # The longest Lithuanian title: the button keeps the date that tells two
    # groups apart and shortens the name at a word's end, with "…".
    title = "Nacionalinė profesinio mokymo mokytojų kvalifikacijos tobulinimo konferencija"
    await services.reminders.subscribe(learner.user_id, "pd-conference-2027-04")
    [listing] = await learner.say("/reminders")
    [change] = [b for b in buttons(listing) if b.startswith("Keisti: ")]
    assert len(change) <= 60, change
    name, date = change.split(": ", 1)[1].split(" · ")
    assert name.endswith("…") and title.startswith(name[:-1]) and title[len(name) - 1] == " ", (
        change
    )
    assert date == "balandžio 22 d.", change
