"""A Reply's buttons as Telegram's inline keyboard: for handlers and senders alike."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from texts.reply import Reply


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.label, url=b.url)
                if b.url
                else InlineKeyboardButton(b.label, callback_data=b.data)
                for b in row
            ]
            for row in reply.buttons
        ]
    )
