"""The single error handler."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application

from bot.context import BotContext
from texts.i18n import translator

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """The learner is told, in their language, that something went wrong."""
    # Log the failure with the update id only: update contents are personal data.
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("error while handling update %s", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    user = update.effective_user
    try:
        lang = (
            await context.services.learners.language(user.id, user.language_code) if user else "lt"
        )
    except Exception:  # the database itself may be what failed
        lang = "lt"
    t = translator(lang)
    try:
        await update.effective_chat.send_message(
            t.gettext("Sorry, something went wrong on our side. Please try again in a moment.")
        )
    except Exception:
        log.warning("could not tell the learner about the error", exc_info=True)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_error_handler(on_error)
