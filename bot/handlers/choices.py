"""A learner's pick from "Did you mean": the card of the chosen entry."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import BotContext
from bot.handlers import browse
from bot.handlers.common import acknowledge, send
from services.catalogue.view import CatalogueView
from services.search.engine import Hit, SearchResult
from services.search.intents import INTENTS
from texts import answers, callbacks, menus
from texts.callbacks import Action

log = logging.getLogger(__name__)


def chosen(view: CatalogueView, cb: callbacks.Callback) -> tuple[Hit, str] | None:
    """The entry and the asked intent a choice button names, if still in the catalogue."""
    kind = callbacks.ENTRY_KINDS.get(cb.arg(0))  # type: ignore[call-overload]
    intent = cb.arg(2, "info")
    if kind is None or intent not in (*INTENTS, "info"):
        return None
    pool: set[str] = {
        "programme": set(view.programmes),
        "group": set(view.groups),
        "faq": set(view.faq),
    }[kind]
    entry_id = callbacks.resolve(cb.arg(1), pool)
    if entry_id is None or entry_id not in pool:
        return None
    return Hit(kind, entry_id, 0.0), intent


async def on_choice(update: Update, context: BotContext) -> None:
    """The learner gets, as a new message, the answer card of the entry they picked."""
    query = update.callback_query
    if query is None:
        return
    cb = callbacks.unpack(query.data)
    t = await context.translator_for(update)
    view = context.services.catalogue.view
    picked = chosen(view, cb) if cb is not None else None
    if picked is None:
        # The catalogue changed since the question was asked.
        log.info("stale choice button from a learner")
        await acknowledge(update, menus.stale_text(t))
        await send(update, menus.stale_menu(t, view))
        return
    hit, intent = picked
    await acknowledge(update)
    chat, user = update.effective_chat, update.effective_user
    if chat is not None:
        # The picked course is what a follow-up question is about.
        await context.services.answers.shown(chat.id, user.id if user else None, hit.type, hit.id)
    # The choices stay on screen: the learner may want another one too.
    result = SearchResult("", intent, [hit])
    register = browse.answer_register_button(t, hit, context)
    now = context.services.clock.now()
    await send(update, answers.answer_reply(t, view, result, now, register=register))


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CallbackQueryHandler(on_choice, pattern=callbacks.pattern(Action.CHOICE)))
