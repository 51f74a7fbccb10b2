"""The feedback survey's invitations, sent unasked after a group ends: each
claimed (recorded as asked) before it is sent, so nobody is asked twice."""

from __future__ import annotations

import logging
from typing import Any

from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.markup import markup
from bot.transport.outcomes import Batches, outcome_of
from bot.transport.pacing import Dropped, Outgoing, Priority
from domain.outcomes import Outcome
from services.container import Services
from services.surveys import Invitee
from texts import survey as texts
from texts.i18n import translator

log = logging.getLogger(__name__)


class SurveySender:
    def __init__(self, bot: ExtBot[Any], services: Services) -> None:
        self.bot = bot
        self.services = services
        self._batches = Batches("survey invitations")

    async def run(self) -> int:
        """Invite everyone due now; how many were sent. Ratings left without
        a comment past their window are kept without one."""
        await self.services.surveys.finish_stale()
        due = await self.services.surveys.due()
        results = await self._batches.run(self._invite(invitee) for invitee in due)
        return sum(1 for outcome in results if outcome == Outcome.SENT)

    async def _invite(self, invitee: Invitee) -> Outcome | None:
        """Claimed when its turn comes in the paced sender (as reminders are):
        a crash leaves in doubt only the request on the wire, which is then
        never sent again."""

        async def claim() -> bool:
            return await self.services.surveys.invite(invitee.registration_id)

        found = self.services.catalogue.view.programmes.get(invitee.programme_id)
        t = translator(invitee.lang)
        reply = texts.invitation(
            t, invitee.registration_id, found.title.get(t.lang) if found else invitee.group_id
        )
        try:
            await self.bot.send_message(
                invitee.user_id,
                reply.text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup(reply),
                disable_web_page_preview=True,
                rate_limit_args=Outgoing(Priority.REMINDER, claim),
            )
        except Dropped:
            return None  # asked already (another round got there first)
        except TelegramError as exc:
            outcome = outcome_of(exc)
            if outcome == Outcome.BLOCKED:
                await self.services.learners.blocked(invitee.user_id)
            # Not tried again: the survey is optional, and asked once.
            log.info("a survey invitation was not delivered (%s)", outcome)
            return outcome
        return Outcome.SENT
