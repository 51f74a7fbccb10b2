"""What the offline chat shows: the bot's messages as a learner would see them
in Telegram, with every button they could press numbered, and the files the
bot sends summarised and saved.

Kept apart from the terminal loop (vtcbot/chat.py) so that it can be read and
tested without a terminal: it turns emulator events into lines of text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import icalendar
from babel.numbers import format_decimal

from texts.i18n import Translator
from texts.reply import plain

INDENT = "     "
# How many events of a calendar file the chat lists before "and N more".
EVENTS_SHOWN = 5
# A learner who shares their phone in the offline chat shares this one.
OFFLINE_PHONE = "+37060000000"


class Press(StrEnum):
    CALLBACK = "callback"  # an inline button with callback data
    URL = "url"  # an inline button that opens a link
    TEXT = "text"  # a reply-keyboard button: sends its label
    CONTACT = "contact"  # a reply-keyboard button that shares the phone number


@dataclass(frozen=True)
class Choice:
    """One button the learner can press, by its number."""

    label: str
    press: Press
    message_id: int | None = None
    value: str | None = None  # callback data or URL


@dataclass
class Keyboards:
    """The buttons the numbers press, as Telegram keeps them: the inline
    keyboard of the latest message shown with one (an edit of that message
    replaces it, or takes it away), and the one reply keyboard under the
    message field (until removed, or used once if it was sent one-time)."""

    inline: list[Choice] = field(default_factory=list)
    inline_message: int | None = None
    reply: list[Choice] = field(default_factory=list)
    reply_one_time: bool = False

    def on_message(self, message: dict[str, Any]) -> bool:
        """Take in a sent or edited message; whether it brought buttons of its own."""
        message_id = int(message["message_id"])
        rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        choices = [_inline_choice(message_id, b) for row in rows for b in row]
        if choices:
            self.inline, self.inline_message = choices, message_id
        elif message_id == self.inline_message:
            self.inline, self.inline_message = [], None
        sent = message.get("sent_reply_markup") or {}
        if sent.get("remove_keyboard"):
            self.reply = []
        elif sent.get("keyboard"):
            self.reply = [_reply_choice(b) for row in sent["keyboard"] for b in row]
            self.reply_one_time = bool(sent.get("one_time_keyboard"))
            return True
        return bool(choices)

    def on_deleted(self, message_id: int) -> None:
        if message_id == self.inline_message:
            self.inline, self.inline_message = [], None

    def current(self) -> list[Choice]:
        return self.inline + self.reply

    def used(self, choice: Choice) -> None:
        if choice.press in (Press.TEXT, Press.CONTACT) and self.reply_one_time:
            self.reply = []


def _inline_choice(message_id: int, button: dict[str, Any]) -> Choice:
    label = str(button.get("text", ""))
    if button.get("callback_data"):
        return Choice(label, Press.CALLBACK, message_id, str(button["callback_data"]))
    return Choice(label, Press.URL, message_id, button.get("url"))


def _reply_choice(button: dict[str, Any] | str) -> Choice:
    if isinstance(button, str):
        return Choice(button, Press.TEXT)
    label = str(button.get("text", ""))
    return Choice(label, Press.CONTACT if button.get("request_contact") else Press.TEXT)


@dataclass
class Screen:
    """Turns the bot's messages into the chat's lines, in the chat's language."""

    t: Translator
    files_dir: Path
    keyboards: Keyboards = field(default_factory=Keyboards)
    # Reads a file the bot sent, by its file id (the emulator keeps them).
    file_bytes: Callable[[str], bytes] | None = None

    def message(self, message: dict[str, Any], edited: bool) -> str:
        with_buttons = self.keyboards.on_message(message)
        t = self.t
        text = plain(message.get("text") or message.get("caption") or "")
        lines = text.split("\n") if text else []
        document = message.get("document")
        if document:
            lines += self._document(document)
        photo = message.get("photo")
        if photo:
            largest = max(photo, key=lambda p: p.get("width", 0) * p.get("height", 0))
            lines.append(
                t.gettext("[photo, {width}×{height}]").format(
                    width=largest.get("width"), height=largest.get("height")
                )
            )
        prefix = "bot (updated)> " if edited else "bot> "
        out = [prefix + ("\n" + INDENT).join(lines)]
        if with_buttons:
            out += self.buttons_lines()
        return "\n".join(out)

    def buttons_lines(self) -> list[str]:
        lines = []
        for number, choice in enumerate(self.keyboards.current(), start=1):
            line = f"{INDENT}[{number}] {choice.label}"
            if choice.press == Press.URL and choice.value:
                line += f" ({choice.value})"
            if choice.press in (Press.TEXT, Press.CONTACT):
                line += " " + self.t.gettext("(keyboard button)")
            lines.append(line)
        return lines

    def no_such_button(self, number: int) -> str:
        count = len(self.keyboards.current())
        if not count:
            return INDENT + self.t.gettext("(there are no buttons to press now)")
        if count == 1:
            # Not a plural form: Lithuanian says 21 like 1, but 21 buttons are a range.
            return INDENT + self.t.gettext("(there is no button {number}; type 1)").format(
                number=number
            )
        return INDENT + self.t.gettext(
            "(there is no button {number}; type a number from 1 to {last})"
        ).format(number=number, last=count)

    def _document(self, document: dict[str, Any]) -> list[str]:
        t = self.t
        name = Path(str(document.get("file_name") or "document")).name
        data = self.file_bytes(str(document["file_id"])) if self.file_bytes else None
        size = document.get("file_size") or (len(data) if data is not None else 0)
        if data is None:
            return [t.gettext("[file: {name}, {size}]").format(name=name, size=self.size(size))]
        path = self._save(name, data)
        lines = [
            t.gettext("[file: {name}, {size}, saved as {path}]").format(
                name=name, size=self.size(size), path=path
            )
        ]
        if name.lower().endswith(".ics"):
            lines += self._calendar(data)
        elif name.lower().endswith(".json"):
            lines += self._json(data)
        return lines

    def size(self, size: int) -> str:
        if size < 1024:
            return self.t.ngettext("{n} byte", "{n} bytes", size).format(n=size)
        kilobytes = format_decimal(round(size / 1024, 1), locale=self.t.locale)
        return self.t.gettext("{n} KB").format(n=kilobytes)

    def _save(self, name: str, data: bytes) -> Path:
        self.files_dir.mkdir(parents=True, exist_ok=True)
        stem, dot, suffix = name.rpartition(".")
        path = self.files_dir / name
        number = 1
        while path.exists():
            number += 1
            path = self.files_dir / (f"{stem} ({number}).{suffix}" if dot else f"{name} ({number})")
        path.write_bytes(data)
        return path

    def _calendar(self, data: bytes) -> list[str]:
        t = self.t
        try:
            calendar = icalendar.Calendar.from_ical(data)
        except ValueError:
            return [t.gettext("(not a calendar file that can be read)")]
        events = sorted(
            (_as_datetime(e.decoded("dtstart")), str(e.get("summary", "")))
            for e in calendar.walk("VEVENT")
        )
        lines = [
            t.ngettext("Calendar: {n} event", "Calendar: {n} events", len(events)).format(
                n=len(events)
            )
        ]
        for starts, summary in events[:EVENTS_SHOWN]:
            when = f"{t.weekday_date(starts.date())} {t.time(starts)}"
            lines.append(f"• {when} {summary}")
        rest = len(events) - EVENTS_SHOWN
        if rest > 0:
            lines.append(t.ngettext("and {n} more", "and {n} more", rest).format(n=rest))
        return lines

    def _json(self, data: bytes) -> list[str]:
        t = self.t
        try:
            loaded = json.loads(data)
        except ValueError:
            return [t.gettext("(not JSON that can be read)")]
        if not isinstance(loaded, dict):
            return []
        parts = []
        for key, value in loaded.items():
            if isinstance(value, list):
                parts.append(
                    t.ngettext("{name} ({n} item)", "{name} ({n} items)", len(value)).format(
                        name=key, n=len(value)
                    )
                )
            elif isinstance(value, dict):
                parts.append(
                    t.ngettext("{name} ({n} field)", "{name} ({n} fields)", len(value)).format(
                        name=key, n=len(value)
                    )
                )
            else:
                parts.append(key)
        return [t.gettext("Sections: {sections}").format(sections=", ".join(parts))]


def _as_datetime(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(0))


# "/photo PATH", "/file PATH", "/sticker": what the learner sends besides text.
CHAT_COMMAND = re.compile(r"^/(photo|file|sticker)(?:\s+(.+))?$")
