"""A reply: HTML text and rows of buttons, independent of Telegram."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """What the learner sees of an HTML message."""
    return html.unescape(_TAG.sub("", text))


@dataclass(frozen=True)
class Button:
    label: str
    data: str | None = None  # callback data
    url: str | None = None


@dataclass
class Reply:
    text: str
    buttons: list[list[Button]] = field(default_factory=list)

    def add_row(self, *buttons: Button) -> Reply:
        self.buttons.append(list(buttons))
        return self
