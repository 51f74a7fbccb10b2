"""Names people typed, made safe to show inside other text.

Unicode's bidirectional controls (U+202E RIGHT-TO-LEFT OVERRIDE and its
kin) reorder whatever follows them on the line: a learner's "name" could
make the phone number after it in the staff post read backwards, or make a
console line say something it does not. The controls are dropped; a name
written in a right-to-left script is then wrapped in an isolate (FSI…PDI),
so that it reads correctly and still cannot reorder the words around it.
"""

from __future__ import annotations

import unicodedata

# Embeddings and overrides (LRE RLE PDF LRO RLO), isolates (LRI RLI FSI
# PDI), the marks LRM and RLM, and the Arabic letter mark.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
_DROP = {ord(c): None for c in BIDI_CONTROLS}
# Characters that show nothing (zero-width space, word joiner, byte order
# mark): in a name they only make two equal names differ. The zero-width
# joiner and non-joiner stay: Persian and Sinhala names are spelt with them.
INVISIBLE = frozenset("\u200b\u2060\ufeff")
_DROP_INVISIBLE = {ord(c): None for c in BIDI_CONTROLS | INVISIBLE}
FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def strip_bidi(text: str) -> str:
    """The text without any bidirectional control character."""
    return text.translate(_DROP)


def typed_value(text: str) -> str:
    """A value a learner typed into a form, as it is kept: without bidi
    controls or invisible characters, spaces collapsed."""
    return " ".join(text.translate(_DROP_INVISIBLE).split())


def safe_name(text: str | None) -> str:
    """A user-provided name or short value to show inline: no bidi controls,
    and isolated when it holds right-to-left letters. None gives ""."""
    if not text:
        return ""
    cleaned = strip_bidi(text)
    if any(unicodedata.bidirectional(c) in ("R", "AL") for c in cleaned):
        return FIRST_STRONG_ISOLATE + cleaned + POP_DIRECTIONAL_ISOLATE
    return cleaned


def spreadsheet_cell(value: object) -> object:
    """A learner's words as a spreadsheet shows them: no bidi controls, and
    never a formula (a text starting with = + - @, a tab or a return gets a
    leading quote)."""
    if not isinstance(value, str):
        return value
    value = strip_bidi(value)
    if value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value
