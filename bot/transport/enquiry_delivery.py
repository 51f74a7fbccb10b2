"""A staff answer on its way to the learner, from the staff chat or the web
console alike: the same message, the same outcomes."""

from __future__ import annotations

from typing import Any

from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.transport.outcomes import outcome_of
from domain.enquiries import Delivery, Enquiry
from domain.outcomes import Outcome
from services.container import Services
from texts import enquiries as texts
from texts.i18n import translator


async def deliver_answer(
    bot: ExtBot[Any], services: Services, enquiry: Enquiry, row: int, text: str
) -> str:
    """delivered | erased (the learner erased their data) | blocked (the bot:
    the learner is marked inactive) | failed (Telegram refused or could not be
    reached) | uncertain (Telegram did not answer: it may have arrived). The
    answer's delivery state is recorded with it; only a delivered answer makes
    the enquiry "answered"; staff see the others at once and may send again."""
    enquiries = services.enquiries
    if enquiry.user_id is None:
        await enquiries.delivered(row, Delivery.REFUSED, "erased")
        return "erased"
    learner_t = translator(enquiry.lang)
    try:
        sent = await bot.send_message(
            enquiry.user_id,
            texts.answer_to_learner(learner_t, enquiry, text),
            parse_mode=ParseMode.HTML,
        )
    except TelegramError as exc:
        outcome = outcome_of(exc)
        if outcome == Outcome.BLOCKED:
            await services.learners.blocked(enquiry.user_id)
            await enquiries.delivered(row, Delivery.REFUSED, "blocked")
            return "blocked"
        if outcome == Outcome.UNKNOWN:
            await enquiries.delivered(row, Delivery.UNCERTAIN, None)
            return "uncertain"
        # Telegram's own words say why (never anything the learner wrote).
        await enquiries.delivered(row, Delivery.REFUSED, f"failed:{exc.message}"[:200])
        return "failed"
    await enquiries.shown(row, learner_message_id=sent.message_id)
    await enquiries.delivered(row, Delivery.SENT)
    return "delivered"
