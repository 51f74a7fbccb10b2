"""Enquiries as staff work on them from the web console: find, read, reply,
assign, change status, note. Staff only, checked here and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace

from domain.enquiries import Enquiry, EnquiryFilter, EnquiryStatus, ThreadMessage
from services.clock import Clock
from services.enquiries import MAX_TEXT, EnquiryService, phone_in_search
from services.roles import Role, RoleService
from storage import enquiries_repo, enquiry_browse_repo
from storage.database import Database

STATUSES: tuple[str, ...] = tuple(EnquiryStatus)
PAGE = 50


@dataclass(frozen=True)
class EnquiryPage:
    rows: list[Enquiry]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class Thread:
    enquiry: Enquiry
    messages: list[ThreadMessage]
    notes: list[tuple[str, int, str]]


def by_phone(f: EnquiryFilter) -> EnquiryFilter:
    """A search that is a phone number, in whatever form it was typed, finds
    the enquiries with that number (stored normalised)."""
    phone = phone_in_search(f.search) if f.search else None
    return replace(f, phone=phone) if phone else f


class EnquiryConsole:
    def __init__(
        self, db: Database, clock: Clock, roles: RoleService, enquiries: EnquiryService
    ) -> None:
        self.db = db
        self.clock = clock
        self.roles = roles
        self.enquiries = enquiries

    def _now(self) -> str:
        return self.clock.now().astimezone(dt.UTC).isoformat()

    async def search(self, actor_id: int, f: EnquiryFilter, page: int = 1) -> EnquiryPage:
        await self.roles.require(actor_id, Role.STAFF, "enquiry_list", None)
        f = by_phone(f)
        total = await enquiry_browse_repo.count(self.db.reader, f)
        pages = max(1, -(-total // PAGE))
        page = min(max(1, page), pages)
        rows = await enquiry_browse_repo.page(self.db.reader, f, PAGE, (page - 1) * PAGE)
        return EnquiryPage(rows, total, page, pages)

    async def export(self, actor_id: int, f: EnquiryFilter) -> AsyncIterator[Enquiry]:
        """Every matching enquiry for a CSV file (audited: it holds personal data)."""
        await self.roles.require(actor_id, Role.STAFF, "enquiry_export", None)
        await self.roles.audit(actor_id, "enquiry_export", None)
        return enquiry_browse_repo.stream(self.db.reader, by_phone(f))

    async def choices(self, actor_id: int) -> dict[str, list[str]]:
        await self.roles.require(actor_id, Role.STAFF, "enquiry_list", None)
        return await enquiry_browse_repo.choices(self.db.reader)

    async def thread(self, actor_id: int, enquiry_id: int) -> Thread | None:
        await self.roles.require(actor_id, Role.STAFF, "enquiry_read", str(enquiry_id))
        enquiry = await enquiries_repo.get(self.db.reader, enquiry_id)
        if enquiry is None:
            return None
        # It shows a name and a phone number: reading it is on record.
        await self.roles.audit(actor_id, "enquiry_read", str(enquiry_id))
        messages = await enquiry_browse_repo.thread(self.db.reader, enquiry_id)
        notes = await enquiry_browse_repo.notes(self.db.reader, enquiry_id)
        return Thread(enquiry, messages, notes)

    async def reply(self, actor_id: int, enquiry_id: int, text: str, key: str) -> int | None:
        """Record a staff answer (the caller delivers it through the bot); its
        message id, or None when this form was already submitted. TooLong when
        it is longer than an answer may be."""
        return await self.enquiries.staff_answer(actor_id, enquiry_id, text, key)

    async def retry(self, actor_id: int, enquiry_id: int, message_id: int) -> str | None:
        """The text of a refused or uncertain answer to deliver again, or None."""
        return await self.enquiries.retry_answer(actor_id, enquiry_id, message_id)

    async def set_status(self, actor_id: int, enquiry_id: int, status: str) -> bool:
        await self.roles.require(actor_id, Role.STAFF, "enquiry_status", str(enquiry_id))
        if status not in STATUSES:
            return False
        async with self.db.transaction() as conn:
            if await enquiries_repo.get(conn, enquiry_id) is None:
                return False
            await enquiries_repo.set_status(conn, enquiry_id, status, self._now())
        await self.roles.audit(actor_id, "enquiry_status", f"{enquiry_id}:{status}")
        self.enquiries.changed(enquiry_id)
        return True

    async def assign(self, actor_id: int, enquiry_id: int, assignee: int | None) -> bool:
        await self.roles.require(actor_id, Role.STAFF, "enquiry_assign", str(enquiry_id))
        if assignee is not None and not await self.roles.has(assignee, Role.STAFF):
            return False
        async with self.db.transaction() as conn:
            done = await enquiry_browse_repo.assign(conn, enquiry_id, assignee, self._now())
        if done:
            await self.roles.audit(actor_id, "enquiry_assign", f"{enquiry_id}:{assignee}")
            self.enquiries.changed(enquiry_id)
        return done

    async def note(self, actor_id: int, enquiry_id: int, text: str) -> bool:
        await self.roles.require(actor_id, Role.STAFF, "enquiry_note", str(enquiry_id))
        text = text.strip()[:MAX_TEXT]
        if not text:
            return False
        async with self.db.transaction() as conn:
            if await enquiries_repo.get(conn, enquiry_id) is None:
                return False
            await enquiry_browse_repo.add_note(conn, enquiry_id, actor_id, text, self._now())
        await self.roles.audit(actor_id, "enquiry_note", str(enquiry_id))
        return True
