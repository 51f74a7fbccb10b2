"""What a learner's message is before it is a question for the catalogue.

One entry point, `classify`: small talk gets a friendly reply, a screen's
name opens that screen, a request for a person starts an enquiry, a message in
a language the bot does not speak gets a note in English and Lithuanian, a
question about the learner's own registrations, lessons or enquiries gets
that learner's screen, and everything else goes to the answer engine (with
the language it was written in, for the question log).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from services.conversation import language, navigation, own, person, smalltalk

Kind = Literal["question", "smalltalk", "navigation", "person", "foreign", "own"]


@dataclass(frozen=True)
class Turn:
    kind: Kind
    # smalltalk: its kind (smalltalk.GREETING...); navigation: the screen
    # (navigation.MAIN...); own: the learner's screen (own.MY_COURSES...);
    # otherwise empty.
    detail: str = ""
    # The language the message is written in (ISO 639-1, "other" for a script
    # no candidate language uses), or None when it cannot be told.
    lang: str | None = None
    # person: the message, when it also asks something staff should see.
    question: str | None = None
    # smalltalk: the time of day of a greeting ("morning"), to greet back.
    time_of_day: str | None = None
    # smalltalk: the learner greeted before saying something else.
    greeted: bool = False


def classify(text: str) -> Turn:
    """What to do with a learner's message; kind "question" goes to the answer engine."""
    detected = language.detect(text)
    if detected.foreign:
        return Turn("foreign", lang=detected.lang)
    asks_person, question = person.request(text)
    if asks_person:
        return Turn("person", lang=detected.lang, question=question)
    # Before screen names: "mano kursai" is the learner's courses, not the list.
    mine = own.screen(text)
    if mine is not None:
        return Turn("own", mine, lang=detected.lang)
    screen = navigation.screen(text)
    if screen is not None:
        return Turn("navigation", screen, lang=detected.lang)
    talk = smalltalk.classify(text)
    if talk is not None:
        return Turn(
            "smalltalk",
            talk.kind,
            lang=detected.lang,
            time_of_day=talk.time_of_day,
            greeted=talk.greeted,
        )
    return Turn("question", lang=detected.lang)


def clear_caches() -> None:
    """Forget what was looked up (a benchmark measures every message as if new)."""
    language.detect.cache_clear()
    for lexicon in (person.WORDS, own.WORDS, navigation.WORDS, smalltalk.WORDS):
        lexicon.lookup.cache_clear()
