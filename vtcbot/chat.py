"""`vtcbot chat`: talk to the bot in a terminal, through the Bot API emulator.

Nothing leaves the machine: the emulator plays Telegram on loopback and the
bot runs exactly as it would in production, polling it. What the chat shows
is vtcbot/chat_screen.py; this module is the loop that reads the learner's
lines and hands them to the emulator.
"""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.app import PacingSettings
from domain.languages import DEFAULT_LANGUAGE, LANGUAGES
from emulator import BotApiEmulator
from services.container import Services
from texts.i18n import Translator, translator
from vtcbot.chat_screen import CHAT_COMMAND, INDENT, OFFLINE_PHONE, Choice, Press, Screen
from vtcbot.runner import BotRunner, ConsoleConfig
from vtcbot.settings import PROJECT

OFFLINE_TOKEN = "1000001:offline-chat"
# Where the chat keeps the files the bot sends (its log: vtcbot/cli.py).
OFFLINE_FILES = PROJECT / "var" / "offline-files"
REPLY_WAIT = 10.0  # seconds to wait for the bot's first reply to a line
SETTLE = 0.3  # seconds without new output before the next line is read

ReadLine = Callable[[], Awaitable[str | None]]
Write = Callable[[str], None]


MAX_BUTTON_DIGITS = 2


def banner(t: Translator) -> str:
    return "\n".join(
        [
            t.gettext("Offline chat with the learner assistant (no Telegram involved)."),
            t.gettext(
                "Type as a learner would; press a button by typing its number; /quit to leave."
            ),
            t.gettext(
                "To send a photo: /photo PATH; a file: /file PATH; a sticker: /sticker. "
                "Files the bot sends are saved in {folder}."
            ).format(folder=OFFLINE_FILES),
            "",
        ]
    )


class OfflineChat:
    """One learner at the terminal, the bot behind the emulator."""

    def __init__(
        self, emu: BotApiEmulator, user_id: int, language_code: str, files_dir: Path, write: Write
    ) -> None:
        self.emu = emu
        self.user_id = user_id
        self.language_code = language_code
        lang = language_code if language_code in LANGUAGES else DEFAULT_LANGUAGE
        self.t = translator(lang)
        self.screen = Screen(self.t, files_dir, file_bytes=emu.file_bytes)
        self.write = write
        self.printed = asyncio.Event()

    async def print_events(self) -> None:
        seq = self.emu.state.last_event_seq
        while True:
            events = await self.emu.wait_for_events(seq, timeout=30.0)
            for event in events:
                seq = max(seq, event["seq"])
                if event.get("chat_id") != self.user_id:
                    continue
                kind = event["kind"]
                if kind in ("sent", "edited"):
                    self.write(self.screen.message(event["message"], kind == "edited"))
                    self.printed.set()
                elif kind == "deleted":
                    self.screen.keyboards.on_deleted(int(event["message_id"]))
                elif kind == "callback_answered":
                    text = (event.get("answer") or {}).get("text")
                    if text:
                        self.write(f"{INDENT}({text})")
                        self.printed.set()

    async def await_reply(self) -> None:
        """Let the bot answer before the next line is read, so that a piped-in
        conversation reads like a typed one."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.printed.wait(), REPLY_WAIT)
        while self.printed.is_set():
            self.printed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.printed.wait(), SETTLE)

    def handle(self, text: str) -> bool:
        """Act on one line the learner typed; whether the bot was sent something."""
        # A button's number is short; a longer number is a message (a phone
        # number typed into a form, a year).
        if text.isdigit() and len(text) <= MAX_BUTTON_DIGITS:
            return self._press(int(text))
        command = CHAT_COMMAND.match(text)
        if command:
            return self._send_file(command.group(1), (command.group(2) or "").strip())
        self.emu.send_text(self.user_id, text, language_code=self.language_code)
        return True

    def _press(self, number: int) -> bool:
        choices = self.screen.keyboards.current()
        if not 1 <= number <= len(choices):
            self.write(self.screen.no_such_button(number))
            return False
        choice: Choice = choices[number - 1]
        self.screen.keyboards.used(choice)
        if choice.press == Press.CALLBACK and choice.message_id is not None and choice.value:
            self.emu.press_button(self.user_id, choice.message_id, choice.value)
        elif choice.press == Press.URL:
            self.write(INDENT + self.t.gettext("(opens {url})").format(url=choice.value))
            return False
        elif choice.press == Press.CONTACT:
            self.write(
                INDENT
                + self.t.gettext("(shares the phone number {phone})").format(phone=OFFLINE_PHONE)
            )
            self.emu.send_contact(self.user_id, OFFLINE_PHONE)
        else:
            self.emu.send_text(self.user_id, choice.label, language_code=self.language_code)
        return True

    def _send_file(self, kind: str, path_text: str) -> bool:
        if kind == "sticker":
            self.emu.send_sticker(self.user_id)
            return True
        path = Path(path_text).expanduser()
        if not path_text or not path.is_file():
            self.write(INDENT + self.t.gettext("(no such file: {path})").format(path=path_text))
            return False
        data = path.read_bytes()
        if kind == "photo":
            self.emu.send_photo(self.user_id, data=data)
        else:
            mime = mimetypes.guess_type(path.name)[0]
            self.emu.send_document(self.user_id, path.name, data, mime)
        return True


async def _read_stdin() -> str | None:
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    return line if line else None


def _print(text: str) -> None:
    print(text, flush=True)


async def run_chat(
    services: Services,
    user_id: int,
    language_code: str,
    console: ConsoleConfig | None = None,
    *,
    read_line: ReadLine = _read_stdin,
    write: Write = _print,
    files_dir: Path = OFFLINE_FILES,
) -> int:
    emu = BotApiEmulator()
    url = await emu.start()
    # A new emulator would count update ids from 1 again, and the bot ignores
    # ids it has already handled: carry on from the last one it saw.
    emu.state.reserve_update_id(await services.intake.last_update_id())
    # No Telegram to spare: the bot's next message comes at once, not a second
    # later, so a reply of two messages is on screen before the next line is read.
    pacing = PacingSettings(chat_interval=0.0)
    runner = BotRunner(
        services, OFFLINE_TOKEN, url, concurrent_updates=4, pacing=pacing, console=console
    )
    await runner.start()
    chat = OfflineChat(emu, user_id, language_code, files_dir, write)
    if runner.console_url:
        write(
            chat.t.gettext("Web console: {url} (type /admin here for a sign-in link)").format(
                url=runner.console_url
            )
        )
    printer = asyncio.create_task(chat.print_events())
    write(banner(chat.t))
    emu.send_text(user_id, "/start", language_code=language_code)
    try:
        sent = True  # the /start above
        while True:
            if sent:
                await chat.await_reply()
            line = await read_line()
            if line is None or line.strip() in ("/quit", "/exit"):
                break
            text = line.strip()
            sent = chat.handle(text) if text else False
    finally:
        printer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await printer
        await runner.stop()
        await emu.stop()
    return 0
