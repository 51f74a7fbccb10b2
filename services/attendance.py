"""Attendance sheets: per session of a group, each confirmed participant
present, absent or excused, marked by staff in the console. A mark may earn
a certificate (services/certificates)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services.catalogue.schema import Group, Programme, Session
from services.catalogue_service import CatalogueService
from services.certificates import Certificate, CertificateService
from services.certificates.rules import attended_sessions, rule_of, sessions_needed
from services.clock import Clock
from services.roles import Role, RoleService
from storage import attendance_repo, participants_repo
from storage.attendance_repo import STATES
from storage.database import Database
from storage.participants_repo import Participant

__all__ = ["STATES", "AttendanceService", "NotOnSheet", "Sheet", "SheetRow"]


class NotOnSheet(Exception):
    """The session, participant or state is not one of this group's sheet."""


@dataclass(frozen=True)
class SheetRow:
    participant: Participant
    state: str | None  # None: not marked yet
    attended: int  # sessions attended so far, this one included


@dataclass(frozen=True)
class Sheet:
    programme: Programme
    group: Group
    session: Session
    sessions: list[Session]  # the group's sessions attendance is kept for
    rows: list[SheetRow]
    needed: int | None  # sessions a certificate needs, when the programme gives one


class AttendanceService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        roles: RoleService,
        catalogue: CatalogueService,
        certificates: CertificateService,
    ) -> None:
        self.db = db
        self.clock = clock
        self.roles = roles
        self.catalogue = catalogue
        self.certificates = certificates

    def _session(self, group_id: str, session_id: str) -> tuple[Programme, Group, Session]:
        found = self.catalogue.view.groups.get(group_id)
        if found is None:
            raise NotOnSheet(group_id)
        programme, group = found
        kept = attended_sessions(group)
        session = next((s for s in group.sessions if s.id == session_id and s.id in kept), None)
        if session is None:
            raise NotOnSheet(session_id)
        return programme, group, session

    async def sheet(self, actor_id: int, group_id: str, session_id: str) -> Sheet:
        await self.roles.require(actor_id, Role.STAFF, "attendance_read", group_id)
        programme, group, session = self._session(group_id, session_id)
        reader = self.db.reader
        marks = await attendance_repo.of_session(reader, group_id, session_id)
        present = await attendance_repo.present_counts(reader, group_id)
        rows = [
            SheetRow(p, marks.get(p.registration_id), present.get(p.registration_id, 0))
            for p in await participants_repo.confirmed(reader, group_id)
        ]
        rule = rule_of(programme)
        kept = set(attended_sessions(group))
        return Sheet(
            programme,
            group,
            session,
            [s for s in sorted(group.sessions, key=lambda s: s.starts_at) if s.id in kept],
            rows,
            sessions_needed(rule, group) if rule else None,
        )

    async def mark(
        self, actor_id: int, group_id: str, session_id: str, registration_id: int, state: str
    ) -> list[Certificate]:
        """Record one mark; the certificates it (or an earlier mark) earned, newly issued."""
        await self.roles.require(actor_id, Role.STAFF, "attendance_mark", group_id)
        self._session(group_id, session_id)
        if state not in STATES:
            raise NotOnSheet(state)
        now = self.clock.now().astimezone(dt.UTC).isoformat()
        async with self.db.transaction() as conn:
            person = await participants_repo.get(conn, registration_id)
            if person is None or person.group_id != group_id or person.status != "confirmed":
                raise NotOnSheet(str(registration_id))
            await attendance_repo.mark(conn, registration_id, session_id, state, actor_id, now)
        await self.roles.audit(actor_id, "attendance_mark", f"{registration_id}:{session_id}")
        return await self.certificates.issue_earned(group_id)
