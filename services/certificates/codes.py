"""Verification codes: long and random, so that guessing one is hopeless
(80 bits: at a thousand guesses a second, about 10^16 years for one hit),
and easy to type from paper (no 0/O, 1/I/L, grouped in fours)."""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 letters and digits, none alike
LENGTH = 16  # log2(31) * 16 = 79.3 bits


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def normalised(typed: str) -> str | None:
    """A code as typed (any case, spaces or dashes) in its stored form, or
    None when it cannot be one."""
    raw = "".join(ch for ch in typed.upper() if ch not in " -\t")
    if len(raw) != LENGTH or any(ch not in ALPHABET for ch in raw):
        return None
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))
