"""How much a question's words say, from how common they are in general language.

Ranking always finds *some* entry that shares a word with a question, so the
engine answers only when the entry it picks also holds the question's
informative words. Which words inform is read from general word frequencies
of Lithuanian and English (the `wordfreq` package, built from many public
sources): "kaip", "good", "today" are everyday words and say little; "pizza",
"bitkoinas", "pancakes" are rarer and name what the question is about, so an
entry that does not hold them does not answer it. Frequencies are looked up
folded like the questions, so a word typed without diacritics weighs the same.
"""

from __future__ import annotations

import math
from functools import lru_cache

import Stemmer
from wordfreq import get_frequency_dict, zipf_frequency

from services.search.normalise import fold, stem

# Zipf scale: log10 of a word's frequency per billion words. "ir", "the" are
# about 7; "kursai" 4.2; "pizza" 4.4; a word no source has is 0.
COMMON_ZIPF = 6.0
# A word's weight is how far below COMMON_ZIPF it is, capped: a word that no
# source knows may be a typo or a name, and must not outweigh everything else.
MAX_WEIGHT = 3.5
UNKNOWN_WEIGHT = 2.0
NUMBER_WEIGHT = 1.0
# Only a word rarer than this in general language may be a typo of another.
TYPO_MAX_ZIPF = 3.5
ENGLISH_WORD_ZIPF = 4.0
MIN_STEM = 4
# The word lists: Lithuanian has one; for English the small one (every word
# down to zipf 3) is enough, rarer words weigh the cap anyway.
_LISTS = (("lt", "best"), ("en", "small"))


_Table = dict[str, float]
# The same stemmers as the index (normalise.py), used in bulk here.
_STEMMERS = {"lt": Stemmer.Stemmer("lithuanian"), "en": Stemmer.Stemmer("english")}


def _keep(table: _Table, key: str, zipf: float) -> None:
    if zipf > table.get(key, 0.0):
        table[key] = zipf


@lru_cache(maxsize=1)
def _tables() -> tuple[_Table, dict[str, _Table]]:
    """Folded word -> its highest zipf in either language, and the same per
    stem in each language (loaded once)."""
    words: _Table = {}
    stems: dict[str, _Table] = {}
    for lang, wordlist in _LISTS:
        listed = [
            (fold(word), math.log10(freq) + 9.0)
            for word, freq in get_frequency_dict(lang, wordlist=wordlist).items()
            if word.isalnum()
        ]
        by_stem: _Table = {}
        stemmed = _STEMMERS[lang].stemWords([word for word, _ in listed])
        for (word, zipf), word_stem in zip(listed, stemmed, strict=True):
            _keep(words, word, zipf)
            _keep(by_stem, word_stem, zipf)
        stems[lang] = by_stem
    return words, stems


def zipf(word: str) -> float:
    """How common a folded word is in general Lithuanian or English (0: unknown).

    A form the lists lack is read through its stem: learners clip endings
    ("lankyt" for "lankyti", "grupej" for "grupėje")."""
    words, stems = _tables()
    found = words.get(word)
    if found is not None:
        return found
    found = 0.0
    for lang, table in stems.items():
        word_stem = stem(word, lang)
        # A short stem ("tek" of "tekintojo") stands for too many other words.
        if len(word_stem) >= max(MIN_STEM, len(word) - 3):
            found = max(found, table.get(word_stem, 0.0))
    return found


def is_real_word(word: str) -> bool:
    """General language knows this folded word well: it is itself, not a slip
    of a word it resembles ("cook" is not "cool", "sniegas" not "sienas")."""
    return zipf(word) >= TYPO_MAX_ZIPF


def english_zipf(word: str) -> float:
    """How common a word is in general English alone, as written."""
    return float(zipf_frequency(word, "en", wordlist="small"))


def is_english_word(word: str) -> bool:
    """A word everyday English uses as written ("cook", "buy", "hay"): never a
    slip of a greeting or a menu word it resembles ("cool", "bye", "hey").
    Lithuanian shortened forms ("labs", "sveiks") are not held to this."""
    return english_zipf(word) >= ENGLISH_WORD_ZIPF


def weight(word: str) -> float:
    """How much a folded word says about what a question is about."""
    if word.isdigit():
        # Numbers ("15", "2008") rarely name a topic; "95" as in code 95 does
        # when the catalogue has it, which matching decides.
        return NUMBER_WEIGHT
    common = zipf(word)
    if common == 0.0:
        # Unknown to general language: a typo, a clipped form or a name, so
        # it counts, but less than a real rare word.
        return UNKNOWN_WEIGHT
    return min(MAX_WEIGHT, max(0.0, COMMON_ZIPF - common))


def load() -> None:
    """Read the word lists now (at start-up) rather than on the first question."""
    _tables()
