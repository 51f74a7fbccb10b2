"""Split long HTML text under Telegram's 4,096-character limit (UTF-16 units)."""

from __future__ import annotations

import re

from services.telegram_html import MESSAGE_LIMIT, utf16_length

LIMIT = MESSAGE_LIMIT
_ENTITY = re.compile(r"&[a-zA-Z#0-9]*$")


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Break at paragraph, then line, then word boundaries.

    Our HTML tags never span a line, so breaking between lines keeps every
    part well-formed; a single over-long line is broken between words and,
    failing that, anywhere but inside an entity like &amp;.
    """
    if utf16_length(text) <= limit:
        return [text]
    parts: list[str] = []
    rest = text
    while utf16_length(rest) > limit:
        fits = _fitting(rest, limit)
        window = rest[:fits]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut <= 0:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = fits
            match = _ENTITY.search(window)
            if match:
                cut = match.start()
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest:
        parts.append(rest)
    return [p for p in parts if p]


def _fitting(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` UTF-16 units (the raw HTML
    counts at least as much as the text Telegram shows, so it is a safe bound)."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)
