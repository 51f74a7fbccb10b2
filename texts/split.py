"""Split long HTML text under Telegram's 4,096-character limit."""

from __future__ import annotations

import re

LIMIT = 4096
_ENTITY = re.compile(r"&[a-zA-Z#0-9]*$")


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Break at paragraph, then line, then word boundaries.

    Our HTML tags never span a line, so breaking between lines keeps every
    part well-formed; a single over-long line is broken between words and,
    failing that, anywhere but inside an entity like &amp;.
    """
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut <= 0:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = limit
            match = _ENTITY.search(window)
            if match:
                cut = match.start()
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest:
        parts.append(rest)
    return [p for p in parts if p]
