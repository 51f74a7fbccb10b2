"""Send what is due: reminders and change notices, through the bot's one
paced outgoing path, each claimed (committed) before its request."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import ExtBot

from bot.handlers.common import markup
from bot.i18n import translator
from bot.pacing import Dropped, Outgoing, Priority
from bot.render import reminders as render
from bot.render.reply import Reply
from services.container import Services
from services.reminders.changes import GROUP_OPENED, SCHEDULE_CHANGED
from services.reminders.service import DueReminder
from storage.reminders_repo import NoticeRow

log = logging.getLogger(__name__)

# Requests handed to the paced sender at once; it decides the actual pace.
IN_FLIGHT = 64
BATCH = 500


class ReminderSender:
    def __init__(self, bot: ExtBot[Any], services: Services) -> None:
        self.bot = bot
        self.services = services
        self._slots = asyncio.Semaphore(IN_FLIGHT)
        self._lock = asyncio.Lock()
        # Set when the bot stops: nothing more is claimed; what is left stays
        # planned and goes at the next start (late, if its time has passed).
        self.paused = False

    async def run_due(self, until: dt.datetime | None = None) -> int:
        """Send every reminder and notice whose time has come (reminders up to
        `until`, when a burst starts early); returns how many were handed to
        Telegram. One run at a time: a second call waits, then finds nothing
        left."""
        async with self._lock:
            total = 0
            while not self.paused:
                reminders = await self.services.reminders.due(BATCH, until)
                notices = await self.services.reminders.due_notices(BATCH)
                if not reminders and not notices:
                    return total
                results = await asyncio.gather(
                    *(self._guarded(self._reminder(r)) for r in reminders),
                    *(self._guarded(self._notice(n)) for n in notices),
                    return_exceptions=True,
                )
                for result in results:
                    if isinstance(result, BaseException):
                        # One bad message must not stop the others.
                        log.error("sending a reminder failed", exc_info=result)
                    else:
                        total += result
                if len(reminders) < BATCH and len(notices) < BATCH:
                    return total
            return total

    async def _guarded(self, job: Any) -> int:
        async with self._slots:
            sent: int = await job
            return sent

    async def _reminder(self, due: DueReminder) -> int:
        service = self.services.reminders
        t = translator(due.language)
        reply = render.reminder_reply(t, self.services.catalogue.view, due)
        state = await self._send(
            due.row.user_id, reply, lambda: service.claim(due.row.id, due.row.fire_at)
        )
        if state is not None:
            await service.finish(due.row.id, state)
        return int(state == "sent")

    async def _notice(self, notice: NoticeRow) -> int:
        service = self.services.reminders
        t = translator(await service.language(notice.user_id))
        view = self.services.catalogue.view
        data = json.loads(notice.data)
        reply: Reply | None = None
        if notice.kind == SCHEDULE_CHANGED:
            reply = render.schedule_change_reply(t, view, data)
        elif notice.kind == GROUP_OPENED:
            reply = render.group_opened_reply(t, view, data, self.services.clock.now())
        if reply is None:
            # What it announced is gone from the catalogue again.
            if await service.claim_notice(notice.id):
                await service.finish_notice(notice.id, "failed")
            return 0
        state = await self._send(notice.user_id, reply, lambda: service.claim_notice(notice.id))
        if state is not None:
            await service.finish_notice(notice.id, state)
        return int(state == "sent")

    async def _claim(self, claim: Callable[[], Awaitable[bool]]) -> bool:
        """The row is taken, unless the bot is stopping."""
        return not self.paused and await claim()

    async def _send(
        self, chat_id: int, reply: Reply, claim: Callable[[], Awaitable[bool]]
    ) -> str | None:
        """The outcome as a state: sent, failed (Telegram refused: blocked,
        chat gone, still rate limited), unknown (it may have arrived), or
        None when the claim failed (cancelled or taken meanwhile).

        The row is claimed (committed as sending) by the paced sender at the
        moment the message's turn comes, so a crash leaves in doubt only the
        requests on the wire, not the ones still waiting for their turn."""
        try:
            await self.bot.send_message(
                chat_id,
                reply.text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup(reply),
                disable_web_page_preview=True,
                rate_limit_args=Outgoing(Priority.REMINDER, lambda: self._claim(claim)),
            )
        except Dropped:
            return None
        except (Forbidden, BadRequest, RetryAfter) as exc:
            log.info("a reminder was refused: %s", type(exc).__name__)
            return "failed"
        except (TimedOut, NetworkError) as exc:
            log.warning("a reminder may or may not have arrived: %s", type(exc).__name__)
            return "unknown"
        except TelegramError as exc:
            log.warning("a reminder was refused: %s", type(exc).__name__)
            return "failed"
        return "sent"
