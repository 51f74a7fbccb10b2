"""/privacy, /my_data and /forget: the learner's rights over their data."""

from __future__ import annotations

from html import escape

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import callbacks
from bot.app import BotContext
from bot.handlers.common import acknowledge, send, show
from bot.i18n import Translator
from bot.render.reply import Button, Reply

FORGET = "F"


def notice(t: Translator, email: str) -> str:
    return "\n".join(
        [
            "<b>" + t.gettext("Your data and this bot") + "</b>",
            t.gettext(
                "What we keep: your Telegram user id, the language you chose, the questions "
                "you asked and whether the bot could answer them, and the messages you send "
                "while the bot is handling them."
            ),
            t.gettext(
                "If you ask for reminders: the groups you follow, when to remind you and "
                "your quiet hours, until you stop them."
            ),
            t.gettext(
                "Why: to answer you in your language, to pass on what the bot could not "
                "answer, and to improve the answers."
            ),
            t.gettext(
                "How long: messages being handled for at most a day after they are "
                "answered; your questions until you erase them."
            ),
            t.gettext("/my_data sends you everything stored about you; /forget erases it."),
            t.gettext("Questions about your data: {email}").format(email=escape(email)),
        ]
    )


async def privacy(update: Update, context: BotContext) -> None:
    """The learner gets the privacy notice: what is kept, why, how long, whom to ask."""
    t = await context.translator_for(update)
    email = context.services.catalogue.view.catalogue.centre.email
    await send(update, Reply(notice(t, email)))


async def my_data(update: Update, context: BotContext) -> None:
    """The learner gets a JSON file with everything stored about them."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    t = await context.translator_for(update)
    data = await context.services.privacy.export_json(user.id)
    await chat.send_document(
        InputFile(data, filename="my-data.json"),
        caption=t.gettext("Everything this bot stores about you."),
    )


async def forget(update: Update, context: BotContext) -> None:
    """The learner is asked to confirm before their data is erased."""
    t = await context.translator_for(update)
    reply = Reply(
        t.gettext(
            "This erases your language choice, the questions you asked and the messages "
            "kept for handling them. Statistics keep only anonymous counts. Erase everything?"
        )
    )
    reply.add_row(
        Button(t.gettext("Yes, erase my data"), callbacks.pack(FORGET, "yes")),
        Button(t.gettext("No, keep it"), callbacks.pack(FORGET, "no")),
    )
    await send(update, reply)


async def forget_confirmed(update: Update, context: BotContext) -> None:
    """The learner's data is erased (or kept, if they changed their mind)."""
    user = update.effective_user
    cb = callbacks.unpack(update.callback_query.data if update.callback_query else None)
    if user is None or cb is None:
        return
    # The reply is in the language they used, which is itself about to go.
    t = await context.translator_for(update)
    await acknowledge(update)
    if cb.arg(0) != "yes":
        await show(update, Reply(t.gettext("Nothing was erased.")))
        return
    await context.services.privacy.forget(user.id)
    await show(update, Reply(t.gettext("Done: your data is erased.")))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("privacy", privacy))
    app.add_handler(CommandHandler("my_data", my_data))
    app.add_handler(CommandHandler("forget", forget))
    app.add_handler(CallbackQueryHandler(forget_confirmed, pattern=r"^1\|F\|"))
