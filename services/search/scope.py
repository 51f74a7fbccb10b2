"""Is a question about what the centre offers at all?

Ranking always finds *some* entry that shares a word with a question, so the
engine also asks what kind of need the question expresses. Wanting to buy,
sell, hire, repair, earn or be entertained is not something a training centre
answers, even when the question names a trade we teach ("I need a plumber
today") - unless it is also about learning ("plumbing course").

Questions about anything else (weather, recipes, prices of phones) need no
list here: the engine answers only with evidence (see evidence.py), and such
questions' informative words are in no entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.search.normalise import fold_all, phrase_pattern, tokens, word_pattern

# Word beginnings (folded) that express a need outside the centre's offer.
_OFF_TOPIC: dict[str, tuple[str, ...]] = {
    "trade": (
        "pirkt",
        "nusipirkt",
        "nupirkt",
        "parduod",
        "parduot",
        "pigiai",
        "buy",
        "sell",
        "cheap",
        "purchase",
        "uzsakyc",
        "uzsakyt",
        "order",
    ),
    "hire": (
        "ieskau",
        "iesko",
        "ieskom",
        "reikalingas",
        "vacanc",
        "vacancy",
        "hiring",
        "hire",
        "isidarbint",
        "darbo skelbim",
        "skelbim",
        "someone come",
        "atvaziuot",
    ),
    "repair": (
        "suged",
        "neveik",
        "neuzsiv",
        "uzsikims",
        "pataisyt",
        "leaking",
        "leak",
        "broken",
        "not working",
        "fix my",
    ),
    "earnings": ("kiek gauna", "atlyginim", "alga", "uzdirb", "salary", "earn", "wage"),
    # Another school's own matters; a learner who says where they studied
    # before ("baigiau gimnazija, noriu išmokti kirpti") is still asking us.
    "other school": (
        "vu ",
        "ktu ",
        "vgtu",
        "universitet",
        "university",
        "kolegij",
        "college",
        "gimnazij",
    ),
}
# Needs that mention learning words by their nature but are still not ours.
_OFF_TOPIC_ANYWAY: dict[str, tuple[str, ...]] = {
    "residence": ("residence permit", "leidim gyvent", "leidimas gyvent", "visa", "migrac"),
    "licence exchange": ("exchange my", "pasikeist", "keisti vairuot", "dublikat", "duplicate"),
}
# Other organisations whose own contacts or opening hours we do not answer.
_OTHER_BODIES: tuple[str, ...] = (
    "regitr",
    "birz",
    "uzimtumo tarnyb",
    "sodr",
    "migracij",
    "policij",
)
# Signs that the question is about learning, which keeps it in scope.
_LEARNING: tuple[str, ...] = (
    "moky",
    "mokin",
    "moksl",
    "mokin",
    "ismok",
    "kurs",
    "studij",
    "program",
    "specialyb",
    "profesij",
    "kvalifikac",
    "teis",
    "egzam",
    "seminar",
    "stazuot",
    "learn",
    "study",
    "course",
    "train",
    "teach",
    "lesson",
    "class",
    "exam",
    "licen",
    "qualif",
    "program",
    "certific",
    # An intake, a school year, a licence category, a way of learning, or
    # becoming someone: all about studying.
    "grup",
    "group",
    "kategor",
    "categor",
    "klas",
    "kl ",
    "grade",
    "mokot",
    "moko",
    "mokyk",
    "school",
    "jaunim",
    "nuotol",
    "online",
    "vakarin",
    "evening",
    "dienin",
    "praktik",
    "practice",
    "placement",
    "diplom",
    "pazymejim",
    "stoj",
    "istoj",
    "enrol",
    "apply",
    "tapt",
    "become",
    # "Ar ruošiate stalius?": a school prepares people for a trade.
    "ruos",
)
# Signs that someone wants a trade's work done for them, here and now: a
# plumber "at home", "urgently", "today". ("namuose" is not one: "senelių
# namuose" is a care home, where the social worker's assistant works.)
_SERVICE: tuple[str, ...] = (
    "i namus",
    "pas mus namo",
    "skubiai",
    "skubu",
    "skubus",
    "siandien",
    "rytoj",
    "atvaziuot",
    "atvyktu",
    "at home",
    "to my home",
    "my house",
    "my flat",
    "my apartment",
    "urgent",
    "asap",
    "today",
    "tomorrow",
    "come to",
    "come over",
)
_CONTACT_OR_HOURS: tuple[str, ...] = (
    "telefon",
    "numer",
    "phone",
    "adres",
    "address",
    "open",
    "dirba",
    "darbo laik",
    "hours",
    "email",
    "pastas",
)


@dataclass(frozen=True)
class Scope:
    in_scope: bool
    reason: str  # the kind of off-topic need found, or ""


# The cue lists are written as people spell them and folded once, here.
_OFF_TOPIC_CUES = {reason: fold_all(cues) for reason, cues in _OFF_TOPIC.items()}
_OFF_TOPIC_ANYWAY_CUES = {reason: fold_all(cues) for reason, cues in _OFF_TOPIC_ANYWAY.items()}


@dataclass(frozen=True)
class _Cues:
    """A cue list compiled: word beginnings, and phrases of several words."""

    words: re.Pattern[str]
    phrases: re.Pattern[str]

    @classmethod
    def of(cls, cues: tuple[str, ...]) -> _Cues:
        return cls(
            word_pattern(c for c in cues if " " not in c),
            phrase_pattern(c for c in cues if " " in c),
        )


def _has(text: str, words: tuple[str, ...], cues: _Cues) -> bool:
    return bool(cues.phrases.search(text)) or any(cues.words.match(w) for w in words)


_OFF = {reason: _Cues.of(cues) for reason, cues in _OFF_TOPIC_CUES.items()}
_OFF_ANYWAY = {reason: _Cues.of(cues) for reason, cues in _OFF_TOPIC_ANYWAY_CUES.items()}
_OTHER = _Cues.of(fold_all(_OTHER_BODIES))
_LEARNS = _Cues.of(fold_all(_LEARNING))
_CONTACT = _Cues.of(fold_all(_CONTACT_OR_HOURS))
_SERVICES = _Cues.of(fold_all(_SERVICE))


def judge(question: str) -> Scope:
    words = tokens(question)
    text = " ".join(words) + " "
    for reason, cues in _OFF_ANYWAY.items():
        if _has(text, words, cues):
            return Scope(False, reason)
    learning = _has(text, words, _LEARNS)
    if not learning:
        for reason, cues in _OFF.items():
            if _has(text, words, cues):
                return Scope(False, reason)
    if _has(text, words, _OTHER) and _has(text, words, _CONTACT):
        return Scope(False, "another organisation")
    return Scope(True, "")


def about_learning(question: str) -> bool:
    """The question says it is about learning (a course, a lesson, an exam)."""
    words = tokens(question)
    return _has(" ".join(words) + " ", words, _LEARNS)


# A licence is learnt: "teisės", "licence", a course ("kurs" typed short).
_LICENCE = ("teis", "licen", "kurs", "course")
# "Vairuotojo / autokrautuvininko pažymėjimas": a trade's licence, not a
# medical certificate or a replacement of one.
_OCCUPATION_ENDINGS = ("ojo", "ininko")


def names_a_licence(question: str) -> bool:
    """The question names a licence or a course, whose price is a course's
    price: "how much does the driving licence cost", "vairuotojo
    pažymėjimas kiek kainuoja"."""
    words = tokens(question)
    if any(w.startswith(_LICENCE) for w in words):
        return True
    return any(
        w.startswith("pazymejim") and i > 0 and words[i - 1].endswith(_OCCUPATION_ENDINGS)
        for i, w in enumerate(words)
    )


def wants_service(question: str) -> bool:
    """The question asks for a trade's work to be done ("a plumber at home
    today"), which a programme card does not answer unless it is also about
    learning (see about_learning)."""
    words = tokens(question)
    return _has(" ".join(words) + " ", words, _SERVICES)
