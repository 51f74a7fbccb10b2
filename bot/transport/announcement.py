"""An announcement as a recipient gets it: text, or a photo or document with
the text as its caption. One function, so that a staff member's preview is
exactly what the learners receive."""

from __future__ import annotations

from typing import Any

from telegram import Message
from telegram.constants import ParseMode
from telegram.ext import ExtBot

from bot.transport.pacing import Outgoing, Priority


async def send_announcement(
    bot: ExtBot[Any],
    chat_id: int,
    text: str,
    media_kind: str | None,
    media_file_id: str | None,
    rate_limit_args: Priority | Outgoing | None = None,
    paid: bool = False,
) -> Message:
    # A preview is never a paid broadcast; None leaves the parameter out.
    allow_paid = True if paid else None
    if media_kind in ("photo", "document") and media_file_id:
        send = bot.send_photo if media_kind == "photo" else bot.send_document
        return await send(
            chat_id,
            media_file_id,
            caption=text,
            parse_mode=ParseMode.HTML,
            rate_limit_args=rate_limit_args,
            allow_paid_broadcast=allow_paid,
        )
    return await bot.send_message(
        chat_id,
        text,
        parse_mode=ParseMode.HTML,
        disable_web_page_preview=True,
        rate_limit_args=rate_limit_args,
        allow_paid_broadcast=allow_paid,
    )
