"""Free-text questions, answered from the catalogue."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from bot.app import BotContext
from bot.handlers import broadcasts, enquiries
from bot.handlers.common import send
from bot.i18n import Translator
from bot.render import answers, menus
from bot.render.reply import Reply
from services.catalogue.view import CatalogueView
from services.search import smalltalk

# Longer messages are answered from their beginning; nobody asks a question
# in more than a few sentences, and the log should not store essays.
MAX_QUESTION = 1000


async def on_text(update: Update, context: BotContext) -> None:
    """The learner gets the best matching programme, group or FAQ answer, or an honest
    'I don't know' with the centre's contacts."""
    message = update.effective_message
    user = update.effective_user
    if message is None or message.text is None:
        return
    services = context.services
    expired = False
    if user is not None:
        # Staff composing an announcement: its text, not a question.
        if await broadcasts.on_compose_message(update, context):
            return
        # Writing an enquiry, or replying to the centre's answer: not a question.
        draft, expired = await services.enquiries.draft(user.id)
        if draft is not None:
            await enquiries.on_draft_text(update, context, draft)
            return
        replied = message.reply_to_message
        if replied is not None:
            enquiry = await services.enquiries.by_learner_message(user.id, replied.message_id)
            if enquiry is not None:
                await enquiries.follow_up(update, context, enquiry.id)
                return
    t = await context.translator_for(update)
    if user is not None and expired:
        await send(update, Reply(enquiries.expired_text(t)))
    text = message.text.strip()[:MAX_QUESTION]
    view = services.catalogue.view
    kind = smalltalk.classify(text)
    if kind is not None:
        await send(update, _small_talk_reply(t, view, kind))
        return
    result = await services.answers.ask(
        text,
        t.lang,
        user_id=user.id if user else None,
        update_id=update.update_id,
        chat_id=message.chat_id,
        message_id=message.message_id,
    )
    await send(update, answers.answer_reply(t, view, result, services.clock.now()))


def _small_talk_reply(t: Translator, view: CatalogueView, kind: str) -> Reply:
    if kind == "greeting":
        return menus.main_menu(t, view, greeting=True)
    if kind == "thanks":
        return Reply(t.gettext("You are welcome! Ask me anything else at any time."))
    if kind == "bye":
        return Reply(t.gettext("Goodbye! Write any time you have a question."))
    return Reply(t.gettext("Please type your question in words."))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE,
            on_text,
        )
    )
