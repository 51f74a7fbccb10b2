"""Send running broadcasts through the paced sender, one outbox row each,
with a progress message in the author's chat."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.transport.announcement import send_announcement
from bot.transport.outcomes import Batches, outcome_of
from bot.transport.pacing import Dropped, Outgoing, Priority
from domain.broadcasts import Broadcast
from domain.outcomes import Outcome
from services.container import Services
from texts import broadcasts as render
from texts import callbacks
from texts.callbacks import Action
from texts.i18n import translator

log = logging.getLogger(__name__)

BATCH = 500
# A recipient is tried at most this many times when Telegram is down or
# still rate limiting (never after a timeout: the message may have arrived).
MAX_ATTEMPTS = 3
PROGRESS_SECONDS = 3.0


class BroadcastSender:
    def __init__(self, bot: ExtBot[Any], services: Services, paid: bool = False) -> None:
        self.bot = bot
        self.services = services
        self.paid = paid
        self._batches = Batches("a broadcast message")
        # Broadcasts being sent by this process, each with a future set when done.
        self._running: dict[int, asyncio.Future[None]] = {}
        # Set when the bot stops: no recipient is claimed any more, the rest
        # stay pending and the next start resumes the broadcast there.
        self.paused = False

    async def start_due(self) -> list[int]:
        """Fix the recipients of broadcasts whose time has come; returns the
        ids of broadcasts to run that are not running in this process yet."""
        await self.services.broadcasts.start_due()
        return [b for b in await self.services.broadcasts.running() if b not in self._running]

    async def run(self, broadcast_id: int) -> None:
        """Send a broadcast to every pending recipient, then report; if it is
        already being sent in this process, wait for that instead."""
        running = self._running.get(broadcast_id)
        if running is not None:
            await asyncio.shield(running)
            return
        done = self._running[broadcast_id] = asyncio.get_running_loop().create_future()
        try:
            await self._run(broadcast_id)
        finally:
            del self._running[broadcast_id]
            done.set_result(None)

    async def join(self) -> None:
        """Until every broadcast being sent in this process has finished."""
        while self._running:
            await asyncio.shield(next(iter(self._running.values())))

    async def _run(self, broadcast_id: int) -> None:
        service = self.services.broadcasts
        row = await service.get(broadcast_id)
        if row is None:
            return
        started = time.monotonic()
        last_progress = 0.0
        while True:
            current = await service.get(broadcast_id)
            if current is None or current.state != "running" or self.paused:
                break
            batch = await service.pending(broadcast_id, BATCH)
            if not batch:
                break

            async def progress() -> None:
                nonlocal last_progress
                if time.monotonic() - last_progress >= PROGRESS_SECONDS and not self.paused:
                    last_progress = time.monotonic()
                    await self._progress(row, started, final=False)

            await self._batches.run(
                (self._one(row, user_id, lang) for user_id, lang in batch), after_each=progress
            )
        if self.paused:
            log.info("broadcast %d paused: %s", broadcast_id, await service.figures(broadcast_id))
            return
        await service.complete_if_done(broadcast_id)
        log.info("broadcast %d ended: %s", broadcast_id, await service.figures(broadcast_id))
        await self._progress(row, started, final=True)

    async def _one(self, row: Broadcast, user_id: int, lang: str) -> None:
        service = self.services.broadcasts
        text = row.text_en if lang == "en" and row.text_en else row.text_lt
        state = await self._send(row, user_id, text, lambda: self._claim(row.id, user_id))
        if state is not None:
            await service.finish(row.id, user_id, state)

    async def _claim(self, broadcast_id: int, user_id: int) -> bool:
        """The recipient is taken, unless the bot is stopping."""
        return not self.paused and await self.services.broadcasts.claim(broadcast_id, user_id)

    async def _send(
        self, row: Broadcast, chat_id: int, text: str, claim: Callable[[], Awaitable[bool]]
    ) -> str | None:
        """The outcome, or None when the claim failed (cancelled, or done)."""
        # Claimed at the head of the line: the pace stays exact; a crash may
        # leave one more recipient unknown (listed in the report).
        outgoing = Outgoing(Priority.BROADCAST, claim, at_head=True)
        try:
            await send_announcement(
                self.bot, chat_id, text, row.media_kind, row.media_file_id, outgoing, self.paid
            )
        except Dropped:
            return None
        except TelegramError as exc:
            outcome = outcome_of(exc)
            if outcome != Outcome.RETRY:
                return outcome
            # Not delivered (still rate limited, Telegram's 5xx, no connection):
            # tried again, a bounded number of times.
            attempts = await self.services.broadcasts.attempts(row.id, chat_id)
            if attempts >= MAX_ATTEMPTS:
                log.warning("a broadcast message failed %d times: %s", attempts, type(exc).__name__)
                return Outcome.FAILED
            await asyncio.sleep(2.0**attempts)  # back off before it is taken again
            return "pending"
        return Outcome.SENT

    async def _progress(self, row: Broadcast, started: float, final: bool) -> None:
        """The author's progress message, edited in place; a report at the end."""
        service = self.services.broadcasts
        figures = await service.figures(row.id)
        t = translator(await self.services.learners.language(row.author_id, None))
        current = await service.get(row.id)
        text = render.progress_text(
            t, row.id, figures, time.monotonic() - started, current.state if current else "", final
        )
        # While it runs, the author can stop it from the progress message.
        buttons = (
            None
            if final
            else InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            t.gettext("Cancel this broadcast"),
                            callback_data=callbacks.pack(Action.BROADCAST_CANCEL, row.id),
                        )
                    ]
                ]
            )
        )
        try:
            if current and current.progress_message_id and current.progress_chat_id:
                await self.bot.edit_message_text(
                    text,
                    current.progress_chat_id,
                    current.progress_message_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=buttons,
                )
            else:
                sent = await self.bot.send_message(
                    row.author_id, text, parse_mode=ParseMode.HTML, reply_markup=buttons
                )
                await service.set_progress_message(row.id, sent.chat_id, sent.message_id)
        except TelegramError as exc:
            log.info("could not update a broadcast's progress: %s", exc)
