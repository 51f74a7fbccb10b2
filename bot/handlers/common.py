"""Glue shared by handlers: turning a Reply into Telegram messages."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.markup import markup
from texts.reply import Reply
from texts.split import split_text

log = logging.getLogger(__name__)


async def send(update: Update, reply: Reply) -> None:
    """Send a reply as new messages; buttons go under the last part."""
    chat = update.effective_chat
    if chat is None:
        return
    parts = split_text(reply.text)
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await chat.send_message(
            part,
            parse_mode=ParseMode.HTML,
            reply_markup=markup(reply) if last else None,
            disable_web_page_preview=True,
        )


async def show(update: Update, reply: Reply) -> None:
    """Answer a button press by replacing the menu in place, when it fits."""
    query = update.callback_query
    parts = split_text(reply.text)
    if query is None or query.message is None or len(parts) > 1:
        await send(update, reply)
        return
    try:
        await query.edit_message_text(
            reply.text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup(reply),
            disable_web_page_preview=True,
        )
    except BadRequest as exc:
        if "not modified" in str(exc).lower():
            return
        # The message may be too old to edit or gone: say it anew instead.
        log.info("could not edit a menu (%s); sending a new message", exc)
        await send(update, reply)


async def answer_press(update: Update, reply: Reply, below: bool) -> None:
    """A button's reply: below the pressed message when the button was under an
    answer (the answer stays), else in place of the pressed menu."""
    if below:
        await send(update, reply)
    else:
        await show(update, reply)


async def acknowledge(update: Update, text: str | None = None) -> None:
    """Stop the button's spinner; an old or replayed press must not fail the reply."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(text)
    except BadRequest as exc:
        log.info("could not answer a button press (%s)", exc)
