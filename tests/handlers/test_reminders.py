"""Reminder buttons: stopped stays stopped, forged buttons are refused."""

from __future__ import annotations

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
