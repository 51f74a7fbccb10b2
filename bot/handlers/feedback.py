"""'Was this helpful?': the learner's 👍 / 👎 under an answer."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler

from bot.context import BotContext
from bot.handlers.common import acknowledge, send
from domain.feedback import Vote
from services.feedback import Outcome
from texts import callbacks
from texts import feedback as texts
from texts.callbacks import Action
from texts.feedback import FEEDBACK
from texts.reply import Button

log = logging.getLogger(__name__)
_PREFIX = callbacks.pack(FEEDBACK) + callbacks.SEP


async def on_vote(update: Update, context: BotContext) -> None:
    """The learner's vote on an answer is kept once and the buttons say so; a 👎
    offers to ask the centre with the question carried over."""
    query = update.callback_query
    user = update.effective_user
    cb = callbacks.unpack(query.data if query else None)
    if query is None or user is None or cb is None:
        return
    t = await context.translator_for(update)
    action, number = cb.arg(0), cb.arg(1)
    if not (number.isascii() and number.isdigit()):
        await acknowledge(update, texts.refused(t))
        return
    question_id = int(number)
    if action == "done":
        await acknowledge(update, texts.already(t))
        return
    outcome = await context.services.feedback.vote(user.id, question_id, action, query.id)
    if outcome is Outcome.REFUSED:
        # Another learner's question, or data nobody was shown: nothing changes.
        await acknowledge(update, texts.refused(t))
        return
    if outcome is Outcome.GONE:
        await acknowledge(update, texts.gone(t))
        await _replace_vote_buttons(update, None)
        return
    received = texts.received_row(t, question_id)
    if outcome is Outcome.ALREADY:
        await acknowledge(update, texts.already(t))
        await _replace_vote_buttons(update, received)
        return
    await acknowledge(update, texts.thanks(t))
    await _replace_vote_buttons(update, received)
    if action == Vote.DOWN:
        await send(update, texts.not_helpful(t, question_id))


async def _replace_vote_buttons(update: Update, row: list[Button] | None) -> None:
    """The answer keeps its other buttons; the vote row becomes `row` (or goes)."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return  # too old for Telegram to say what it showed: left as it is
    keyboard = query.message.reply_markup.inline_keyboard if query.message.reply_markup else ()
    rows = [list(r) for r in keyboard if not any(_is_vote(b) for b in r)]
    if row is not None:
        rows.append([InlineKeyboardButton(b.label, callback_data=b.data) for b in row])
    try:
        await query.edit_message_reply_markup(InlineKeyboardMarkup(rows) if rows else None)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            log.info("could not replace the vote buttons (%s)", exc)


def _is_vote(button: InlineKeyboardButton) -> bool:
    data = button.callback_data
    return isinstance(data, str) and data.startswith(_PREFIX)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CallbackQueryHandler(on_vote, pattern=callbacks.pattern(Action.FEEDBACK)))
