"""The feedback survey after a group ends: what the learner is asked and
told, the buttons, and the results' words in the console and its CSV."""

from __future__ import annotations

import html
from collections.abc import Mapping

from services.bidi import spreadsheet_cell
from services.surveys import QUESTIONS, Answer
from texts import callbacks, csv_form
from texts.callbacks import Action, SurveyButton
from texts.csv_form import CsvForm
from texts.i18n import N_, Translator
from texts.labels import language_name
from texts.reply import Button, Reply

QUESTION_LABELS = {
    "content": N_("Content of the course"),
    "teacher": N_("The teacher"),
    "organisation": N_("Organisation"),
}
# What the learner is asked, one question a message.
_ASKED = {
    "content": N_("How useful was the content of the course?"),
    "teacher": N_("How did you like the teacher?"),
    "organisation": N_("How well was the course organised (place, times, information)?"),
}
_CODES = {"content": "c", "teacher": "t", "organisation": "o"}
QUESTION_OF_CODE = {code: question for question, code in _CODES.items()}


def question_label(t: Translator, question: str) -> str:
    return t.gettext(QUESTION_LABELS[question]) if question in QUESTION_LABELS else question


def _rating_rows(t: Translator, registration_id: int, question: str) -> list[list[Button]]:
    scale = [
        Button(
            str(n),
            callbacks.pack(Action.SURVEY, SurveyButton.RATE, registration_id, _CODES[question], n),
        )
        for n in range(1, 6)
    ]
    return [scale]


def _asked(t: Translator, question: str, position: int) -> str:
    return (
        t.gettext("{position}/3. {question}").format(
            position=position, question=t.gettext(_ASKED[question])
        )
        + "\n"
        + t.gettext("1 – poor, 5 – excellent")
    )


def invitation(t: Translator, registration_id: int, programme_title: str) -> Reply:
    """The first message: why we ask, that it is optional and anonymous, and the first rating."""
    text = (
        t.gettext("Thank you for taking part in “{programme}”!").format(
            programme=html.escape(programme_title)
        )
        + "\n\n"
        + t.gettext(
            "Would you answer three short questions and tell us what to improve? "
            "It is optional, and your answers are kept without your name."
        )
        + "\n\n"
        + _asked(t, QUESTIONS[0], 1)
    )
    return Reply(text, _rating_rows(t, registration_id, QUESTIONS[0]))


def next_question(t: Translator, registration_id: int, question: str) -> Reply:
    position = QUESTIONS.index(question) + 1
    return Reply(_asked(t, question, position), _rating_rows(t, registration_id, question))


def comment_prompt(t: Translator, registration_id: int) -> Reply:
    return Reply(
        t.gettext(
            "Anything else you would like to tell us? Write it in one message, or press “Skip”."
        ),
        [
            [
                Button(
                    t.gettext("Skip"),
                    callbacks.pack(Action.SURVEY, SurveyButton.SKIP, registration_id),
                )
            ]
        ],
    )


def rated(t: Translator, question: str, value: int) -> str:
    """The short note a rating button shows when pressed."""
    return t.gettext("{question}: {value}").format(
        question=question_label(t, question), value=value
    )


def thanks(t: Translator) -> str:
    return t.gettext("Thank you! Your answers help us make the courses better.")


def already(t: Translator) -> str:
    return t.gettext("You have answered this survey already, thank you.")


def refused(t: Translator) -> str:
    return t.gettext("This survey is not available any more.")


def csv_for_people(t: Translator, programme_titles: Mapping[str, str]) -> CsvForm[Answer]:
    """The answers for Excel in the reader's language (BOM, `;` in Lithuanian)."""
    header = [
        t.gettext("Day"),
        t.gettext("Programme"),
        t.gettext("Group"),
        t.gettext("Language"),
        *(question_label(t, q) for q in QUESTIONS),
        t.gettext("Comment"),
    ]

    def row(a: Answer) -> list[object]:
        return [
            a.day,
            spreadsheet_cell(programme_titles.get(a.programme_id, a.programme_id)),
            a.group_id,
            language_name(t, a.lang),
            *("" if a.ratings[q] is None else a.ratings[q] for q in QUESTIONS),
            spreadsheet_cell(a.comment or ""),
        ]

    return csv_form.for_people(t.lang, header, row)
