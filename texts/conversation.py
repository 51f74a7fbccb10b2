"""Replies to messages that are not catalogue questions: small talk, and the
note for a learner writing in a language the bot does not speak."""

from __future__ import annotations

from services.catalogue.view import CatalogueView
from services.conversation import Turn, smalltalk
from texts import callbacks, cards, menus
from texts.callbacks import Action, EnquiryButton
from texts.i18n import Translator, translator
from texts.reply import Button, Reply


def _greeting(t: Translator, time_of_day: str | None) -> str:
    if time_of_day == smalltalk.MORNING:
        return t.gettext("Good morning!")
    if time_of_day == smalltalk.DAY:
        return t.gettext("Good afternoon!")
    if time_of_day == smalltalk.EVENING:
        return t.gettext("Good evening!")
    if time_of_day == smalltalk.SEASON:
        return t.gettext("Happy holidays to you too!")
    return t.gettext("Hello!")


def ask_the_centre(t: Translator) -> Button:
    """Starts an enquiry to staff, with no question carried over."""
    return Button(
        t.gettext("Ask the centre"),
        callbacks.pack(Action.ENQUIRY, EnquiryButton.NEW),
    )


def small_talk_reply(t: Translator, view: CatalogueView, turn: Turn) -> Reply:
    """A short friendly reply in the learner's language, never a catalogue card."""
    kind = turn.detail
    if kind == smalltalk.GREETING:
        if turn.time_of_day is None:
            return menus.main_menu(t, view, greeting=True)
        menu = menus.main_menu(t, view)
        menu.text = _greeting(t, turn.time_of_day) + "\n\n" + menu.text
        return menu
    reply = _reply(t, kind)
    if turn.greeted:
        # "labas, kaip sekasi?": greeted back before the answer.
        reply.text = _greeting(t, turn.time_of_day) + " " + reply.text
    return reply


def _reply(t: Translator, kind: str) -> Reply:
    if kind == smalltalk.HOW_ARE_YOU:
        return Reply(
            t.gettext(
                "I am fine, thank you for asking! I am here to help with the centre's "
                "programmes, driving courses and events for teachers. What would you like to know?"
            )
        )
    if kind == smalltalk.BOT:
        reply = Reply(
            t.gettext(
                "I am the centre's chat assistant: a program, not a person. I answer questions "
                "about programmes, driving courses and events for teachers. To write to a person "
                "at the centre, press “Ask the centre”."
            )
        )
        return reply.add_row(ask_the_centre(t))
    if kind == smalltalk.JOKE:
        return Reply(
            t.gettext(
                "Here is one. A learner driver asks the instructor: “What do I do if the brakes "
                "fail?” – “Aim for something cheap.” Now, what would you like to know about our "
                "courses?"
            )
        )
    if kind == smalltalk.COMPLAINT:
        reply = Reply(
            t.gettext(
                "Sorry that I did not help. Try asking in other words, or press “Ask the "
                "centre” and the centre's staff will answer you."
            )
        )
        return reply.add_row(ask_the_centre(t))
    if kind == smalltalk.LAUGH:
        return Reply(
            t.gettext(
                "😄 What would you like to know about our programmes, driving courses or "
                "events for teachers?"
            )
        )
    if kind == smalltalk.THANKS:
        return Reply(t.gettext("You are welcome! Ask me anything else at any time."))
    if kind == smalltalk.BYE:
        return Reply(t.gettext("Goodbye! Write any time you have a question."))
    return Reply(t.gettext("Please type your question in words."))


# The note is in both languages the bot speaks, whatever the learner's setting:
# someone writing Russian may read either.
_NOTE_LANGUAGES = ("en", "lt")
_FLAGS = {"en": "🇬🇧", "lt": "🇱🇹"}


def foreign_reply(t: Translator, view: CatalogueView) -> Reply:
    """Which languages the bot speaks (in English and Lithuanian), the centre's
    contacts, and the way to a person, who can answer in other languages."""
    notes = []
    for lang in _NOTE_LANGUAGES:
        note = translator(lang).gettext(
            "I can answer only in Lithuanian and English. The centre's staff can answer "
            "in other languages too: press “Ask the centre” or contact the centre."
        )
        notes.append(f"{_FLAGS[lang]} {note}")
    text = "\n\n".join([*notes, cards.contacts_text(t, view.catalogue.centre)])
    # "ask" carries the question over: it was logged as one the bot could not answer.
    label = " · ".join(translator(lang).gettext("Ask the centre") for lang in _NOTE_LANGUAGES)
    return Reply(text).add_row(Button(label, callbacks.pack(Action.ENQUIRY, EnquiryButton.ASK)))
