"""End to end: the bot long-polls the emulator over loopback HTTP."""

from __future__ import annotations

import datetime as dt

from emulator import BotApiEmulator
from services.clock import FixedClock
from services.container import Services
from storage import question_log_repo
from tests.conftest import TOKEN
from tests.emu_helpers import buttons, wait_for_edit
from vtcbot.runner import BotRunner


async def test_start_browse_and_ask_in_lithuanian(
    running_bot: BotRunner, emulator: BotApiEmulator
) -> None:
    emulator.send_text(501, "/start", language_code="lt")
    [menu] = await emulator.wait_for_messages(501, 1)
    assert menu["text"].startswith("Sveiki!")
    seq = emulator.state.last_event_seq
    emulator.press(501, menu["message_id"], "Vairavimo mokykla")
    listing = await wait_for_edit(emulator, 501, menu["message_id"], seq)
    assert "B kategorija (lengvieji automobiliai)" in buttons(listing)
    emulator.send_text(501, "kiek kainuoja B kategorija?")
    [_menu, answer] = await emulator.wait_for_messages(501, 2)
    assert "690" in answer["text"]


async def test_english_learner_is_answered_in_english(
    running_bot: BotRunner, emulator: BotApiEmulator
) -> None:
    emulator.send_text(502, "/start", language_code="en")
    emulator.send_text(502, "how much is the forklift course?", language_code="en")
    [menu, answer] = await emulator.wait_for_messages(502, 2)
    assert menu["text"].startswith("Hello!")
    assert "Price: €280.00" in answer["text"]


async def test_commands_are_registered_per_language(
    running_bot: BotRunner, emulator: BotApiEmulator
) -> None:
    lt = {c["command"]: c["description"] for c in emulator.commands(language_code="lt")}
    en = {c["command"]: c["description"] for c in emulator.commands(language_code="en")}
    assert lt["language"] == "Pakeisti kalbą"
    assert en["language"] == "Change language"


async def test_refused_set_my_commands_is_only_a_warning(
    services: Services, emulator: BotApiEmulator, caplog: object
) -> None:
    emulator.add_fault(method="setMyCommands", kind="5xx", times=None)
    assert emulator.url is not None
    runner = BotRunner(services, TOKEN, emulator.url)
    await runner.start()
    try:
        emulator.send_text(503, "/start")
        [menu] = await emulator.wait_for_messages(503, 1)
        assert menu["text"].startswith("Sveiki!")
    finally:
        await runner.stop()


async def test_unfinished_update_is_handled_after_restart_without_resending(
    services: Services, emulator: BotApiEmulator
) -> None:
    """An update stored but not finished (the bot died) is handled at start-up."""
    update = {
        "update_id": 900,
        "message": {
            "message_id": 1,
            "date": 1,
            "text": "kiek kainuoja B kategorija?",
            "chat": {"id": 504, "type": "private", "first_name": "L"},
            "from": {"id": 504, "is_bot": False, "first_name": "L", "language_code": "lt"},
        },
    }
    emulator.send_text(504, "labas")  # creates the chat in the emulator
    await services.intake.store([update])
    assert emulator.url is not None
    runner = BotRunner(services, TOKEN, emulator.url)
    await runner.start()
    try:
        messages = await emulator.wait_for_messages(504, 2)
        answers = [m for m in messages if "690" in m.get("text", "")]
        assert len(answers) == 1
    finally:
        await runner.stop()
    assert (await services.intake.counts()).get("pending", 0) == 0
    assert await question_log_repo.count_for_update(services.db.reader, 900) == 1


async def test_reply_handed_over_before_a_crash_is_not_sent_again(
    services: Services, emulator: BotApiEmulator
) -> None:
    update = {
        "update_id": 901,
        "message": {
            "message_id": 1,
            "date": 1,
            "text": "kiek kainuoja B kategorija?",
            "chat": {"id": 505, "type": "private", "first_name": "L"},
            "from": {"id": 505, "is_bot": False, "first_name": "L", "language_code": "lt"},
        },
    }
    emulator.send_text(505, "/start")  # the chat exists; its own reply proves the bot ran
    [inbox_id] = await services.intake.store([update])
    assert inbox_id is not None
    await services.intake.sending(inbox_id, 0, "sendMessage")
    assert emulator.url is not None
    runner = BotRunner(services, TOKEN, emulator.url)
    await runner.start()
    try:
        [menu] = await emulator.wait_for_messages(505, 1)
    finally:
        await runner.stop()
    assert menu["text"].startswith("Sveiki!")
    assert emulator.messages(505) == [menu]
    assert (await services.intake.counts()).get("pending", 0) == 0


async def test_redelivered_finished_update_is_confirmed_not_handled_again(
    services: Services, emulator: BotApiEmulator
) -> None:
    """After a crash Telegram delivers unconfirmed updates again; one the bot
    had already finished is skipped, and the offset still moves past it."""
    old = emulator.send_text(506, "kiek kainuoja B kategorija?")
    [inbox_id] = await services.intake.store([old])
    assert inbox_id is not None
    await services.intake.done(inbox_id)
    assert emulator.url is not None
    runner = BotRunner(services, TOKEN, emulator.url)
    await runner.start()
    try:
        emulator.send_text(506, "/start")
        [menu] = await emulator.wait_for_messages(506, 1)
    finally:
        await runner.stop()
    assert menu["text"].startswith("Sveiki!")
    assert emulator.pending_updates() == []
    # No busy loop of getUpdates re-fetching the same update.
    assert len(emulator.requests("getUpdates")) < 10


async def test_finished_updates_are_dropped_after_a_day(
    services: Services, clock: FixedClock
) -> None:
    update = {
        "update_id": 950,
        "message": {
            "message_id": 1,
            "date": 1,
            "text": "labas",
            "chat": {"id": 507, "type": "private"},
            "from": {"id": 507, "is_bot": False, "first_name": "Ona"},
        },
    }
    [inbox_id] = await services.intake.store([update])
    assert inbox_id is not None
    await services.intake.done(inbox_id)
    assert await services.intake.purge_consumed() == 0
    clock.advance(dt.timedelta(hours=25))
    assert await services.intake.purge_consumed() == 1
    assert (await services.privacy.export(507))["messages_received"] == []
