"""Words that pick one intake of a programme: the month it starts and its mode."""

from __future__ import annotations

from dataclasses import dataclass

from services.search.normalise import fold, fold_all, phrase_pattern, tokens, word_pattern

# Folded prefixes of Lithuanian month names (every case form starts with
# them) and English names; "kov" alone would also match "kova" (a fight),
# so March needs the case endings.
_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("saus", "january", "jan"),
    2: ("vasar", "february", "feb"),
    3: ("kovo", "kova", "kovas", "kovui", "kovu", "kove", "march", "mar"),
    4: ("baland", "april", "apr"),
    5: ("geguz", "may"),
    6: ("birzel", "june", "jun"),
    7: ("liepos", "liepa", "liepa", "liepai", "liepoj", "july", "jul"),
    8: ("rugpjut", "rugpiut", "august", "aug"),
    9: ("rugsej", "rugsei", "september", "sept", "sep"),
    10: ("spali", "spalis", "spaly", "october", "oct"),
    11: ("lapkri", "november", "nov"),
    12: ("gruod", "december", "dec"),
}
_MONTHS = {k: fold_all(v) for k, v in _MONTHS.items()}
_EXACT_ONLY_RAW = {
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "kova",
    "kovas",
    "kovui",
    "kovu",
    "kove",
    "liepa",
    "liepai",
}
_EXACT_ONLY = {fold(w) for w in _EXACT_ONLY_RAW}

# A season names the intakes that start in it ("grupė rudenį", "this fall").
# Summer is left out: "vasar" also starts "vasaris" (February), and no
# intake starts in summer.
_SEASONS: dict[tuple[int, ...], tuple[str, ...]] = {
    (9, 10, 11): ("ruden", "autumn", "fall"),
    (12, 1, 2): ("ziem", "winter"),
    (3, 4, 5): ("pavasar", "spring"),
}
_SEASON_PATTERNS = {months: word_pattern(fold_all(p), {"fall"}) for months, p in _SEASONS.items()}

_MODES: dict[str, tuple[str, ...]] = {
    "day": ("dienin", "dienom", "daytime", "day"),
    "evening": ("vakarin", "vakarais", "vakare", "evening", "night"),
    "weekend": ("savaitgal", "sestadien", "weekend", "saturday"),
    "online": ("nuotol", "online", "remote", "distance"),
    "blended": ("misr", "blended", "hybrid"),
}
_MODES = {k: fold_all(v) for k, v in _MODES.items()}
_MODE_EXACT = {fold(w) for w in ("day", "night", "vakare")}
# Words after which "may" is the verb, not the month.
_MAY_VERB_AFTER = {"i", "we", "you", "he", "she", "they", "it"}


# "The group", "the September intake": the question is about one intake.
_GROUP_WORDS = word_pattern(fold_all(("grup", "group", "intake", "sraut")))
# What only an intake can tell: its seats, dates, deadline, days and hours,
# rooms ("where is it held", not "where do I stay") and exams. "How do I
# sign up" or "what is taught" is the programme's.
_INTAKE_FACTS = word_pattern(
    fold_all(
        (
            "viet",
            "seat",
            "places",
            "full",
            "liko",
            "laisv",
            # "dar priimat?", "still open?", "still taking people?": seats.
            "priim",
            "open",
            "taking",
            "room",
            "availab",
            "prasid",
            "start",
            "begin",
            "baig",
            "finish",
            "end",
            "kada",
            "when",
            "date",
            "datos",
            "deadline",
            "termin",
            "vyks",
            "vyksta",
            "held",
            "dienom",
            "days",
            "valand",
            "time",
            "tvarkarast",
            "timetable",
            "schedule",
            "egzamin",
            "exam",
            "iskait",
        )
    ),
    fold_all(("kada", "when", "date", "end", "days", "time", "full", "liko", "open", "room")),
)
_INTAKE_PHRASES = phrase_pattern(fold_all(("iki kada", "until when", "by when", "how many")))


@dataclass(frozen=True)
class GroupCues:
    months: frozenset[int]
    modes: frozenset[str]
    month_words: frozenset[str]  # the words that were read as months
    mode_words: frozenset[str] = frozenset()  # the words that were read as modes
    # Says "the group" ("grupė", "intake") and asks what only an intake
    # tells (seats, dates, deadline, days, place, exam).
    group_word: bool = False
    intake_fact: bool = False

    @property
    def any(self) -> bool:
        return bool(self.months or self.modes)


_MONTH_PATTERNS = {month: word_pattern(p, _EXACT_ONLY) for month, p in _MONTHS.items()}
_MODE_PATTERNS = {mode: word_pattern(p, _MODE_EXACT) for mode, p in _MODES.items()}


def detect(text: str) -> GroupCues:
    words = tokens(text)
    months: set[int] = set()
    modes: set[str] = set()
    cue_words: set[str] = set()
    mode_words: set[str] = set()
    for i, word in enumerate(words):
        for month, pattern in _MONTH_PATTERNS.items():
            if pattern.match(word):
                nxt = words[i + 1] if i + 1 < len(words) else ""
                if word == "may" and (i == 0 or nxt in _MAY_VERB_AFTER):
                    continue
                months.add(month)
                cue_words.add(word)
        for season, season_pattern in _SEASON_PATTERNS.items():
            # A season stays a search word too: the FAQ on autumn
            # holidays or the spring open day is about it.
            if season_pattern.match(word):
                months.update(season)
        for mode, mode_pattern in _MODE_PATTERNS.items():
            if mode_pattern.match(word):
                modes.add(mode)
                mode_words.add(word)
    joined = " ".join(words) + " "
    return GroupCues(
        frozenset(months),
        frozenset(modes),
        frozenset(cue_words),
        frozenset(mode_words),
        group_word=any(_GROUP_WORDS.match(w) for w in words),
        intake_fact=any(_INTAKE_FACTS.match(w) for w in words)
        or bool(_INTAKE_PHRASES.search(joined)),
    )
