"""Send what a registration's change owes (the `registration_notices`
outbox, written in the change's own transaction): offers with Accept /
Decline, staff confirmations (then the group's reminders and calendar file),
declines with the staff's reason, lapsed offers, and the staff chat's posts
and notes. Each notice is claimed (committed as sending) when its turn comes
in the paced sender and finished after its request, so a crash leaves in
doubt only the request on the wire, which is then never sent again."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ExtBot

from bot.markup import markup
from bot.transport.outcomes import Batches, outcome_of
from bot.transport.pacing import Dropped, Outgoing, Priority
from bot.transport.registration_posts import (
    follow_group,
    group_line,
    refresh_registration_post,
    registration_post,
)
from domain.languages import STAFF_LANGUAGE
from domain.outcomes import Outcome
from domain.registrations import (
    NoticeKind,
    Registration,
    RegistrationNotice,
    RegistrationStatus,
)
from services.clock import epoch
from services.container import Services
from texts import registration as texts
from texts.i18n import translator
from texts.reply import Reply

log = logging.getLogger(__name__)

BATCH = 200
STAFF_KINDS = frozenset({NoticeKind.STAFF_NEW, NoticeKind.STAFF_MOVED})


class RegistrationSender:
    def __init__(self, bot: ExtBot[Any], services: Services, erased_posts: asyncio.Lock) -> None:
        self.bot = bot
        self.services = services
        # The erased-post editor's lock: a staff post is edited under it.
        self.erased_posts = erased_posts
        self._batches = Batches("a registration notice")
        self._lock = asyncio.Lock()
        # Set when the bot stops: nothing more is claimed; what is left stays
        # planned and goes at the next start.
        self.paused = False

    async def run(self) -> int:
        """Send every planned notice; how many reached Telegram. One run at a
        time: a second call waits, then finds nothing left."""
        async with self._lock:
            total = 0
            while not self.paused:
                notices = await self.services.registrations.due_notices(BATCH)
                if not notices:
                    return total
                total += sum(await self._batches.run(self._deliver(n) for n in notices))
                if len(notices) < BATCH:
                    return total
            return total

    async def _deliver(self, notice: RegistrationNotice) -> int:
        service = self.services.registrations
        made = await service.get(notice.registration_id)
        if made is None:
            return 0  # erased meanwhile (its notices went with it)
        if notice.kind in STAFF_KINDS:
            return await self._to_staff(notice, made)
        reply = self._learner_reply(notice, made)
        if reply is None:
            await service.drop_notice(notice.id)
            return 0
        outcome, _sent = await self._send(made.user_id, reply, notice.id)
        if outcome is None:
            return 0
        await self._finish(notice, outcome)
        if outcome == Outcome.BLOCKED:
            await self.services.learners.blocked(made.user_id)
        if notice.kind == NoticeKind.CONFIRMED:
            await self._follow(made, outcome)
        return int(outcome == Outcome.SENT)

    def _learner_reply(self, notice: RegistrationNotice, made: Registration) -> Reply | None:
        """What the learner is told; None when it is no longer true (the offer
        lapsed or was taken back before its turn, staff changed their mind)."""
        t = translator(made.lang)
        view = self.services.catalogue.view
        programme = view.programmes.get(made.programme_id)
        title = programme.title.get(t.lang) if programme else made.group_id
        if notice.kind == NoticeKind.OFFERED:
            expires = json.loads(notice.data).get("expires")
            now = epoch(self.services.clock.now())
            if (
                made.status != RegistrationStatus.OFFERED
                or made.offer_expires_at != expires
                or made.offer_expires_at is None
                or made.offer_expires_at <= now
            ):
                return None
            until = dt.datetime.fromtimestamp(made.offer_expires_at, dt.UTC)
            return texts.offer(t, made, title, until, view.zone)
        if notice.kind == NoticeKind.CONFIRMED:
            if made.status != RegistrationStatus.CONFIRMED:
                return None
            return Reply(texts.confirmed(t, made, title))
        if notice.kind == NoticeKind.DECLINED:
            if made.status != RegistrationStatus.DECLINED:
                return None
            return Reply(texts.declined(t, made, title))
        if notice.kind == NoticeKind.LAPSED:
            return Reply(texts.lapsed(t, made))
        return None

    async def _follow(self, made: Registration, outcome: Outcome) -> None:
        """Confirmed by staff: the group's reminders, and (when the message
        arrived) the calendar file, as automatic confirmation gives them."""
        try:
            if outcome == Outcome.SENT:
                await follow_group(self.bot, self.services, made)
            elif outcome != Outcome.BLOCKED and not made.reminders_stopped:
                await self.services.reminders.subscribe(made.user_id, made.group_id)
        except TelegramError as exc:
            log.info("the calendar file of a confirmed registration was not sent (%s)", exc)

    async def _to_staff(self, notice: RegistrationNotice, made: Registration) -> int:
        service = self.services.registrations
        chat_id = self.services.enquiries.staff_chat_id
        if chat_id is None:
            log.warning("STAFF_CHAT_ID is not set: registration %s is only in the console", made.id)
            await service.drop_notice(notice.id)
            return 0
        t = translator(STAFF_LANGUAGE)
        reply_to: int | None = None
        if notice.kind == NoticeKind.STAFF_NEW and made.staff_message_id is None:
            reply = await registration_post(self.services, made)
        elif notice.kind == NoticeKind.STAFF_NEW:
            # Posted before (on the waiting list), now holding a seat: the post
            # shows it, with its buttons, and a note under it says so.
            await refresh_registration_post(self.bot, self.services, made.id, self.erased_posts)
            reply = Reply(texts.staff_seat_taken(t, made))
            reply_to = made.staff_message_id
        else:
            line = group_line(self.services, made)
            counts = await service.seat_counts(made.group_id)
            text = texts.staff_moved(t, made, line)
            if counts is not None:
                text += "\n" + texts.seat_line(t, counts)
            reply = Reply(text)
            reply_to = made.staff_message_id
        outcome, sent = await self._send(chat_id, reply, notice.id, reply_to)
        if outcome is None:
            return 0
        await self._finish(notice, outcome)
        first_post = sent is not None and notice.kind == NoticeKind.STAFF_NEW and reply_to is None
        if (
            first_post
            and sent is not None
            and not await service.posted_to_staff(made.id, sent.chat_id, sent.message_id)
        ):
            # Erased while the post was on its way: nothing may show them.
            await self._erase_post(sent, made.id)
        return int(outcome == Outcome.SENT)

    async def _erase_post(self, sent: Message, number: int) -> None:
        t = translator(STAFF_LANGUAGE)
        try:
            await self.bot.edit_message_text(
                texts.staff_erased(t, number), chat_id=sent.chat_id, message_id=sent.message_id
            )
        except TelegramError as exc:
            log.warning(
                "the staff post of erased registration %s was not edited (%s); delete it by hand",
                number,
                type(exc).__name__,
            )

    async def _finish(self, notice: RegistrationNotice, outcome: Outcome) -> None:
        # Not tried again on "retry": the pacer already waited out Telegram's
        # 429s, and an offer's or decline's news is about a moment.
        state = {Outcome.SENT: "sent", Outcome.UNKNOWN: "unknown"}.get(outcome, "failed")
        await self.services.registrations.finish_notice(notice.id, state)

    async def _claim(self, notice_id: int) -> bool:
        """The notice is taken, unless the bot is stopping."""
        return not self.paused and await self.services.registrations.claim_notice(notice_id)

    async def _send(
        self, chat_id: int, reply: Reply, notice_id: int, reply_to: int | None = None
    ) -> tuple[Outcome | None, Message | None]:
        """The outcome and the message sent; no outcome when the claim failed
        (taken meanwhile, or the bot is stopping)."""
        claim: Callable[[], Awaitable[bool]] = lambda: self._claim(notice_id)  # noqa: E731
        extra: dict[str, Any] = {}
        if chat_id == self.services.enquiries.staff_chat_id:
            extra["message_thread_id"] = self.services.enquiries.staff_thread_id
        if reply_to is not None:
            # The post may have been deleted by staff: the note goes anyway.
            extra["reply_to_message_id"] = reply_to
            extra["allow_sending_without_reply"] = True
        try:
            sent = await self.bot.send_message(
                chat_id,
                reply.text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup(reply),
                disable_web_page_preview=True,
                rate_limit_args=Outgoing(Priority.REMINDER, claim),
                **extra,
            )
        except Dropped:
            return None, None
        except TelegramError as exc:
            outcome = outcome_of(exc)
            if isinstance(exc, BadRequest):
                log.warning("a registration notice was refused: %s", exc.message)
            else:
                log.info("a registration notice was not delivered (%s)", outcome)
            return outcome, None
        return Outcome.SENT, sent
