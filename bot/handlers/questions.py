"""Free-text questions, answered from the catalogue."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from bot.app import BotContext
from bot.handlers.common import send
from bot.render import answers
from bot.render.reply import Reply

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
    t = await context.translator_for(update)
    text = message.text.strip()[:MAX_QUESTION]
    services = context.services
    if not text:
        await send(update, Reply(t.gettext("Please type your question.")))
        return
    result = await services.answers.ask(
        text, t.lang, user_id=user.id if user else None, update_id=update.update_id
    )
    view = services.catalogue.view
    await send(update, answers.answer_reply(t, view, result, services.clock.now()))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE, on_text)
    )
