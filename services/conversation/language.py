"""Which language a message is written in, and whether the bot speaks it.

Learners write Lithuanian and English; a few write Russian, Ukrainian, Polish,
Latvian or German. The detector (lingua, restricted to those seven) is only
believed when it is sure and the text is long enough: a short Lithuanian
message typed without diacritics ("kur jus esat") looks much like Latvian,
and taking it for Latvian would refuse a learner the bot can answer.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from domain.languages import LANGUAGES
from services.search import evidence
from services.search.normalise import tokens

# The languages the bot answers in (the one list, domain/languages.py).
SPOKEN = LANGUAGES
_LANGUAGES = {
    Language.LITHUANIAN: "lt",
    Language.ENGLISH: "en",
    Language.RUSSIAN: "ru",
    Language.UKRAINIAN: "uk",
    Language.POLISH: "pl",
    Language.LATVIAN: "lv",
    Language.GERMAN: "de",
}
# Letters only one of the candidate languages uses settle the question early.
_ONLY = {
    "lt": frozenset("ėįų"),
    "uk": frozenset("іїєґ"),
    "ru": frozenset("ыэъё"),
    "pl": frozenset("łńśćźżó"),
    "lv": frozenset("āēīļņķģ"),
    "de": frozenset("äöüß"),
}
# Scripts no candidate language uses: the message is foreign whatever it says.
_SCRIPTS = {
    "GREEK": "el",
    "GEORGIAN": "ka",
    "ARMENIAN": "hy",
    "HEBREW": "he",
    "HANGUL": "ko",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
}
OTHER = "other"
# Below this many letters (Latin script), the detector's opinion is not taken
# as a reason to turn the learner away: "labas", "kur jus esat" are too short.
MIN_LETTERS = 12
# Fewer letters of another script than this say nothing of a language.
MIN_SCRIPT_LETTERS = 2
MIN_WORDS = 2
# The detector's relative confidence in a foreign language, and the most it may
# leave for Lithuanian and English together, before the message counts as foreign.
SURE = 0.9
DOUBT = 0.05
# The share of a message's words that must be Lithuanian or English words for
# the detector's "foreign" to be overruled.
OURS = 0.8
OURS_WORDS = 6
# A message of English words only (each at least this common) is English.
ENGLISH_WORDS = 3.0
# Lithuanian or English is recorded (for the console's counts) only when likely.
LIKELY = 0.7


@dataclass(frozen=True)
class Detected:
    lang: str | None  # ISO 639-1 code, "other", or None when it cannot be told
    foreign: bool  # written in a language the bot does not speak


@cache
def _detector() -> LanguageDetector:
    # Built once, on first use; low-accuracy mode is ~20 times cheaper to build
    # and still sure of the messages that matter (several words of a language).
    return (
        LanguageDetectorBuilder.from_languages(*_LANGUAGES)
        .with_low_accuracy_mode()
        .with_preloaded_language_models()
        .build()
    )


def warm_up() -> None:
    """Load the language models now rather than on the first message."""
    _detector()


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


@lru_cache(maxsize=4096)
def detect(text: str) -> Detected:
    letters = [ch for ch in text.lower() if ch.isalpha()]
    if not letters:
        return Detected(None, False)
    scripts: dict[str, int] = {}
    for ch in letters:
        script = _script(ch)
        scripts[script] = scripts.get(script, 0) + 1
    main = max(scripts, key=lambda s: scripts[s])
    if main != "LATIN" and len(letters) < MIN_SCRIPT_LETTERS:
        # One letter in an emoticon ("¯\\_(ツ)_/¯") is not a language.
        return Detected(None, False)
    if main == "CYRILLIC":
        # Never Lithuanian or English, however short.
        return Detected(_cyrillic(text, letters), True)
    if main != "LATIN":
        return Detected(_SCRIPTS.get(main, OTHER), True)
    present = set(letters)
    if present & _ONLY["lt"]:
        return Detected("lt", False)
    foreign_letters = any(present & _ONLY[lang] for lang in ("pl", "lv", "de"))
    words = len(text.split())
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return Detected(None, False)
    best = values[0]
    lang = _LANGUAGES[best.language]
    long_enough = len(letters) >= MIN_LETTERS and words >= MIN_WORDS
    if lang in SPOKEN:
        # One word ("programos") is not enough to tell Lithuanian from English.
        return Detected(lang if long_enough and best.value >= LIKELY else None, False)
    spoken = sum(v.value for v in values if _LANGUAGES[v.language] in SPOKEN)
    # A foreign language's own letters make a shorter message convincing.
    enough = long_enough or (foreign_letters and len(letters) >= MIN_LETTERS // 2)
    if enough and best.value >= SURE and spoken <= DOUBT and not _mostly_ours(text):
        return Detected(lang, True)
    return Detected(None, False)


def _mostly_ours(text: str) -> bool:
    """Nearly every word is a Lithuanian or English word as folded: Lithuanian
    typed without diacritics ("mechatroniku grupej rugsejo") can look Polish
    to the detector, whose models were trained on text with them. Latvian
    shares many short words with Lithuanian ("Kur atrodas jūsu skola?" reads
    as Lithuanian words), hence nearly every word of a longer message."""
    words = tokens(text)
    if words and all(evidence.english_zipf(w) >= ENGLISH_WORDS for w in words):
        # "bartender course" looks German to the detector; every word of it
        # is English, which no word of "Wo ist die Schule?" is all of.
        return True
    known = sum(1 for w in words if evidence.zipf(w) > 0.0)
    return len(words) >= OURS_WORDS and known >= OURS * len(words)


def _cyrillic(text: str, letters: list[str]) -> str:
    present = set(letters)
    if present & _ONLY["uk"]:
        return "uk"
    if present & _ONLY["ru"]:
        return "ru"
    values = _detector().compute_language_confidence_values(text)
    for value in values:
        lang = _LANGUAGES[value.language]
        if lang in ("ru", "uk"):
            return lang
    return "ru"
