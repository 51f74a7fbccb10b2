"""Reading what the bot did in the emulator: edited menus and their buttons."""

from __future__ import annotations

from typing import Any

from emulator import BotApiEmulator


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
