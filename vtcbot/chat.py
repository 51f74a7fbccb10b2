"""`vtcbot chat`: talk to the bot in a terminal, through the Bot API emulator.

Nothing leaves the machine: the emulator plays Telegram on loopback and the
bot runs exactly as it would in production, polling it.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from dataclasses import dataclass, field
from typing import Any

from emulator import BotApiEmulator
from services.container import Services
from texts.reply import plain
from vtcbot.runner import BotRunner, ConsoleConfig

OFFLINE_TOKEN = "1000001:offline-chat"
REPLY_WAIT = 10.0  # seconds to wait for the bot's first reply to a line
SETTLE = 0.3  # seconds without new output before the next line is read
BANNER = (
    "Offline chat with the learner assistant (no Telegram involved).\n"
    "Type as a learner would; press a button by typing its number; /quit to leave.\n"
)


@dataclass
class Buttons:
    """The buttons of the latest bot message that has any, by number."""

    message_id: int | None = None
    options: list[tuple[str, str | None, str | None]] = field(default_factory=list)

    def update(self, message: dict[str, Any]) -> None:
        keyboard = (message.get("reply_markup") or {}).get("inline_keyboard")
        if not keyboard:
            return
        self.message_id = message["message_id"]
        self.options = [
            (b.get("text", ""), b.get("callback_data"), b.get("url"))
            for row in keyboard
            for b in row
        ]


def render(message: dict[str, Any], buttons: Buttons, edited: bool) -> str:
    lines = []
    text = message.get("text") or message.get("caption") or ""
    document = message.get("document")
    if document:
        text = (text + "\n" if text else "") + f"[file: {document.get('file_name', 'document')}]"
    prefix = "bot (updated)> " if edited else "bot> "
    lines.append(prefix + plain(text).replace("\n", "\n     "))
    if buttons.message_id == message.get("message_id"):
        for number, (label, _data, url) in enumerate(buttons.options, start=1):
            lines.append(f"     [{number}] {label}" + (f" ({url})" if url else ""))
    return "\n".join(lines)


async def _print_events(
    emu: BotApiEmulator, chat_id: int, buttons: Buttons, printed: asyncio.Event
) -> None:
    seq = emu.state.last_event_seq
    while True:
        events = await emu.wait_for_events(seq, timeout=30.0)
        for event in events:
            seq = max(seq, event["seq"])
            if event.get("chat_id") != chat_id:
                continue
            kind = event["kind"]
            if kind in ("sent", "edited"):
                message = event["message"]
                buttons.update(message)
                print(render(message, buttons, kind == "edited"), flush=True)
                printed.set()
            elif kind == "callback_answered":
                text = (event.get("answer") or {}).get("text")
                if text:
                    print(f"     ({text})", flush=True)
                    printed.set()


async def _await_reply(printed: asyncio.Event) -> None:
    """Let the bot answer before the next line is read, so that a piped-in
    conversation reads like a typed one."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(printed.wait(), REPLY_WAIT)
    while printed.is_set():
        printed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(printed.wait(), SETTLE)


async def _read_line() -> str | None:
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    return line if line else None


async def run_chat(
    services: Services, user_id: int, language_code: str, console: ConsoleConfig | None = None
) -> int:
    emu = BotApiEmulator()
    url = await emu.start()
    # A new emulator would count update ids from 1 again, and the bot ignores
    # ids it has already handled: carry on from the last one it saw.
    emu.state.reserve_update_id(await services.intake.last_update_id())
    runner = BotRunner(services, OFFLINE_TOKEN, url, concurrent_updates=4, console=console)
    await runner.start()
    if runner.console_url:
        print(f"Web console: {runner.console_url} (type /admin here for a sign-in link)")
    buttons = Buttons()
    printed = asyncio.Event()
    printer = asyncio.create_task(_print_events(emu, user_id, buttons, printed))
    print(BANNER, flush=True)
    emu.send_text(user_id, "/start", language_code=language_code)
    try:
        sent = True  # the /start above
        while True:
            if sent:
                await _await_reply(printed)
            sent = False
            line = await _read_line()
            if line is None or line.strip() in ("/quit", "/exit"):
                break
            text = line.strip()
            if not text:
                continue
            if text.isdigit() and buttons.message_id is not None:
                number = int(text)
                if not 1 <= number <= len(buttons.options):
                    print(f"     (there is no button {number}; type 1-{len(buttons.options)})")
                    continue
                _label, data, url_ = buttons.options[number - 1]
                if data:
                    emu.press_button(user_id, buttons.message_id, data)
                    sent = True
                elif url_:
                    print(f"     (opens {url_})")
                continue
            emu.send_text(user_id, text, language_code=language_code)
            sent = True
    finally:
        printer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await printer
        await runner.stop()
        await emu.stop()
    return 0
