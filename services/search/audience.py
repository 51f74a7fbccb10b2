"""Who the learner is, when the question says it: an adult retraining or a
teenager after school.

Most trades are taught twice: a formal programme for school leavers
("virėjas", two or three years) and a short continuing course for adults
("virėjo kursai suaugusiems"). Their cards share nearly every word, so the
question's words alone rarely tell them apart; what the learner says about
themselves does ("esu 35 m., noriu persikvalifikuoti", "my son finishes 10th
grade").
"""

from __future__ import annotations

import re
from typing import Literal

from services.search.normalise import fold_all, phrase_pattern, tokens, word_pattern

Audience = Literal["adult", "youth"]

# Folded prefixes of words that speak of an adult learner.
_ADULT_WORDS = word_pattern(
    fold_all(
        (
            "suaug",
            "adult",
            "grown",
            "persikvalifik",
            "perkvalifik",
            "requalif",
            "retrain",
            "bedarb",
            "unemploy",
            "uzimtum",
            "dirbantiem",
            "dirbu",
            "pensinink",
            "retire",
        )
    )
)
_ADULT_PHRASES = phrase_pattern(
    fold_all(
        (
            "job centre",
            "job center",
            "darbo birz",
            "i work",
            "after work",
            "po darbo",
            "change my career",
            "career change",
            "change career",
            "lost my job",
            "netekau darbo",
        )
    )
)
# Words that speak of a school leaver (or their parent asking for them).
_YOUTH_WORDS = word_pattern(
    fold_all(
        (
            "sunus",
            "sunui",
            "sunu",
            "dukra",
            "dukrai",
            "dukros",
            "son",
            "daughter",
            "teen",
            "paaugl",
            "klasiu",
            "klase",
            "klases",
            "grade",
            "vaik",
        )
    ),
    fold_all(("son", "grade", "klase", "klases")),
)
# "esu 35 m.", "I'm 50", "man 19", "45 years old": an age. "15 metų darbo
# patirties" is not one.
_AGE = re.compile(
    r"\b(?:esu|man|i ?m|i am|age|aged)\s+(?:jau\s+)?(\d{2})\b|\b(\d{2})\s*(?:years? old|y ?o)\b"
)
ADULT_AGE = 25
YOUTH_AGE = 17


def detect(text: str) -> Audience | None:
    """ "adult" or "youth" when the question says which, else None."""
    words = tokens(text)
    joined = " ".join(words)
    adult = any(_ADULT_WORDS.match(w) for w in words) or bool(_ADULT_PHRASES.search(joined + " "))
    youth = any(_YOUTH_WORDS.match(w) for w in words)
    for match in _AGE.finditer(joined):
        age = int(match.group(1) or match.group(2))
        adult = adult or age >= ADULT_AGE
        youth = youth or age <= YOUTH_AGE
    if adult == youth:
        return None
    return "adult" if adult else "youth"
