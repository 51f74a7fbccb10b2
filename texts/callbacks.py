"""Callback data: short, versioned, made of stable ids, never button text.

Telegram allows 64 bytes. An id too long to fit travels as '~' and a short
hash of it; the handler resolves it against the catalogue. Anything that does
not parse (an old menu, a forged press) is reported as stale, not a crash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

VERSION = "1"
SEP = "|"
MAX_BYTES = 64


@dataclass(frozen=True)
class Callback:
    action: str
    args: tuple[str, ...] = ()

    def arg(self, index: int, default: str = "") -> str:
        return self.args[index] if index < len(self.args) else default


def short_hash(value: str) -> str:
    return "~" + hashlib.blake2b(value.encode(), digest_size=6).hexdigest()


def pack(action: str, *args: str | int) -> str:
    parts = [VERSION, action, *(str(a) for a in args)]
    data = SEP.join(parts)
    if len(data.encode()) <= MAX_BYTES:
        return data
    # Shorten the longest ids first until it fits.
    shortened = list(parts)
    for index in sorted(range(2, len(parts)), key=lambda i: -len(parts[i])):
        shortened[index] = short_hash(parts[index])
        data = SEP.join(shortened)
        if len(data.encode()) <= MAX_BYTES:
            return data
    raise ValueError(f"callback data cannot fit in {MAX_BYTES} bytes: {action}")


def unpack(data: str | None) -> Callback | None:
    """The callback, or None when the data is not one of ours (stale or forged)."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(SEP)
    if len(parts) < 2 or parts[0] != VERSION or not parts[1]:
        return None
    return Callback(parts[1], tuple(parts[2:]))


def resolve(value: str, candidates: Iterable[str]) -> str | None:
    """An id as it came in a callback: itself, or the candidate whose hash it is."""
    if not value.startswith("~"):
        return value
    return next((c for c in candidates if short_hash(c) == value), None)
