"""Free-text messages: small talk, screen names, requests for a person, other languages,
and questions answered from the catalogue."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.handlers import browse, enquiries, registration, reminders, start
from bot.handlers.common import send
from bot.handlers.in_passing import MAX_QUESTION
from services import conversation
from services.catalogue.view import CatalogueView
from services.conversation import navigation, own
from texts import answers, callbacks, menus
from texts import conversation as replies
from texts.callbacks import Action
from texts.i18n import Translator
from texts.reply import Reply


async def on_question(update: Update, context: BotContext, expired: bool = False) -> None:
    """The learner gets a reply to small talk, the screen they named, their own
    courses, lessons or enquiries when they ask about them, an enquiry when they
    ask for a person, a note of the bot's languages when they write in another,
    or else the best matching catalogue answer or an honest 'I don't know'."""
    message = update.effective_message
    user = update.effective_user
    if message is None or message.text is None:
        return
    services = context.services
    text = message.text.strip()[:MAX_QUESTION]
    turn = conversation.classify(text)
    if user is not None and turn.lang is not None:
        await services.learners.wrote_in(user.id, user.language_code, turn.lang)
    t = await context.translator_for(update)
    if user is not None and expired:
        await send(update, Reply(enquiries.expired_text(t)))
    view = services.catalogue.view
    if turn.kind == "smalltalk":
        await send(update, replies.small_talk_reply(t, view, turn))
        return
    if turn.kind == "navigation" and turn.detail == navigation.HELP:
        # The same as /help: staff and admins also get their commands.
        await start.help_command(update, context)
        return
    if turn.kind == "navigation":
        await send(update, _screen(t, view, turn.detail, context))
        return
    if turn.kind == "own":
        if user is not None and await _has_own(context, user.id, turn.detail):
            await _OWN_SCREENS[turn.detail](update, context)
            return
        # Nothing of their own there: "mano kursai" is then the course list.
        screen = navigation.screen(text)
        if screen is not None:
            await send(update, _screen(t, view, screen, context))
            return
    if turn.kind == "person":
        await enquiries.start_in_words(update, context, t, turn.question)
        return
    if turn.kind == "foreign":
        await services.answers.log_foreign(
            text,
            t.lang,
            turn.lang,
            user_id=user.id if user else None,
            update_id=update.update_id,
            chat_id=message.chat_id,
            message_id=message.message_id,
        )
        await send(update, replies.foreign_reply(t, view))
        return
    result = await services.answers.ask(
        text,
        t.lang,
        user_id=user.id if user else None,
        update_id=update.update_id,
        chat_id=message.chat_id,
        message_id=message.message_id,
        detected_lang=turn.lang,
    )
    # The answer's "Was this helpful?" buttons name its row in the question log.
    question_id = (
        await services.answers.logged_id(message.chat_id, message.message_id)
        if result.hits
        else None
    )
    register = (
        browse.answer_register_button(t, result.hits[0], context, result.intent)
        if result.hits
        else None
    )
    await send(
        update,
        answers.answer_reply(t, view, result, services.clock.now(), question_id, register),
    )


# "Ar mano registracija patvirtinta?", "when is my next lesson?", "did you
# answer my question?": what the learner's own commands show.
_OWN_SCREENS = {
    own.MY_COURSES: registration.my_courses,
    own.SCHEDULE: reminders.schedule_command,
    own.MY_ENQUIRIES: enquiries.my_enquiries,
}


async def _has_own(context: BotContext, user_id: int, screen: str) -> bool:
    """The learner has something to show there; one who has not (say, registered
    by phone) is answered from the catalogue, which tells how it works."""
    services = context.services
    if screen == own.MY_ENQUIRIES:
        return bool(await services.enquiries.mine(user_id))
    if screen == own.SCHEDULE:
        # /schedule lists the groups the learner follows.
        return bool(await services.reminders.subscriptions(user_id))
    return bool(await services.registrations.list_for_user(user_id))


# A typed screen name opens what that screen's button opens.
_BUTTONS = {
    navigation.MAIN: callbacks.Callback(Action.MAIN_MENU),
    navigation.PROGRAMMES: callbacks.Callback(Action.PROGRAMME_KINDS),
    navigation.DRIVING: callbacks.Callback(Action.LIST, ("driving", "-", "0")),
    navigation.TEACHERS: callbacks.Callback(Action.LIST, ("teacher", "-", "0")),
    navigation.FAQ: callbacks.Callback(Action.FAQ_TOPICS),
    navigation.CONTACTS: callbacks.Callback(Action.CONTACTS),
}


def _screen(t: Translator, view: CatalogueView, screen: str, context: BotContext) -> Reply:
    if screen == navigation.LANGUAGE:
        return menus.language_menu(t)
    reply = browse.route(t, view, _BUTTONS[screen], context)
    return reply if reply is not None else menus.main_menu(t, view)
