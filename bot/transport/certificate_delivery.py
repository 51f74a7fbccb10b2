"""A certificate's PDF on its way to its holder, from the console."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from telegram import InputFile
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.transport.outcomes import outcome_of
from domain.outcomes import Outcome
from services.certificates import Certificate
from services.container import Services
from texts import certificates as texts


async def deliver_certificate(
    bot: ExtBot[Any], services: Services, certificate: Certificate, verify_url: str | None
) -> str:
    """delivered | erased (the group is gone from the catalogue) | blocked |
    uncertain | failed; a delivered certificate is marked sent."""
    subject = services.certificates.subject(certificate)
    if subject is None:
        return "failed"
    font: Path = services.certificates.font
    body = texts.pdf(certificate, *subject, verify_url, font)
    try:
        await bot.send_document(
            certificate.user_id,
            InputFile(body, filename=texts.file_name(certificate)),
            caption=texts.caption(certificate, subject[0]),
        )
    except TelegramError as exc:
        outcome = outcome_of(exc)
        if outcome == Outcome.BLOCKED:
            await services.learners.blocked(certificate.user_id)
            return "blocked"
        return "uncertain" if outcome == Outcome.UNKNOWN else "failed"
    await services.certificates.sent(certificate.code)
    return "delivered"
