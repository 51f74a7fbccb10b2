"""Certificates: issued when a participant's recorded attendance reaches the
programme's minimum, verified by their code on the console's public page,
and re-sent from the console."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services.catalogue.schema import Group, Programme
from services.catalogue_service import CatalogueService
from services.certificates.codes import new_code, normalised
from services.certificates.pdf import DEFAULT_FONT
from services.certificates.rules import group_finished, rule_of, sessions_needed
from services.clock import Clock
from services.roles import Role, RoleService
from storage import attendance_repo, certificates_repo, participants_repo
from storage.certificates_repo import Certificate
from storage.database import Database

__all__ = ["Certificate", "CertificateService", "Verified", "initials"]


@dataclass(frozen=True)
class Verified:
    """All the public page shows of a certificate."""

    programme: Programme
    group: Group
    initials: str


def initials(name: str) -> str:
    """'Ona Onaitė' -> 'O. O.' (a hyphenated part keeps its hyphen: 'A.-M.')."""
    parts = []
    for word in name.split():
        pieces = [p for p in word.split("-") if p[:1].isalpha()]
        if pieces:
            parts.append("-".join(p[0].upper() + "." for p in pieces))
    return " ".join(parts)


class CertificateService:
    def __init__(
        self, db: Database, clock: Clock, roles: RoleService, catalogue: CatalogueService
    ) -> None:
        self.db = db
        self.clock = clock
        self.roles = roles
        self.catalogue = catalogue
        # The PDF's font (CERTIFICATE_FONT).
        self.font = DEFAULT_FONT

    def _local_now(self) -> dt.datetime:
        return self.clock.now().astimezone(self.catalogue.view.zone).replace(tzinfo=None)

    async def issue_earned(self, group_id: str) -> list[Certificate]:
        """Issue a certificate to every confirmed participant of the group whose
        attendance reaches the minimum, once the group has run; the new ones.
        (Callers have checked the staff member's role.)"""
        found = self.catalogue.view.groups.get(group_id)
        if found is None:
            return []
        programme, group = found
        rule = rule_of(programme)
        if rule is None or not group_finished(group, self._local_now()):
            return []
        needed = sessions_needed(rule, group)
        issued: list[Certificate] = []
        now = self.clock.now().astimezone(dt.UTC).isoformat()
        async with self.db.transaction() as conn:
            present = await attendance_repo.present_counts(conn, group_id)
            for person in await participants_repo.confirmed(conn, group_id):
                if present.get(person.registration_id, 0) < needed or not person.name:
                    continue
                code = new_code()
                if await certificates_repo.issue(
                    conn, code, person.registration_id, person.name, person.lang, rule.hours, now
                ):
                    certificate = await certificates_repo.by_code(conn, code)
                    assert certificate is not None
                    issued.append(certificate)
        return issued

    async def verify(self, typed: str) -> Verified | None:
        """The programme, dates and initials of a code; None for anything else
        (no other detail of why, so a wrong code tells a guesser nothing)."""
        code = normalised(typed)
        if code is None:
            return None
        certificate = await certificates_repo.by_code(self.db.reader, code)
        if certificate is None:
            return None
        found = self.catalogue.view.groups.get(certificate.group_id)
        if found is None:
            return None
        programme, group = found
        return Verified(programme, group, initials(certificate.holder_name))

    async def listed(self, actor_id: int, group_id: str | None) -> list[Certificate]:
        """A group's certificates, or the latest ones."""
        await self.roles.require(actor_id, Role.STAFF, "certificate_list", group_id)
        if group_id:
            return await certificates_repo.of_group(self.db.reader, group_id)
        return await certificates_repo.recent(self.db.reader, 100)

    async def issue_now(self, actor_id: int, group_id: str) -> list[Certificate]:
        """Staff ask for the group's earned certificates (after late marks)."""
        await self.roles.require(actor_id, Role.STAFF, "certificate_issue", group_id)
        issued = await self.issue_earned(group_id)
        await self.roles.audit(actor_id, "certificate_issue", group_id)
        return issued

    async def for_sending(self, actor_id: int, code: str) -> Certificate | None:
        """A certificate staff send (again) to its holder."""
        await self.roles.require(actor_id, Role.STAFF, "certificate_send", code)
        certificate = await certificates_repo.by_code(self.db.reader, code)
        if certificate is not None:
            await self.roles.audit(actor_id, "certificate_send", str(certificate.registration_id))
        return certificate

    async def sent(self, code: str) -> None:
        async with self.db.transaction() as conn:
            await certificates_repo.sent(
                conn, code, self.clock.now().astimezone(dt.UTC).isoformat()
            )

    def subject(self, certificate: Certificate) -> tuple[Programme, Group] | None:
        """The programme and group a certificate is for (None once the
        catalogue no longer has the group)."""
        return self.catalogue.view.groups.get(certificate.group_id)
