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
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.markup import markup
from bot.transport.outcomes import Batches, outcome_of
from bot.transport.pacing import Dropped, Outgoing, Priority
from domain.notices import NoticeRow
from domain.outcomes import Outcome
from services.container import Services
from services.reminders.changes import GROUP_OPENED, SCHEDULE_CHANGED
from services.reminders.service import DueReminder
from texts import reminders as render
from texts.i18n import translator
from texts.reply import Reply

log = logging.getLogger(__name__)

BATCH = 500


class ReminderSender:
    def __init__(self, bot: ExtBot[Any], services: Services) -> None:
        self.bot = bot
        self.services = services
        self._batches = Batches("a reminder")
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
                jobs = [
                    *(self._reminder(r) for r in reminders),
                    *(self._notice(n) for n in notices),
                ]
                total += sum(await self._batches.run(jobs))
                if len(reminders) < BATCH and len(notices) < BATCH:
                    return total
            return total

    async def _reminder(self, due: DueReminder) -> int:
        service = self.services.reminders
        t = translator(due.language)
        reply = render.reminder_reply(t, self.services.catalogue.view, due)
        state = await self._send(
            due.row.user_id, reply, lambda: service.claim(due.row.id, due.row.fire_at)
        )
        if state is not None:
            await service.finish(due.row.id, state, due.row.user_id)
        return int(state == Outcome.SENT)

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
                await service.finish_notice(notice.id, Outcome.FAILED)
            return 0
        state = await self._send(notice.user_id, reply, lambda: service.claim_notice(notice.id))
        if state is not None:
            await service.finish_notice(notice.id, state, notice.user_id)
        return int(state == Outcome.SENT)

    async def _claim(self, claim: Callable[[], Awaitable[bool]]) -> bool:
        """The row is taken, unless the bot is stopping."""
        return not self.paused and await claim()

    async def _send(
        self, chat_id: int, reply: Reply, claim: Callable[[], Awaitable[bool]]
    ) -> Outcome | None:
        """The outcome (bot/transport/outcomes.py), or None when the claim
        failed (cancelled or taken meanwhile).

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
        except TelegramError as exc:
            outcome = outcome_of(exc)
            log.info("a reminder was not delivered (%s): %s", outcome, type(exc).__name__)
            return outcome
        return Outcome.SENT
