"""The bot's PTB application: durable update handling, each chat's updates in order."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import Application, BaseUpdateProcessor

from bot.transport import intake
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


def _none(update: object) -> bool:
    return False


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Many chats at once, but each chat's updates strictly in order, and the
    updates `in_arrival_order` picks one at a time in the order they came.

    A chat waits for its own turn before taking one of the `limit` slots, so
    a learner with many queued messages holds one slot, not all of them.
    PTB's own semaphore (taken before do_process_update) is set far above
    the limit so that it never decides.
    """

    def __init__(self, limit: int, in_arrival_order: Callable[[object], bool] = _none) -> None:
        super().__init__(max_concurrent_updates=max(limit, 1) * 1000)
        self._slots = asyncio.Semaphore(max(limit, 1))
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}
        self._in_arrival_order = in_arrival_order
        # Updates that must take effect in the order they reached the bot
        # (a press that claims a seat) queue here first. asyncio.Lock serves its
        # waiters first come, first served, and updates start in arrival
        # order, so the first to arrive is the first to act. Taken before the
        # chat's lock, never after it, so the two cannot wait on each other.
        self._arrival_line = asyncio.Lock()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if self._in_arrival_order(update):
            async with self._arrival_line:
                await self._process(update, coroutine)
            return
        await self._process(update, coroutine)

    async def _process(self, update: object, coroutine: Awaitable[Any]) -> None:
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
