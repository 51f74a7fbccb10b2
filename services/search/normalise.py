"""Text normalisation shared by the index and the questions.

Learners type Lithuanian on phones without diacritics and sometimes with
sh/ch/zh for š/č/ž, so both the catalogue and the question are folded the same
way before stemming: what matters is that the two sides meet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from functools import lru_cache

import Stemmer

_TOKEN = re.compile(r"[a-z0-9]+")
_FOLDS = (("sh", "s"), ("ch", "c"), ("zh", "z"))
_STEMMERS = {"lt": Stemmer.Stemmer("lithuanian"), "en": Stemmer.Stemmer("english")}

# Function words of both languages (folded below like any text). They carry no topic; the
# question words among them are read by the intent detector before removal.
STOPWORDS = frozenset(
    """
    a an the and or but if of to in on at by for from with about into over under as is are
    was were be been being am do does did doing have has had having i me my mine we our us
    you your yours he she it its they them their this that these those there here what
    which who whom whose when where why how can could would should will shall may might
    must not no yes so too very just also only then than any some all each every much many
    more most other such own same again still yet please pls hi hello thanks thank ok okay
    want need like get got go going know tell let im ive dont its whats there s t
    ar ir o bet kad kai kaip kas kur kada kiek koks kokia kokie kokios kokiu kokius kokio
    kodel ka kam kuo kurie kurios kuris kuri kuriuo kuria kurio kurios yra buvo bus esu
    esi esame esate esam esat bei arba nes jei jeigu tai tas ta tie tos to tam toje tuo ten cia
    man mane mano manes mes mus musu jus jusu jums jis ji jie jos jo juos jam jai jiems
    savo sau save as tu tau tave tavo su be per po prie nuo iki is i ant uz apie del pas
    pries tarp virs po dar jau gal gali galima galiu galit galite labai tik net vis
    noriu norim norime noretu noreciau noreciau norim nori norit norite reikia reiketu
    turit turite turi turiu ieskau sakykit pasakykit prasau aciu labas sveiki laba diena
    ok gerai nu na va vat ne taip
    norejau norejom norejome paklausti paklaust paklausiu pasiteirauti pasiteiraut
    klausimas klausima klausimu
    """.split()
)


def fold(text: str) -> str:
    """Lowercase, strip diacritics and fold sh/ch/zh: 'Šaltkalvio' -> 'saltkalvio'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for digraph, letter in _FOLDS:
        plain = plain.replace(digraph, letter)
    return plain


_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th|os|as|ji|oji|ta|tos|asis)$")


@lru_cache(maxsize=1024)
def tokens(text: str) -> tuple[str, ...]:
    """Folded word tokens, stopwords included (intent detection needs them).
    Ordinals lose their ending: "10th grade", "10-os klasės" -> "10".

    Cached: each message is read by several rules (small talk, navigation,
    intents, month cues, scope) one after another."""
    return tuple(_ORDINAL.sub(r"\1", t) for t in _TOKEN.findall(fold(text)))


@lru_cache(maxsize=65536)
def stem(token: str, lang: str) -> str:
    return str(_STEMMERS[lang].stemWord(token))


def word_pattern(prefixes: Iterable[str], whole: Collection[str] = ()) -> re.Pattern[str]:
    """One compiled test (use .match on a folded word) for "the word starts
    with one of these prefixes, or is exactly one of the `whole` ones":
    the cue lists are read for every word of every message."""
    alternatives = [re.escape(p) + ("$" if p in whole else "") for p in dict.fromkeys(prefixes)]
    return re.compile("|".join(alternatives) if alternatives else "(?!)")


def phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """One compiled search for phrases starting at a word boundary."""
    alternatives = [re.escape(p) for p in dict.fromkeys(phrases)]
    return re.compile(r"\b(?:" + "|".join(alternatives) + ")" if alternatives else "(?!)")


def fold_all(words: tuple[str, ...]) -> tuple[str, ...]:
    """Cue lists are written as people spell them and folded like questions."""
    return tuple(fold(w) for w in words)


_FOLDED_STOPWORDS = frozenset(fold_all(tuple(STOPWORDS)))

# Words that say a question is about studying here (or speak of the bot
# itself) but not about which entry: they count for little when ranking.
GENERIC = frozenset(
    fold_all(
        tuple(
            """
            mokytis mokslai mokslas mokslu mokykla mokyklos mokykloje kursai kursus kursu kursas
            kursa kursuose mokymai mokymu mokymas programa programos programu specialybe
            specialybes profesija profesijos profesine mokiniai mokinys
            course courses training programme program programmes study studies learn learning
            class classes lessons lesson school student students
            bot botas botu botui boto
            """.split()
        )
    )
)


# Driving licence categories are also English stopwords ("a", "am", "be"):
# they count when written in capitals or next to the word "category".
CATEGORY_CODES = frozenset("a a1 a2 am b b1 be c c1 c1e ce d d1 d1e de t tr1 tr2".split())
_CATEGORY_WORDS = ("kategor", "categor", "kat", "cat")
_CAPITALS = re.compile(r"\b[A-Z][A-Z0-9]{0,2}\b")


def _category_codes(text: str, words: tuple[str, ...]) -> set[int]:
    """Positions of the words that are licence categories."""
    capitals = {m.group().lower() for m in _CAPITALS.finditer(text)}
    found = set()
    for i, word in enumerate(words):
        if word not in CATEGORY_CODES:
            continue
        near = words[max(i - 1, 0) : i] + words[i + 1 : i + 2]
        if word in capitals or any(n.startswith(_CATEGORY_WORDS) for n in near):
            found.add(i)
    return found


def content_tokens(text: str) -> list[str]:
    """Folded word tokens without stopwords (licence categories kept)."""
    words = tokens(text)
    codes = _category_codes(text, words)
    return [w for i, w in enumerate(words) if i in codes or w not in _FOLDED_STOPWORDS]


# Each language's terms live in their own space ("l" + Lithuanian stem,
# "e" + English stem), so the Lithuanian stemmer's reading of an English word
# ("fully" -> "full") cannot match an English text it was never applied to.
TAGS = {"lt": "l", "en": "e"}


def term(stemmed: str, lang: str) -> str:
    return TAGS[lang] + stemmed


def index_terms(text: str, lang: str) -> list[str]:
    """What a catalogue text contributes to the index in its own language."""
    return [term(stem(t, lang), lang) for t in content_tokens(text)]
