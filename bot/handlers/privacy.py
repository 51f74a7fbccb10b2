"""/privacy, /my_data and /forget: the learner's rights over their data."""

from __future__ import annotations

import logging

from telegram import InputFile, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.handlers.common import acknowledge, send, show
from bot.markup import markup
from services.confirmations import FORGET as FORGET_REQUEST
from services.confirmations import ConfirmationService, Fate
from texts import callbacks
from texts import privacy as texts
from texts.callbacks import Action
from texts.i18n import Translator
from texts.reply import Button, Reply

log = logging.getLogger(__name__)
FORGET = Action.FORGET


async def privacy(update: Update, context: BotContext) -> None:
    """The learner gets the privacy notice: what is kept, why, how long, whom to ask."""
    t = await context.translator_for(update)
    services = context.services
    email = services.catalogue.view.catalogue.centre.email
    await send(update, Reply(texts.notice(t, email, services.privacy.retention)))


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


def _confirmations(context: BotContext) -> ConfirmationService:
    services = context.services
    return ConfirmationService(services.db, services.clock)


async def forget(update: Update, context: BotContext) -> None:
    """The learner is asked to confirm before their data is erased."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    t = await context.translator_for(update)
    confirmations = _confirmations(context)
    # Only the newest confirmation acts: its nonce travels in its buttons.
    nonce, replaced = await confirmations.open(user.id, FORGET_REQUEST)
    holdings = await context.services.privacy.holdings(user.id)
    reply = Reply(texts.forget_question(t, holdings))
    reply.add_row(
        Button(t.gettext("Yes, erase my data"), callbacks.pack(FORGET, "yes", nonce)),
        Button(t.gettext("No, keep it"), callbacks.pack(FORGET, "no", nonce)),
    )
    message = await chat.send_message(
        reply.text, parse_mode=ParseMode.HTML, reply_markup=markup(reply)
    )
    await confirmations.shown(nonce, message.message_id)
    for message_id in replaced:
        if message_id != message.message_id:
            await _drop_buttons(context, chat.id, message_id)


async def _drop_buttons(context: BotContext, chat_id: int, message_id: int) -> None:
    """An older confirmation loses its buttons (they would no longer act)."""
    try:
        await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except BadRequest as exc:
        # Too old to edit, deleted by the learner, or already without buttons.
        log.info("could not take the buttons off an older confirmation: %s", exc)


def fate_text(t: Translator, fate: Fate) -> str:
    """The honest answer to a button of a request that is no longer open."""
    if fate is Fate.KEPT:
        return t.gettext(
            "This request was already answered: your data was kept. "
            "Send /forget if you want to erase it."
        )
    if fate is Fate.ERASED:
        return t.gettext("Your data was already erased; this button does nothing now.")
    if fate is Fate.NEWER:
        return t.gettext(
            "A newer confirmation was sent: please use the buttons of the latest message."
        )
    return t.gettext(
        "This confirmation is no longer valid; nothing was done. "
        "Send /forget if you want to erase your data."
    )


async def forget_confirmed(update: Update, context: BotContext) -> None:
    """The learner's data is erased (or kept), once, for their newest confirmation; an
    older or already answered one is told what became of it."""
    user = update.effective_user
    query = update.callback_query
    cb = callbacks.unpack(query.data if query else None)
    if user is None or query is None or cb is None:
        return
    # The reply is in the language they used, which is itself about to go.
    t = await context.translator_for(update)
    confirmations = _confirmations(context)
    shown_in = query.message.message_id if query.message is not None else None
    fate, nonce = await confirmations.fate(user.id, FORGET_REQUEST, cb.arg(1), shown_in)
    choice = cb.arg(0)
    if fate is Fate.OPEN and choice == "yes":
        await acknowledge(update)
        await context.services.privacy.forget(user.id)
        await confirmations.erased(nonce)
        await show(update, Reply(t.gettext("Done: your data is erased.")))
        return
    if fate is Fate.OPEN and choice == "no" and await confirmations.keep(user.id, nonce):
        await acknowledge(update)
        await show(update, Reply(t.gettext("Nothing was erased.")))
        return
    if fate is Fate.OPEN:
        fate = Fate.GONE  # not a choice of ours (a forged press)
    text = fate_text(t, fate)
    await acknowledge(update, text)
    # The message's buttons go: the request they were for is settled.
    await show(update, Reply(text))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("privacy", privacy))
    app.add_handler(CommandHandler("my_data", my_data))
    app.add_handler(CommandHandler("forget", forget))
    app.add_handler(
        CallbackQueryHandler(forget_confirmed, pattern=callbacks.pattern(Action.FORGET))
    )
