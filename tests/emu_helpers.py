"""Running the bot against the emulator and reading what it did: edited menus
and their buttons."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from emulator import BotApiEmulator
from services.clock import Clock
from services.container import Services
from tests.conftest import ADMIN_ID, DEMO, TOKEN
from vtcbot.runner import BotRunner, ConsoleConfig

T = TypeVar("T")


async def until_found(emulator: BotApiEmulator, check: Callable[[], T | None]) -> T:
    """What `check` finds once the bot has done it (tried after each of the
    emulator's events, so no sleeping); fails when the bot falls silent."""
    seq = emulator.state.last_event_seq
    while True:
        found = check()
        if found:
            return found
        events = await emulator.wait_for_events(seq, timeout=5)
        assert events, "the bot did nothing more"
        seq = events[-1]["seq"]


async def wait_for_edit(
    emulator: BotApiEmulator, chat_id: int, message_id: int, since: int
) -> dict[str, Any]:
    """The message as the bot next edited it (events after `since`)."""
    while True:
        events = await emulator.wait_for_events(since, timeout=5)
        assert events, "the bot did not edit the message"
        for event in events:
            if (event["kind"], event["chat_id"], event["message_id"]) == (
                "edited",
                chat_id,
                message_id,
            ):
                message: dict[str, Any] = event["message"]
                return message
        since = events[-1]["seq"]


def buttons(message: dict[str, Any]) -> list[str]:
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [b["text"] for row in keyboard for b in row]


async def next_message(emulator: BotApiEmulator, chat_id: int) -> dict[str, Any]:
    """The bot's next new message in a chat."""
    count = len(emulator.messages(chat_id))
    messages = await emulator.wait_for_messages(chat_id, count + 1)
    last: dict[str, Any] = messages[-1]
    return last


@asynccontextmanager
async def staffed_centre(
    db: Path,
    clock: Clock,
    emulator: BotApiEmulator,
    staff_chat: int,
    staff: int | None = None,
    console: ConsoleConfig | None = None,
) -> AsyncIterator[tuple[Services, BotRunner]]:
    """The bot running against the emulator with a staff chat (and a staff
    member besides the admin, and the web console, when given), on a fresh
    database with the demo catalogue."""
    services = Services.create(db, clock, admin_ids=[ADMIN_ID], staff_chat_id=staff_chat)
    await services.start(DEMO)
    if staff is not None:
        await services.roles.grant_staff(ADMIN_ID, staff)
    emulator.state.register_chat({"id": staff_chat, "type": "supergroup", "title": "Staff"})
    assert emulator.url is not None
    runner = BotRunner(services, TOKEN, emulator.url, concurrent_updates=8, console=console)
    await runner.start()
    try:
        yield services, runner
    finally:
        await runner.stop()
        await services.close()


async def file_enquiry(
    emulator: BotApiEmulator, learner: int, question: str, contact: str, staff_chat: int
) -> dict[str, Any]:
    """A Lithuanian learner asks the centre about programmes, with a name and
    phone typed as `contact`, agrees and sends: the bot's post in the staff chat."""
    menu = await next_message(emulator, learner)  # the /start menu, sent by the caller
    count = len(emulator.messages(learner))
    emulator.press(learner, menu["message_id"], "Klausti centro")
    topics = (await emulator.wait_for_messages(learner, count + 1))[-1]
    count = len(emulator.messages(learner))
    emulator.press(learner, topics["message_id"], "Programos")
    await emulator.wait_for_messages(learner, count + 1)
    emulator.send_text(learner, question)
    await next_message(emulator, learner)
    emulator.send_text(learner, contact)
    consent = (await emulator.wait_for_messages(learner, len(emulator.messages(learner)) + 2))[-1]
    count = len(emulator.messages(learner))
    emulator.press(learner, consent["message_id"], "Sutinku")
    confirm = (await emulator.wait_for_messages(learner, count + 1))[-1]
    emulator.press(learner, confirm["message_id"], "Siųsti")
    return await next_message(emulator, staff_chat)


def reply_in_staff_chat(
    emulator: BotApiEmulator, staff_chat: int, author: int, to: dict[str, Any], text: str
) -> None:
    """A staff member answers by replying to the bot's post, as in Telegram."""
    chat = emulator.state.chats[staff_chat]
    emulator.inject_update(
        {
            "message": {
                "message_id": chat.next_message_id,
                "date": 1,
                "chat": {"id": staff_chat, "type": "supergroup", "title": "Staff"},
                "from": {"id": author, "is_bot": False, "first_name": "Rūta"},
                "text": text,
                "reply_to_message": to,
            }
        }
    )
