"""A reminder that falls in the learner's quiet hours: said when the choice is
made and in /reminders, with when it comes instead or that it will not come."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from services.clock import FixedClock
from services.container import Services
from services.reminders.planning import QuietHours, quiet_effects
from tests.catalogue_helpers import PROGRAMME, demo_raw, import_raw, new_group, programme, session
from tests.handlers.conftest import Chat, buttons

VILNIUS = ZoneInfo("Europe/Vilnius")
EARLY = "first-aid-early"


def test_a_quarter_hour_before_seven_comes_the_evening_before() -> None:
    session_start = dt.datetime(2026, 11, 23, 7, 0, tzinfo=VILNIUS)
    before = dt.datetime(2026, 11, 22, 12, 0, tzinfo=VILNIUS)
    [effect] = quiet_effects(["evening", "15m"], session_start, QuietHours(), VILNIUS, before)
    assert effect.choice == "15m"
    assert effect.comes_at == dt.datetime(2026, 11, 22, 20, 45, tzinfo=VILNIUS)
    # Followed at 22:00 the evening before: 20:45 has passed, nothing will come.
    late = dt.datetime(2026, 11, 22, 22, 0, tzinfo=VILNIUS)
    [effect] = quiet_effects(["15m"], session_start, QuietHours(), VILNIUS, late)
    assert effect.comes_at is None
    # Without quiet hours, nothing to say.
    assert (
        quiet_effects(["15m"], session_start, QuietHours(dt.time(0), dt.time(0)), VILNIUS, before)
        == []
    )


async def _early_group(services: Services, tmp_path: Path) -> None:
    raw = demo_raw()
    programme(raw, PROGRAMME)["groups"].append(
        new_group(EARLY, "2026-11-23", "2026-11-30", [session("early-1", "2026-11-23T07:00")])
    )
    await import_raw(services, raw, tmp_path / "early.yaml")


async def test_following_an_early_group_says_which_reminder_moves(
    english_learner: Chat, services: Services, tmp_path: Path
) -> None:
    await _early_group(services, tmp_path)
    [menu] = await english_learner.say("/start")
    [settings] = await english_learner.press_data(menu["message_id"], f"1|R|S|{EARLY}")
    text = settings["text"]
    assert (
        "“1 hour before” falls in your quiet hours: for the session on Mon 23 Nov 7:00 it "
        "will come at 20:45 the evening before." in text
    )
    # The evening-before reminder is not in quiet hours: nothing said about it.
    assert "“The evening before at 18:00” falls" not in text
    assert "Change quiet hours" in buttons(settings)
    [choose] = await english_learner.press(settings, "Change quiet hours")
    assert "Choose your quiet hours:" in choose["text"]


async def test_reminders_says_a_reminder_will_not_come(
    learner: Chat, services: Services, tmp_path: Path
) -> None:
    await _early_group(services, tmp_path)
    await services.reminders.subscribe(learner.user_id, EARLY)
    clock = services.clock
    assert isinstance(clock, FixedClock)
    # 22:00 the evening before: the moved time (20:45) has gone by.
    clock.at = dt.datetime(2026, 11, 22, 22, 0, tzinfo=VILNIUS)
    [listing] = await learner.say("/reminders")
    assert (
        "„Prieš 1 valandą“ patenka į jūsų tylos valandas: lapkričio 23 d., pirmadienis 7:00 "
        "vyksiančiam užsiėmimui šis priminimas nebus išsiųstas." in listing["text"]
    )


MIXED = "first-aid-mixed"


async def _mixed_group(services: Services, tmp_path: Path) -> None:
    # Six sessions: three in the evening (nothing in quiet hours), two at 8:30
    # ("1 hour before" is 7:30: it waits until 8:00) and one at 7:00 (it
    # comes the evening before).
    sessions = [
        session("m1", "2026-11-24T17:30"),
        session("m2", "2026-11-25T08:30"),
        session("m3", "2026-11-26T17:30"),
        session("m4", "2026-11-27T08:30"),
        session("m5", "2026-11-30T07:00"),
        session("m6", "2026-12-01T17:30"),
    ]
    raw = demo_raw()
    programme(raw, PROGRAMME)["groups"].append(
        new_group(MIXED, "2026-11-24", "2026-12-01", sessions)
    )
    await import_raw(services, raw, tmp_path / "mixed.yaml")


async def test_following_counts_every_session_not_only_the_next(
    english_learner: Chat, services: Services, tmp_path: Path
) -> None:
    await _mixed_group(services, tmp_path)
    [menu] = await english_learner.say("/start")
    [settings] = await english_learner.press_data(menu["message_id"], f"1|R|S|{MIXED}")
    text = settings["text"]
    # The next session (Tue 17:30) has nothing in quiet hours: later ones do.
    assert (
        "“1 hour before” falls in your quiet hours for 2 of the 6 sessions: for those it will "
        "come at 8:00 the same day." in text
    ), text
    assert (
        "“1 hour before” falls in your quiet hours: for the session on Mon 30 Nov 7:00 it "
        "will come at 20:45 the evening before." in text
    )
    assert "Change quiet hours" in buttons(settings)


async def test_reminders_counts_in_lithuanian(
    learner: Chat, services: Services, tmp_path: Path
) -> None:
    await _mixed_group(services, tmp_path)
    await services.reminders.subscribe(learner.user_id, MIXED)
    [listing] = await learner.say("/reminders")
    assert (
        "„Prieš 1 valandą“ patenka į jūsų tylos valandas prieš 2 užsiėmimus iš 6: tada šis "
        "priminimas ateis tą pačią dieną 8:00." in listing["text"]
    ), listing["text"]


async def test_every_session_in_quiet_hours_is_said_once(
    english_learner: Chat, services: Services, tmp_path: Path
) -> None:
    raw = demo_raw()
    early = [session(f"e{i}", f"2026-11-{23 + i:02d}T07:00") for i in range(3)]
    programme(raw, PROGRAMME)["groups"].append(new_group(EARLY, "2026-11-23", "2026-11-25", early))
    await import_raw(services, raw, tmp_path / "early3.yaml")
    await services.reminders.subscribe(english_learner.user_id, EARLY)
    [listing] = await english_learner.say("/reminders")
    assert (
        "“1 hour before” falls in your quiet hours for all 3 sessions: it will come at 20:45 "
        "the evening before." in listing["text"]
    )
    # Quiet hours off: nothing to say, and the group's line stays.
    await services.reminders.set_quiet_hours(
        english_learner.user_id, QuietHours(dt.time(0), dt.time(0))
    )
    [listing] = await english_learner.say("/reminders")
    assert "falls in your quiet hours" not in listing["text"]


async def test_lithuanian_counts_take_their_forms(services: Services) -> None:
    from services.reminders.planning import QuietEffect, QuietOutlook
    from texts.i18n import translator
    from texts.reminders import quiet_effect_lines

    view = services.catalogue.view
    t = translator("lt")

    def line(n: int, total: int) -> str:
        starts = [
            dt.datetime(2027, 1, 4, 7, 0, tzinfo=VILNIUS) + dt.timedelta(days=i) for i in range(n)
        ]
        effects = tuple(QuietEffect("1h", s, None) for s in starts)
        [text] = quiet_effect_lines(t, QuietOutlook(total, effects), view)
        return text

    assert "prieš 21 užsiėmimą iš 30: tada šis priminimas nebus išsiųstas" in line(21, 30)
    assert "prieš 3 užsiėmimus iš 30" in line(3, 30)
    assert "prieš 12 užsiėmimų iš 30" in line(12, 30)
    assert "prieš visus 21 užsiėmimą: šis priminimas nebus išsiųstas" in line(21, 21)
