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
