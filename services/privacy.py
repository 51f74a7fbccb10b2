"""A learner's data: everything stored about them, and erasing it (GDPR art. 15, 17)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from domain.enquiries import StaffPost
from services.clock import Clock
from services.registrations import seats
from services.registrations.service import DEFAULT_OFFER_HOLD
from storage import (
    certificates_repo,
    privacy_repo,
    registrations_repo,
    surveys_repo,
)
from storage.database import Database

log = logging.getLogger(__name__)

# What /my_data says of a feedback survey's answers (stored without identity).
ANSWERS_GIVEN = "given, kept anonymously"
ANSWERS_NOT_GIVEN = "not given"


@dataclass(frozen=True)
class Holdings:
    """What a learner would lose with /forget, besides their questions."""

    enquiries: int
    groups: int
    reminders: int
    waitlist: int
    registrations: int = 0  # live ones: their seats go to the waiting list
    certificates: int = 0  # issued: they can no longer be verified


@dataclass(frozen=True)
class Retention:
    """How long what is kept stays (from the settings), for the privacy notice."""

    enquiry_days: int  # closed enquiries, after their last change (RETENTION_DAYS)
    draft_minutes: int  # an unfinished enquiry, idle (DRAFT_IDLE_MINUTES)


class PrivacyService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        retention: Retention | None = None,
        offer_hold: dt.timedelta = DEFAULT_OFFER_HOLD,
    ) -> None:
        self.db = db
        self.offer_hold = offer_hold
        self.clock = clock
        self.retention = retention or Retention(enquiry_days=365, draft_minutes=30)
        # Awaited after an erasure freed seats: the catalogue's cards count them.
        self.seats_freed: list[Callable[[], Awaitable[None]]] = []
        # Told after an erasure that left staff-chat posts to edit or freed
        # seats (offers to send), so that the bot does it at once rather than
        # at its next round.
        self.listeners: list[Callable[[], None]] = []

    async def holdings(self, user_id: int) -> Holdings:
        return Holdings(*await privacy_repo.holdings(self.db.reader, user_id))

    async def export(self, user_id: int) -> dict[str, Any]:
        data = await privacy_repo.export(self.db.reader, user_id)
        return {
            "telegram_user_id": user_id,
            "exported_at": self.clock.now().astimezone(dt.UTC).isoformat(),
            **data,
            **await self._courses(user_id),
        }

    async def _courses(self, user_id: int) -> dict[str, Any]:
        """Certificates and the feedback surveys a learner was asked (their
        attendance is listed with each registration).
        A survey's answers carry no identity, so they are said to be given
        (and kept anonymously), never listed."""
        reader = self.db.reader
        surveys = [
            {
                "group_id": survey["group_id"],
                "asked_at": survey["asked_at"],
                "answers": ANSWERS_GIVEN if survey["answered"] else ANSWERS_NOT_GIVEN,
            }
            for survey in await surveys_repo.of_user(reader, user_id)
        ]
        return {
            "certificates": await certificates_repo.of_user(reader, user_id),
            "feedback_surveys": surveys,
        }

    async def export_json(self, user_id: int) -> bytes:
        return json.dumps(await self.export(user_id), ensure_ascii=False, indent=2).encode()

    async def forget(self, user_id: int) -> dict[str, int]:
        """Erase the learner's personal data, every copy of it, and flush it
        out of the write-ahead log; the bot's staff-chat posts about them are
        queued for editing in the same transaction."""
        now = self.clock.now().astimezone(dt.UTC).isoformat()
        async with self.db.transaction() as conn:
            counts = await privacy_repo.erase(conn, user_id, now)
            # Their registrations go (attendance and certificates with them),
            # and the seats they held go to the waiting lists in this same
            # transaction: no seat is left held by nobody.
            freed = await registrations_repo.delete_for_user(conn, user_id)
            counts["registration_seats"] = len(freed)
            for group_id in freed:
                await seats.offer_free_seats(conn, group_id, self.clock.now(), self.offer_hold)
        await self.db.checkpoint()
        if freed:
            for refresh in self.seats_freed:
                await refresh()
        log.info("erased the data of a learner on request: %s", counts)
        if counts["staff_posts"] or counts["registration_seats"]:
            # Posts to edit, or offers of the freed seats to send.
            for listener in self.listeners:
                listener()
        return counts

    async def staff_posts_to_erase(self, limit: int = 100) -> list[StaffPost]:
        """The bot's staff-chat posts still showing an erased learner."""
        return await privacy_repo.staff_posts_to_erase(self.db.reader, limit)

    async def staff_post_erased(self, post: StaffPost) -> None:
        """The post was edited (or is gone): done, never again."""
        async with self.db.transaction() as conn:
            await privacy_repo.staff_post_erased(conn, post.chat_id, post.message_id)

    async def staff_post_not_yet(self, post: StaffPost) -> None:
        """Telegram could not be reached: the next round tries again."""
        async with self.db.transaction() as conn:
            await privacy_repo.staff_post_not_yet(conn, post.chat_id, post.message_id)
