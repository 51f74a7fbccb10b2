"""A reply: HTML text and rows of buttons, independent of Telegram."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_TAG = re.compile(r"<[^>]+>")
# A longer button label is cut by the Telegram apps on a phone anyway.
MAX_LABEL = 60


def plain(text: str) -> str:
    """What the learner sees of an HTML message."""
    return html.unescape(_TAG.sub("", text))


def fit(text: str, limit: int = MAX_LABEL) -> str:
    """The text shortened to the limit at a word's end, with "…" (a name cut
    mid-word reads as another word: "Automatinių sistemų mechatron")."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:·–-(") + "…"


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
