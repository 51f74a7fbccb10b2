"""Word classes looked up with typos and Lithuanian endings tolerated.

A word list says what a word *is* (a greeting, a way to say "person", a
screen's name...); matching is by edit distance (rapidfuzz's optimal string
alignment, so a swapped pair of letters is one typo) on folded text, and a
stem ("zmog*") stands for all of a Lithuanian word's endings.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from services.search.evidence import is_english_word
from services.search.normalise import fold


def tolerance(word: str) -> int:
    """Typos forgiven in a word this long: none in the shortest ("iki", "hi")."""
    if len(word) <= 3:
        return 0
    return 1 if len(word) <= 7 else 2


class Lexicon:
    """Classes of words; `lookup` names every class a typed word belongs to."""

    def __init__(self, classes: Mapping[str, str]) -> None:
        """Each class's words, separated by whitespace; "stem*" takes any ending."""
        forms: dict[str, set[str]] = {}
        stems: dict[str, set[str]] = {}
        for name, words in classes.items():
            for word in words.split():
                folded = fold(word)
                target = stems if folded.endswith("*") else forms
                target.setdefault(folded.rstrip("*"), set()).add(name)
        self._forms = {form: frozenset(names) for form, names in forms.items()}
        # By first letter: a message's every word is looked up, and typos
        # seldom fall on the first letter.
        self._stems: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for stem, names in stems.items():
            self._stems.setdefault(stem[0], []).append((stem, frozenset(names)))
        self._choices = list(self._forms)
        self.lookup = lru_cache(maxsize=8192)(self._lookup)

    def _lookup(self, token: str) -> frozenset[str]:
        found: set[str] = set()
        exact = self._forms.get(token)
        if exact is not None:
            return exact
        for stem, names in self._stems.get(token[:1], ()):
            if len(token) < len(stem):
                continue
            head = token[: len(stem)]
            # A typo in a stem is forgiven in the longer ones only ("operator*", not "bot*").
            if head == stem or (len(stem) >= 5 and OSA.distance(head, stem) <= 1):
                found |= names
        if found:
            return frozenset(found)
        allowed = tolerance(token)
        if allowed and not is_english_word(token):
            matches = process.extract(
                token, self._choices, scorer=OSA.distance, score_cutoff=allowed, limit=None
            )
            if matches:
                best = min(distance for _form, distance, _index in matches)
                for form, distance, _index in matches:
                    if distance == best and abs(len(form) - len(token)) <= allowed:
                        found |= self._forms[form]
        return frozenset(found)
