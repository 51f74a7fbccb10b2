"""Slips of everyday words, mended from general language.

A learner types "kainuja" for "kainuoja", "turnka" for "trunka", "coruse"
for "course". The catalogue's own words are matched with their slips
elsewhere (engine.py); this is for the words around them, which say what is
asked and how much a question is about something else. A word that neither
general language (the `wordfreq` lists) nor the catalogue knows, and that is
one edit from a word general language does know, is read as that word:
left unknown, it would count as a name or a foreign topic ("bitkoinas").
The search for near words is SymSpell's (the `symspellpy` package).
"""

from __future__ import annotations

import math
from functools import lru_cache

from symspellpy import SymSpell, Verbosity
from wordfreq import get_frequency_dict

from services.search.normalise import fold

# Shorter words are one edit from too many others to guess which was meant.
MIN_LENGTH = 5
MAX_EDITS = 1
_LISTS = (("lt", "best"), ("en", "small"))


@lru_cache(maxsize=1)
def _speller() -> SymSpell:
    """Every folded word of the lists with its frequency (built once, ~1.5 s)."""
    counts: dict[str, int] = {}
    for lang, wordlist in _LISTS:
        for word, freq in get_frequency_dict(lang, wordlist=wordlist).items():
            if word.isalpha():
                folded = fold(word)
                counts[folded] = max(counts.get(folded, 0), math.ceil(freq * 1e9))
    speller = SymSpell(max_dictionary_edit_distance=MAX_EDITS, prefix_length=7)
    for word, count in counts.items():
        speller.create_dictionary_entry(word, count)
    return speller


def mend(word: str) -> str | None:
    """The everyday word a folded unknown word is a slip of (None: no single
    one is near enough). The caller knows the word is unknown."""
    if len(word) < MIN_LENGTH or not word.isalpha():
        return None
    found = _speller().lookup(word, Verbosity.CLOSEST, max_edit_distance=MAX_EDITS)
    if not found or found[0].distance == 0:
        return None
    return str(found[0].term)


def load() -> None:
    """Build the word index now (at start-up) rather than on the first question."""
    _speller()
