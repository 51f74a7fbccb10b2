"""A staff answer on its way to the learner, from the staff chat or the web
console alike: the same message, the same outcomes."""

from __future__ import annotations

from typing import Any

from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import ExtBot

from domain.enquiries import Enquiry
from services.container import Services
from texts import enquiries as texts
from texts.i18n import translator


async def deliver_answer(
    bot: ExtBot[Any], services: Services, enquiry: Enquiry, row: int, text: str
) -> str:
    """delivered | erased (the learner erased their data) | blocked (the bot) |
    failed (Telegram refused or could not be reached: recorded, not delivered)."""
    if enquiry.user_id is None:
        return "erased"
    learner_t = translator(enquiry.lang)
    try:
        sent = await bot.send_message(
            enquiry.user_id,
            texts.answer_to_learner(learner_t, enquiry, text),
            parse_mode=ParseMode.HTML,
        )
    except Forbidden:
        return "blocked"
    except TelegramError:
        return "failed"
    await services.enquiries.shown(row, learner_message_id=sent.message_id)
    return "delivered"
