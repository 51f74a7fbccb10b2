"""Whatever no other handler took: unknown commands, stickers, voice, files."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from bot.context import BotContext
from bot.handlers.common import send
from texts.reply import Reply


async def unknown_command(update: Update, context: BotContext) -> None:
    """The learner is told the command is unknown and pointed to /help."""
    t = await context.translator_for(update)
    await send(
        update, Reply(t.gettext("I do not know that command. Send /help to see what I can do."))
    )


async def not_text(update: Update, context: BotContext) -> None:
    """The learner is told, kindly, that the bot reads only text."""
    t = await context.translator_for(update)
    await send(
        update,
        Reply(t.gettext("I can only read text messages. Please type your question.")),
    )


def register(app: Application) -> None:  # type: ignore[type-arg]
    # New messages only: editing an old message is not a new request.
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    # Registered after every other feature in the same group, so they only
    # see what nothing else took.
    app.add_handler(MessageHandler(filters.COMMAND & private, unknown_command))
    app.add_handler(MessageHandler(private & ~filters.TEXT & ~filters.StatusUpdate.ALL, not_text))
