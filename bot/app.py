"""The PTB application: typed context, durable update handling, per-chat order."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, cast

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackContext,
    ContextTypes,
    ExtBot,
    JobQueue,
)
from telegram.request import BaseRequest

from bot import intake
from bot.http import AiohttpRequest
from bot.i18n import Translator, translator
from bot.pacing import PacedRateLimiter
from services import metrics
from services.container import Services

log = logging.getLogger(__name__)


class VtcApplication(Application[Any, Any, Any, Any, Any, Any]):
    """An Application that knows the centre's services and finishes updates durably."""

    def __init__(self, services: Services, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services
        # Inbox rows left unfinished by the last run, being handled again.
        self.replaying: set[int] = set()
        # Set on SIGTERM: updates not begun yet stay in the inbox for the next start.
        self.stopping = False
        # Tasks started through create_task (handlers, broadcasts), for a stop
        # whose grace period ran out: cancelled, they leave their work to the
        # next start (the inbox, the reply journal and the outbox keep it).
        self.tasks: set[asyncio.Future[Any]] = set()

    def create_task(self, *args: Any, **kwargs: Any) -> Any:
        task = super().create_task(*args, **kwargs)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    def replay(self, inbox_id: int) -> None:
        self.replaying.add(inbox_id)

    async def process_update(self, update: object) -> None:
        if not isinstance(update, Update):
            await super().process_update(update)
            return
        inbox_id = intake.inbox_id_of(update)
        if inbox_id is None:
            # A redelivery of a stored update (done, or being handled by the
            # start-up replay), or a stand-in for one set aside as unparseable.
            return
        if self.stopping:
            metrics.update_outcome("deferred")
            return
        replay = inbox_id in self.replaying
        if replay:
            await self.services.intake.attempt(inbox_id)
        while True:
            try:
                token = await intake.begin(self.services.intake, inbox_id, replay)
                try:
                    await super().process_update(update)
                finally:
                    intake.end(token)
                # Errors inside handlers were reported by the error handler
                # (the learner was told); the update is finished either way.
                await self.services.intake.done(inbox_id)
                metrics.update_outcome("handled")
                break
            except Exception as exc:
                given_up = await self.services.intake.failed_attempt(
                    inbox_id, update.update_id, type(exc).__name__
                )
                if given_up:
                    break
                # Again, as a replay: replies already sent are not repeated.
                replay = True
        self.replaying.discard(inbox_id)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """What every handler gets: the services and the learner's language."""

    @property
    def services(self) -> Services:
        return cast(VtcApplication, self.application).services

    async def translator_for(self, update: Update) -> Translator:
        user = update.effective_user
        if user is None:
            return translator("lt")
        lang = await self.services.learners.seen(user.id, user.language_code)
        return translator(lang)


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Many chats at once, but each chat's updates strictly in order.

    A chat waits for its own turn before taking one of the `limit` slots, so
    a learner with many queued messages holds one slot, not all of them.
    PTB's own semaphore (taken before do_process_update) is set far above
    the limit so that it never decides.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(max_concurrent_updates=max(limit, 1) * 1000)
        self._slots = asyncio.Semaphore(max(limit, 1))
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            async with self._slots:
                await coroutine
            return
        key = chat.id
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock, self._slots:
                await coroutine
        finally:
            self._users[key] -= 1
            if self._users[key] == 0:
                del self._users[key]
                del self._locks[key]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


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
        .concurrent_updates(PerChatUpdateProcessor(concurrent_updates))
        .job_queue(JobQueue())
    )
    app = cast(VtcApplication, builder.build())
    from bot.handlers import register_all

    register_all(app)
    return app
