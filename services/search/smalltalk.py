"""Messages that are not questions: greetings, thanks, goodbyes, emoji.

They get a friendly reply instead of an "I don't know", and staff do not find
them in the log of unanswered questions.
"""

from __future__ import annotations

from services.search.normalise import fold_all, tokens

_KINDS: dict[str, tuple[str, ...]] = {
    "greeting": (
        "labas",
        "laba",
        "diena",
        "sveiki",
        "sveikas",
        "sveika",
        "sveikutis",
        "labukas",
        "labutis",
        "hello",
        "hi",
        "hey",
        "hiya",
        "good",
        "morning",
        "afternoon",
        "evening",
        "rytas",
        "vakaras",
        "labas rytas",
        "labas vakaras",
        "heyo",
        "yo",
        "sveikinu",
    ),
    "thanks": (
        "aciu",
        "dekui",
        "dekoju",
        "labai",
        "aciu labai",
        "thanks",
        "thank",
        "you",
        "thx",
        "ty",
        "much",
        "very",
        "so",
        "super",
        "puiku",
        "gerai",
        "ok",
        "okay",
        "great",
        "cool",
        "nice",
        "supratau",
        "aisku",
        "got",
        "it",
    ),
    "bye": ("viso", "gero", "iki", "sudie", "bye", "goodbye", "see", "later", "ate", "pasimatysim"),
}
_WORDS = {kind: frozenset(fold_all(words)) for kind, words in _KINDS.items()}
# At least one of these must be there: "good" alone is not a greeting.
_SPECIFIC = {
    "greeting": {
        "labas",
        "sveiki",
        "sveikas",
        "sveika",
        "hello",
        "hi",
        "hey",
        "labukas",
        "labutis",
        "sveikutis",
        "hiya",
        "heyo",
        "sveikinu",
        "morning",
        "afternoon",
        "evening",
        "rytas",
        "vakaras",
    },
    "thanks": {
        "aciu",
        "dekui",
        "dekoju",
        "thanks",
        "thank",
        "thx",
        "ty",
        "ok",
        "okay",
        "gerai",
        "supratau",
        "aisku",
        "puiku",
        "super",
        "great",
        "cool",
        "nice",
    },
    "bye": {"viso", "iki", "sudie", "bye", "goodbye", "ate", "pasimatysim"},
}


def classify(text: str) -> str | None:
    """'greeting', 'thanks', 'bye', 'noise' (no words at all), or None for a question."""
    words = tokens(text)
    if all(w.isdigit() for w in words):  # also true for emoji and punctuation only
        return "noise"
    # Small talk only when every word is small talk: "labas, kiek kainuoja B?"
    # is a question with a greeting in front.
    for kind, vocabulary in _WORDS.items():
        if all(w in vocabulary for w in words) and any(w in _SPECIFIC[kind] for w in words):
            return kind
    return None
