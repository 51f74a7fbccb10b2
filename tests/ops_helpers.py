"""Learners filing enquiries with a bot in another process, and reading its
database from outside, for the backup, restore and stop tests."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Any

from emulator import BotApiEmulator

THANKS = "Ačiū! Jūsų užklausos numeris"


def _buttons(message: dict[str, Any]) -> dict[str, str]:
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return {b["text"]: b.get("callback_data", "") for row in keyboard for b in row}


async def file_enquiry(emulator: BotApiEmulator, learner: int) -> float:
    """A Lithuanian learner goes through "Ask the centre" to the end (no
    phone), doing what the bot's last message asks, sent or edited; the
    time.monotonic() at which the bot's confirmation arrived."""
    seq = emulator.state.last_event_seq
    emulator.send_text(learner, "/start", language_code="lt")
    done: tuple[object, ...] | None = None
    while True:
        events = await emulator.wait_for_events(seq, timeout=30)
        assert events, f"learner {learner}: the bot stopped answering"
        seq = events[-1]["seq"]
        messages = emulator.messages(learner)
        if any(THANKS in str(m.get("text", "")) for m in messages):
            return time.monotonic()
        if not messages:
            continue
        last = messages[-1]
        text = str(last.get("text", ""))
        buttons = _buttons(last)
        if (last["message_id"], text, tuple(buttons)) == done:
            continue  # another learner's event, or nothing new here
        done = (last["message_id"], text, tuple(buttons))
        for button in ("Klausti centro", "Programos", "Sutinku", "Siųsti"):
            if button in buttons:
                emulator.press_button(learner, last["message_id"], buttons[button])
                break
        else:
            if text.startswith("Parašykite savo klausimą"):
                emulator.send_text(learner, f"Klausimas nuo {learner}: ar yra vakarinių grupių?")
            elif text.startswith("Ar norite, kad darbuotojai"):
                emulator.send_text(learner, "Praleisti")


def enquiry_texts(db: Path) -> set[str]:
    """The enquiries a database holds, by their text (one per learner here)."""
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("SELECT text FROM enquiries")}


async def enquiries_now(db: Path) -> set[str]:
    """What is committed at this moment, read from another connection."""
    return await asyncio.to_thread(enquiry_texts, db)
