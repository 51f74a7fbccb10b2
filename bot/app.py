"""Builds the bot's application: HTTP, pacing, durable intake, every feature's handlers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from telegram.ext import ApplicationBuilder, ContextTypes, JobQueue
from telegram.request import BaseRequest

from bot.application import PerChatUpdateProcessor, VtcApplication
from bot.context import BotContext
from bot.handlers import register_all
from bot.handlers.registration import claims_seat
from bot.transport import intake
from bot.transport.http import AiohttpRequest
from bot.transport.pacing import PacedRateLimiter
from services.container import Services


@dataclass(frozen=True)
class PacingSettings:
    """Telegram's flood limits as the centre configures them (SEND_* settings)."""

    overall_per_second: float = 30.0
    chat_interval: float = 1.0
    group_per_minute: float = 20.0
    # Announcements sent as Telegram's paid broadcasts (allow_paid_broadcast).
    paid_broadcasts: bool = False


def build_application(
    services: Services,
    token: str,
    api_url: str,
    concurrent_updates: int = 64,
    request: BaseRequest | None = None,
    pacing: PacingSettings | None = None,
) -> VtcApplication:
    """The bot's application; `request` replaces HTTP for tests with an offline bot."""
    base = api_url.rstrip("/")
    pacing = pacing or PacingSettings()
    bot = intake.DurableBot(
        token=token,
        base_url=f"{base}/bot",
        base_file_url=f"{base}/file/bot",
        request=request or AiohttpRequest(connection_pool_size=concurrent_updates + 8),
        get_updates_request=request or AiohttpRequest(connection_pool_size=2, read_timeout=40.0),
        intake=services.intake,
        # Every outgoing message, replies and reminders alike, is paced here.
        rate_limiter=PacedRateLimiter(
            overall_per_second=pacing.overall_per_second,
            chat_interval=pacing.chat_interval,
            group_per_minute=pacing.group_per_minute,
        ),
    )
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .application_class(VtcApplication, kwargs={"services": services})
        .bot(bot)
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(PerChatUpdateProcessor(concurrent_updates, claims_seat))
        .job_queue(JobQueue())
    )
    app = cast(VtcApplication, builder.build())
    register_all(app)
    return app
