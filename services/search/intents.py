"""What a question asks about, read from cue words in both languages.

Cues are folded prefixes (see normalise.fold), matched against the start of
each word so that inflected Lithuanian forms ("kainuoja", "kainos") and typos
at the end of a word still count.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.search.normalise import fold_all, phrase_pattern, tokens, word_pattern

INTENTS = (
    "definition",
    "price",
    "start",
    "duration",
    "requirements",
    "seats",
    "place",
    "contacts",
    "registration",
)

# Single-word prefixes per intent; phrases (several words) are matched on the
# folded text.
_WORD_CUES: dict[str, tuple[str, ...]] = {
    "price": (
        "kain",
        "kainuo",
        "kainoj",
        "mokest",
        "kast",
        "kainav",
        "price",
        "cost",
        "fee",
        "pay",
        "paid",
        "cheap",
        "expens",
        "moket",
        "apmok",
        "eur",
        # "Is it free?", "ar nemokama?": a price asked as yes or no.
        "free",
        # Not "nemokam" alone: "mes nemokam lietuviškai" (we cannot speak).
        "nemokama",
        "nemokami",
    ),
    "start": (
        "prasid",
        "prasided",
        "pradz",
        "prades",
        "start",
        "begin",
        "next",
        "artimiaus",
        "kitas",
        "kita",
        "kada",
        "when",
        "date",
        "datos",
        "data",
    ),
    "duration": ("trunk", "trukm", "uztrunk", "long", "duration", "ilgai"),
    "requirements": (
        "reikalav",
        "priim",
        "priimat",
        "stoj",
        "requir",
        "entry",
        "eligib",
        "amz",
        "admission",
        "accept",
    ),
    "seats": (
        "viet",
        "seat",
        "place",
        "places",
        "full",
        "pilna",
        "pilnas",
        "laisv",
        "left",
        "liko",
    ),
    "place": ("vyksta", "where", "location", "adres", "address", "kur"),
    "contacts": ("telefon", "tel", "phone", "email", "pasta", "kontakt", "contact", "susisiek"),
    "registration": (
        "registr",
        "uzsiras",
        "uzsirasy",
        "signup",
        "sign",
        "enrol",
        "enroll",
        "apply",
        "join",
        "prasym",
        "stoti",
    ),
}
_WORD_CUES = {k: fold_all(v) for k, v in _WORD_CUES.items()}
_PHRASES: dict[str, tuple[str, ...]] = {
    "price": ("how much", "kiek kain", "kiek kasuoja", "kiek kost"),
    "duration": (
        "how long",
        "how many years",
        "how many months",
        "how many weeks",
        "how many hours",
        "kiek laiko",
        "kiek metu",
        "kiek trunka",
        "kiek menesiu",
        "kiek savaiciu",
    ),
    "start": ("nuo kada", "from when"),
    # "Nuo kiek metų?" asks an age, not how many years it lasts.
    "requirements": (
        "nuo kiek metu",
        "nuo kokio amziaus",
        "kokio amziaus",
        "from what age",
        "what age",
        "how old",
        "minimum age",
        "age limit",
    ),
    "registration": ("sign up",),
    # "What is this?" is answered by an explanation, not by a course card.
    "definition": (
        "what is",
        "what s",
        "whats",
        "what does",
        "what are",
        "meaning",
        "mean ",
        "kas yra",
        "kas tai",
        "kas tas",
        "kas ta ",
        "kas cia",
        "ka reiskia",
        "reiskia",
        "kas per",
    ),
}
_PHRASES = {k: fold_all(v) for k, v in _PHRASES.items()}
_AGE = phrase_pattern(_PHRASES["requirements"])
# Short cues that would start unrelated words ("kur" in "kursai", "tel" in
# "telkinys") match whole words only.
_WHOLE_WORDS = frozenset(
    fold_all(
        (
            "kur",
            "tel",
            "eur",
            "pay",
            "kada",
            "data",
            "kita",
            "kitas",
            "next",
            "when",
            "date",
            "left",
            "full",
            "fee",
            "long",
            "sign",
            "join",
            "liko",
            "place",
            "places",
            "cost",
            "free",
        )
    )
)
# When a question has several cues, the more specific one wins.
_PRIORITY = (
    "price",
    "seats",
    "duration",
    "requirements",
    "registration",
    "contacts",
    "place",
    "start",
    "definition",
)


_WORD_PATTERNS = {
    intent: word_pattern(prefixes, _WHOLE_WORDS) for intent, prefixes in _WORD_CUES.items()
}
_PHRASE_PATTERNS = {intent: phrase_pattern(phrases) for intent, phrases in _PHRASES.items()}


# Words for a place in a group that are not seat cues themselves ("room" is
# also the room attendant's).
_ROOM = frozenset(("spot", "spots", "room", "space", "spaces", "vacancy", "vacancies"))


def _price_words(words: tuple[str, ...] | list[str]) -> list[str]:
    return [w for w in words if _WORD_PATTERNS["price"].match(w)]


@dataclass(frozen=True)
class Intent:
    name: str  # one of INTENTS or "info"
    cues: frozenset[str]  # every intent the question has a cue for
    words: frozenset[str] = frozenset()  # the question's words that were cues


def detect(text: str) -> Intent:
    words = tokens(text)
    joined = " ".join(words) + " "
    found: set[str] = set()
    cue_words: set[str] = set()
    for intent, pattern in _WORD_PATTERNS.items():
        matched = [w for w in words if pattern.match(w)]
        if matched:
            found.add(intent)
            cue_words.update(matched)
    for intent, phrases in _PHRASE_PATTERNS.items():
        if phrases.search(joined):
            found.add(intent)
    if all(w == "free" for w in _price_words(words)) and ("seats" in found or _ROOM & set(words)):
        found.discard("price")  # "free places", "free spots": seats, not a price
    if _AGE.search(joined):
        found.discard("duration")  # "nuo kiek metų" contains "kiek metų"
    # "kada" and "when" alone are start questions only when nothing more
    # specific was asked ("kada dirbate" is about opening hours).
    for intent in _PRIORITY:
        if intent in found:
            return Intent(intent, frozenset(found), frozenset(cue_words))
    return Intent("info", frozenset(), frozenset(cue_words))
