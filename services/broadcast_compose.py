"""Composing an announcement in the chat, step by step, for staff only.

The draft is stored after every step: a staff member who was interrupted (or a
bot that restarted) carries on where they were. Every step checks the role on
the server, so a forged button or a revoked staff member gets nothing done.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import asdict, dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from services.broadcasts import Audience, BroadcastService, Media
from services.catalogue_service import CatalogueService
from services.clock import Clock, epoch, from_epoch, instant
from services.roles import Role, RoleService
from services.telegram_html import Problem, check, escape_stray
from storage import broadcast_drafts_repo
from storage.database import Database


# Steps, in order: the Lithuanian text (with an optional photo or document),
# the English text (or "Lithuanian to everyone"), the audience, for some
# audiences a programme or group, when, and the confirmation.
class ComposeStep(StrEnum):
    """The steps of an announcement, in order."""

    LT = "lt"  # the Lithuanian text (and the photo or document, if any)
    EN = "en"  # the English text, or "Lithuanian to everyone"
    AUDIENCE = "audience"
    WHEN = "when"  # now, or at a time
    TIME = "time"  # the typed time
    CONFIRM = "confirm"


STEPS: tuple[ComposeStep, ...] = tuple(ComposeStep)
IDLE = dt.timedelta(hours=24)
# A scheduled time must leave staff a moment to change their mind, and not be
# so far ahead that the catalogue and the audience will have changed.
LATEST = dt.timedelta(days=90)


class NoRecipients(ValueError):
    """The audience has nobody in it (any more)."""


class BadTime(ValueError):
    """The typed date and time cannot be used; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # format | past | too_far


@dataclass
class AnnouncementDraft:
    step: str = ComposeStep.LT
    text_lt: str | None = None
    text_en: str | None = None
    lt_to_all: bool = False
    media_kind: str | None = None
    media_file_id: str | None = None
    audience_kind: str | None = None
    audience_target: str | None = None
    send_at: int | None = None  # epoch seconds; None: now
    # Random, per draft: carried by "Confirm and send" (a button of an older
    # draft does not confirm this one) and the broadcast's idempotency key
    # (confirming twice, or again after a crash, creates one broadcast).
    nonce: str = ""

    @property
    def media(self) -> Media | None:
        if self.media_kind and self.media_file_id:
            return Media(self.media_kind, self.media_file_id)
        return None

    @property
    def audience(self) -> Audience | None:
        return Audience(self.audience_kind, self.audience_target) if self.audience_kind else None


class ComposeService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        roles: RoleService,
        broadcasts: BroadcastService,
        catalogue: CatalogueService,
    ) -> None:
        self.db = db
        self.clock = clock
        self.roles = roles
        self.broadcasts = broadcasts
        self.catalogue = catalogue

    @property
    def zone(self) -> ZoneInfo:
        """The centre's time zone, in which staff give dates and times."""
        return self.catalogue.view.zone

    async def _save(self, actor_id: int, draft: AnnouncementDraft) -> AnnouncementDraft:
        async with self.db.transaction() as conn:
            await broadcast_drafts_repo.put(
                conn, actor_id, draft.step, json.dumps(asdict(draft)), self.clock.now().isoformat()
            )
        return draft

    async def start(self, actor_id: int) -> AnnouncementDraft:
        """A new, empty announcement (any earlier draft is replaced)."""
        await self.roles.require(actor_id, Role.STAFF, "broadcast_compose", None)
        return await self._save(actor_id, AnnouncementDraft(nonce=secrets.token_urlsafe(9)))

    async def draft(self, actor_id: int) -> AnnouncementDraft | None:
        """The draft being composed; None when there is none, it went stale, or
        the author is no longer staff."""
        stored = await broadcast_drafts_repo.get(self.db.reader, actor_id)
        if stored is None:
            return None
        data, updated = stored
        stale = self.clock.now() - dt.datetime.fromisoformat(updated) > IDLE
        if stale or not await self.roles.has(actor_id, Role.STAFF):
            await self.cancel(actor_id)
            return None
        draft = AnnouncementDraft(**json.loads(data))
        if not draft.nonce:
            # Begun before drafts had nonces.
            draft.nonce = secrets.token_urlsafe(9)
            await self._save(actor_id, draft)
        return draft

    async def cancel(self, actor_id: int) -> bool:
        async with self.db.transaction() as conn:
            return await broadcast_drafts_repo.drop(conn, actor_id)

    async def set_text(
        self, actor_id: int, draft: AnnouncementDraft, text: str, media: Media | None = None
    ) -> list[Problem]:
        """The text for the current language step; the problems Telegram would
        refuse (the draft is unchanged then) or none (the draft moves on)."""
        if draft.step not in (ComposeStep.LT, ComposeStep.EN):
            return []
        caption = media is not None or (draft.step == ComposeStep.EN and draft.media is not None)
        text = escape_stray(text)
        problems = check(text, caption=caption)
        if problems:
            return problems
        if draft.step == ComposeStep.LT:
            draft.text_lt, draft.step = text, ComposeStep.EN
            if media is not None:
                draft.media_kind, draft.media_file_id = media.kind, media.file_id
        else:
            draft.text_en, draft.lt_to_all, draft.step = text, False, ComposeStep.AUDIENCE
        await self._save(actor_id, draft)
        return []

    async def lithuanian_to_everyone(
        self, actor_id: int, draft: AnnouncementDraft
    ) -> AnnouncementDraft:
        draft.text_en, draft.lt_to_all, draft.step = None, True, ComposeStep.AUDIENCE
        return await self._save(actor_id, draft)

    async def set_audience(
        self, actor_id: int, draft: AnnouncementDraft, audience: Audience
    ) -> AnnouncementDraft:
        draft.audience_kind, draft.audience_target = audience.kind, audience.target
        draft.step = ComposeStep.WHEN
        return await self._save(actor_id, draft)

    async def ask_time(self, actor_id: int, draft: AnnouncementDraft) -> AnnouncementDraft:
        draft.step = ComposeStep.TIME
        return await self._save(actor_id, draft)

    async def send_now(self, actor_id: int, draft: AnnouncementDraft) -> AnnouncementDraft:
        draft.send_at, draft.step = None, ComposeStep.CONFIRM
        return await self._save(actor_id, draft)

    async def schedule(
        self, actor_id: int, draft: AnnouncementDraft, local: dt.datetime
    ) -> AnnouncementDraft:
        """At a local (Vilnius) date and time; BadTime if it is past or too far."""
        moment = instant(local, self.zone)
        self._check_time(moment)
        draft.send_at, draft.step = epoch(moment), ComposeStep.CONFIRM
        return await self._save(actor_id, draft)

    def check_time(self, moment: dt.datetime) -> None:
        """BadTime unless `moment` is ahead, and not more than LATEST ahead."""
        self._check_time(moment)

    def _check_time(self, moment: dt.datetime) -> None:
        now = self.clock.now()
        if moment <= now:
            raise BadTime("past")
        if moment - now > LATEST:
            raise BadTime("too_far")

    def parse_local(self, typed: str) -> dt.datetime:
        """'2026-12-01 09:00' (also with 'T' or '.' separators) as a naive local time."""
        cleaned = typed.strip().replace("T", " ").replace(".", "-")
        for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H-%M"):
            try:
                return dt.datetime.strptime(cleaned, pattern)
            except ValueError:
                continue
        raise BadTime("format")

    def send_at_local(self, draft: AnnouncementDraft) -> dt.datetime | None:
        return from_epoch(draft.send_at).astimezone(self.zone) if draft.send_at else None

    async def back(self, actor_id: int, draft: AnnouncementDraft, step: str) -> AnnouncementDraft:
        """Return to an earlier step (to change the audience or the time)."""
        if step in STEPS and STEPS.index(step) < STEPS.index(draft.step):
            draft.step = step
            await self._save(actor_id, draft)
        return draft

    async def confirm(self, actor_id: int, draft: AnnouncementDraft) -> int | None:
        """Create the broadcast from a complete draft; its id, or None when the
        draft is not at its last step."""
        audience = draft.audience
        if draft.step != ComposeStep.CONFIRM or draft.text_lt is None or audience is None:
            return None
        send_at = from_epoch(draft.send_at) if draft.send_at else None
        # Checked again: the staff member may have left the confirmation open
        # for hours, and the audience may have emptied meanwhile.
        if send_at is not None:
            try:
                self._check_time(send_at)
            except BadTime:
                await self.back(actor_id, draft, ComposeStep.WHEN)
                raise
        if not sum((await self.broadcasts.count(actor_id, audience)).values()):
            await self.back(actor_id, draft, ComposeStep.AUDIENCE)
            raise NoRecipients()
        broadcast_id = await self.broadcasts.create(
            actor_id,
            draft.text_lt,
            None if draft.lt_to_all else draft.text_en,
            audience,
            send_at=send_at,
            media=draft.media,
            source_key=f"compose:{draft.nonce}",
        )
        await self.cancel(actor_id)
        return broadcast_id
