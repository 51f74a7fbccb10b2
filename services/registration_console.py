"""The console's Registrations page: one group's registrations with their
seat counts, filtered by status, payment and day; staff confirm, decline
(with a reason the learner is told) and move to another group of the same
programme. The changes are RegistrationService's own (seat arithmetic,
notices, audit); this adds what a page needs: the group's rows with their
place in line, the groups a move may go to, and the check that a posted
registration is one of the page's group (a forged id changes nothing)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.registrations import LIVE, Registration, RegistrationStatus, SeatCounts
from services.catalogue.schema import Group, Programme
from services.catalogue_service import CatalogueService
from services.clock import Clock
from services.registrations import ChangeResult, RegistrationService
from services.roles import Role, RoleService
from storage import registration_stats_repo
from storage.database import Database

# The dashboard's "groups starting soon": this many days ahead.
SOON_DAYS = 30

# What a learner is told as the reason of a decline, at most (the service
# keeps 500 characters; the console refuses more rather than cut it).
MAX_REASON = 500


class NoSuchGroup(Exception):
    """The catalogue has no group with this id."""


class NoSuchRegistration(Exception):
    """No registration with this number in the page's group."""


class ReasonMissing(ValueError):
    """A decline needs a reason: the learner is told it."""


class ReasonTooLong(ValueError):
    """The reason is longer than MAX_REASON."""


@dataclass(frozen=True)
class RegistrationFilter:
    status: str | None = None
    payment: str | None = None
    # Days in the catalogue's zone, both included.
    created_from: dt.date | None = None
    created_to: dt.date | None = None


@dataclass(frozen=True)
class Row:
    registration: Registration
    place: int | None  # in line, when waiting


@dataclass(frozen=True)
class Target:
    """A group a registration may be moved to: same programme, a free seat."""

    group: Group
    free: int


@dataclass(frozen=True)
class GroupRegistrations:
    programme: Programme
    group: Group
    counts: SeatCounts
    rows: list[Row]  # the filtered ones
    total: int  # all the group's registrations
    targets: list[Target]


def _local_day(stamp: str, zone: dt.tzinfo) -> dt.date:
    moment = dt.datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zone).date()


def _with_places(registrations: list[Registration]) -> list[Row]:
    """Each registration with its place in line: the waiting ones by number,
    as the seat arithmetic offers seats."""
    rows: list[Row] = []
    place = 0
    for registration in sorted(registrations, key=lambda r: r.id):
        if registration.status == RegistrationStatus.WAITING:
            place += 1
            rows.append(Row(registration, place))
        else:
            rows.append(Row(registration, None))
    return rows


@dataclass(frozen=True)
class Upcoming:
    """A group starting soon with its seats now."""

    programme: Programme
    group: Group
    counts: SeatCounts


class RegistrationConsole:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        roles: RoleService,
        catalogue: CatalogueService,
        registrations: RegistrationService,
    ) -> None:
        self.db = db
        self.clock = clock
        self.roles = roles
        self.catalogue = catalogue
        self.registrations = registrations

    def _group(self, group_id: str) -> tuple[Programme, Group]:
        found = self.catalogue.view.groups.get(group_id)
        if found is None:
            raise NoSuchGroup(group_id)
        return found

    def _matches(self, row: Row, wanted: RegistrationFilter) -> bool:
        r = row.registration
        if wanted.status and r.status != wanted.status:
            return False
        if wanted.payment and r.payment != wanted.payment:
            return False
        if wanted.created_from or wanted.created_to:
            day = _local_day(r.created_at, self.catalogue.view.zone)
            if wanted.created_from and day < wanted.created_from:
                return False
            if wanted.created_to and day > wanted.created_to:
                return False
        return True

    async def _rows(self, group_id: str, wanted: RegistrationFilter) -> tuple[list[Row], int]:
        every = _with_places(await self.registrations.list_for_group(group_id))
        return [row for row in every if self._matches(row, wanted)], len(every)

    async def targets(self, programme: Programme, group: Group) -> list[Target]:
        """The programme's other groups, not ended yet, with a free seat now."""
        today = self.clock.now().astimezone(self.catalogue.view.zone).date()
        found: list[Target] = []
        for other in sorted(programme.groups, key=lambda g: g.starts):
            if other.id == group.id or other.ends < today:
                continue
            counts = await self.registrations.seat_counts(other.id)
            if counts is not None and counts.free > 0:
                found.append(Target(other, counts.free))
        return found

    async def group_page(
        self, actor_id: int, group_id: str, wanted: RegistrationFilter
    ) -> GroupRegistrations:
        await self.roles.require(actor_id, Role.STAFF, "registration_list", group_id)
        programme, group = self._group(group_id)
        counts = await self.registrations.seat_counts(group_id)
        if counts is None:
            raise NoSuchGroup(group_id)
        rows, total = await self._rows(group_id, wanted)
        return GroupRegistrations(
            programme, group, counts, rows, total, await self.targets(programme, group)
        )

    async def starting_soon(self, actor_id: int, days: int = SOON_DAYS) -> list[Upcoming]:
        """Groups starting from today to `days` ahead (the catalogue's local
        days), soonest first, with their seats now."""
        await self.roles.require(actor_id, Role.STAFF, "registration_list", None)
        view = self.catalogue.view
        today = self.clock.now().astimezone(view.zone).date()
        last = today + dt.timedelta(days=days)
        found: list[Upcoming] = []
        for programme, group in view.groups.values():
            if not today <= group.starts <= last:
                continue
            counts = await self.registrations.seat_counts(group.id)
            if counts is not None:
                found.append(Upcoming(programme, group, counts))
        return sorted(found, key=lambda u: (u.group.starts, u.programme.title.get("lt")))

    async def per_week(self, actor_id: int, since: dt.date) -> list[tuple[str, str, int]]:
        """(week's Monday, status now, count) of the registrations made since a day."""
        await self.roles.require(actor_id, Role.STAFF, "dashboard", None)
        return await registration_stats_repo.per_week(self.db.reader, since.isoformat())

    async def export(self, actor_id: int, group_id: str, wanted: RegistrationFilter) -> list[Row]:
        """The filtered rows for a file: personal data leaves the console, so
        it is audited."""
        await self.roles.require(actor_id, Role.STAFF, "registration_export", group_id)
        self._group(group_id)
        rows, _total = await self._rows(group_id, wanted)
        await self.roles.audit(actor_id, "registration_export", group_id)
        return rows

    async def _of_group(self, group_id: str, registration_id: int) -> Registration:
        self._group(group_id)
        found = await self.registrations.get(registration_id)
        if found is None or found.group_id != group_id:
            raise NoSuchRegistration(str(registration_id))
        return found

    async def confirm(self, actor_id: int, group_id: str, registration_id: int) -> ChangeResult:
        await self.roles.require(actor_id, Role.STAFF, "registration_confirm", group_id)
        await self._of_group(group_id, registration_id)
        return await self.registrations.confirm(registration_id, actor_id)

    async def decline(
        self, actor_id: int, group_id: str, registration_id: int, reason: str
    ) -> ChangeResult:
        await self.roles.require(actor_id, Role.STAFF, "registration_decline", group_id)
        await self._of_group(group_id, registration_id)
        reason = reason.strip()
        if not reason:
            raise ReasonMissing()
        if len(reason) > MAX_REASON:
            raise ReasonTooLong(len(reason))
        return await self.registrations.decline(registration_id, actor_id, reason)

    async def move(
        self, actor_id: int, group_id: str, registration_id: int, new_group_id: str
    ) -> ChangeResult:
        """The service refuses a full group or one of another programme."""
        await self.roles.require(actor_id, Role.STAFF, "registration_move", group_id)
        await self._of_group(group_id, registration_id)
        return await self.registrations.move(registration_id, new_group_id, actor_id)


def can_confirm(registration: Registration) -> bool:
    return registration.status == RegistrationStatus.PENDING


def can_change(registration: Registration) -> bool:
    """Decline and move apply to a live registration (holding a seat or waiting)."""
    return registration.status in LIVE
