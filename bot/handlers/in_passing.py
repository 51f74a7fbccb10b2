"""A question typed in the middle of a form (a registration's name or phone
step): answered from the catalogue, so that the form can carry on."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.handlers.common import send
from texts import answers
from texts.i18n import Translator

# Longer messages are answered from their beginning; nobody asks a question
# in more than a few sentences, and the log should not store essays.
MAX_QUESTION = 1000


async def answer_in_passing(update: Update, context: BotContext, t: Translator, text: str) -> bool:
    """A question typed in the middle of a form gets its catalogue answer, if
    the catalogue has one (False: it has none, and nothing was sent)."""
    message = update.effective_message
    user = update.effective_user
    if message is None:
        return False
    services = context.services
    result = await services.answers.ask(
        text[:MAX_QUESTION],
        t.lang,
        user_id=user.id if user else None,
        update_id=update.update_id,
        chat_id=message.chat_id,
        message_id=message.message_id,
    )
    if not result.hits:
        return False
    view = services.catalogue.view
    await send(update, answers.answer_reply(t, view, result, services.clock.now()))
    return True
