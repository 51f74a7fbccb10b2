"""Registrations: a learner asks for a seat in a group, staff confirm or
decline, a freed seat goes to the first in line as an offer.

Every change happens in one write transaction that also does the seat
arithmetic (`seats.py`) and writes the messages the change owes (the
registration notices, sent by the bot), so a crash leaves either all of it
or none. A registration is keyed by its draft's nonce (`source_key`): the
same confirmation handled twice (a double tap, a replayed update) finds the
registration it made and creates nothing.

The console (issue 18, part C) calls these methods too; their names and
results are kept stable.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from domain.registrations import (
    HOLDING,
    LIVE,
    NoticeKind,
    Registration,
    RegistrationNotice,
    RegistrationStatus,
    SeatCounts,
)
from services.catalogue.schema import Group, Programme, RegistrationForm
from services.catalogue.view import CatalogueView
from services.clock import Clock, epoch
from services.registrations import seats
from services.registrations.drafts import Drafts
from services.roles import Role, RoleService
from storage import registrations_repo, roles_repo
from storage.database import Connection, Database

log = logging.getLogger(__name__)

DEFAULT_OFFER_HOLD = dt.timedelta(hours=24)


class LiveCatalogue(Protocol):
    @property
    def view(self) -> CatalogueView: ...

    async def refresh_held(self) -> None: ...


class Outcome(StrEnum):
    """What became of a registration request."""

    PENDING = "pending"  # a seat is held until staff confirm
    CONFIRMED = "confirmed"  # confirm: automatic
    WAITING = "waiting"  # the group is full: in line
    CLOSED = "closed"  # past the deadline or started
    DUPLICATE = "duplicate"  # the learner has a live registration for the group
    UNKNOWN_GROUP = "unknown_group"


class Closed(StrEnum):
    DEADLINE = "deadline"
    STARTED = "started"


@dataclass(frozen=True)
class RegisterResult:
    outcome: Outcome
    registration: Registration | None = None
    place: int | None = None  # in line, when waiting
    closed: Closed | None = None
    seats: SeatCounts | None = None


class Change(StrEnum):
    """What became of a change asked of a registration."""

    DONE = "done"
    NOT_FOUND = "not_found"  # no such registration (or not the learner's)
    WRONG_STATE = "wrong_state"  # no longer in a state it applies to
    FULL = "full"  # move: the new group has no free seat
    OTHER_PROGRAMME = "other_programme"  # move: not a group of the same programme
    LAPSED = "lapsed"  # accept: the offer's hold ran out


@dataclass(frozen=True)
class ChangeResult:
    change: Change
    registration: Registration | None = None
    # Registrations a freed seat was offered to in the same transaction.
    offered: tuple[int, ...] = ()
    seats: SeatCounts | None = None

    @property
    def done(self) -> bool:
        return self.change == Change.DONE


def source_key(nonce: str) -> str:
    """The registration's idempotency key: the draft it was made from."""
    return f"regdraft:{nonce}"


P = ParamSpec("P")
R = TypeVar("R")


def _notifies(
    method: Callable[Concatenate[RegistrationService, P], Coroutine[Any, Any, R]],
) -> Callable[Concatenate[RegistrationService, P], Coroutine[Any, Any, R]]:
    """After the change (committed), the listeners hear of the notices it may owe."""

    @functools.wraps(method)
    async def wrapper(service: RegistrationService, /, *args: P.args, **kwargs: P.kwargs) -> R:
        found = await method(service, *args, **kwargs)
        service._notify()
        if isinstance(found, ChangeResult) and found.registration is not None:
            service._changed(found.registration.id, *found.offered)
        return found

    return wrapper


class RegistrationService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        roles: RoleService,
        catalogue: LiveCatalogue,
        offer_hold: dt.timedelta = DEFAULT_OFFER_HOLD,
        idle_draft: dt.timedelta = dt.timedelta(minutes=30),
    ) -> None:
        self.db = db
        self.clock = clock
        self.roles = roles
        self.catalogue = catalogue
        self.offer_hold = offer_hold
        # The forms learners are filling in (dropped after idle_draft).
        self.drafts = Drafts(db, clock, idle_draft)
        # Told after a change that wrote notices (after its commit): the bot
        # sends them at once rather than at its next round.
        self.listeners: list[Callable[[], None]] = []
        # Told the numbers of registrations whose status changed (after the
        # commit): their staff-chat posts are edited to show it.
        self.changed_listeners: list[Callable[[int], None]] = []

    def _notify(self) -> None:
        for listener in self.listeners:
            listener()

    def _changed(self, *registration_ids: int) -> None:
        for registration_id in registration_ids:
            for listener in self.changed_listeners:
                listener(registration_id)

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[Connection]:
        """A write transaction that may change whose seats are held; after its
        commit the catalogue's cards learn the seats registrations now hold.
        (Notices and staff posts change no seat: a plain transaction.)"""
        async with self.db.transaction() as conn:
            yield conn
        await self.catalogue.refresh_held()

    def _stamp(self) -> str:
        return self.clock.now().astimezone(dt.UTC).isoformat()

    # ------------------------------------------------------------ reading

    def group(self, group_id: str) -> tuple[Programme, Group] | None:
        return self.catalogue.view.groups.get(group_id)

    def form(self, group_id: str) -> RegistrationForm | None:
        found = self.group(group_id)
        return found[0].registration_form() if found else None

    def closed_reason(self, group: Group) -> Closed | None:
        """Why the group takes no registrations now (the catalogue's local date)."""
        today = self.clock.now().astimezone(self.catalogue.view.zone).date()
        if today >= group.starts:
            return Closed.STARTED
        if group.registration_deadline is not None and today > group.registration_deadline:
            return Closed.DEADLINE
        return None

    async def seat_counts(self, group_id: str) -> SeatCounts | None:
        return await seats.counts(self.db.reader, group_id)

    async def get(self, registration_id: int) -> Registration | None:
        return await registrations_repo.get(self.db.reader, registration_id)

    async def place_in_line(self, registration_id: int) -> int | None:
        return await registrations_repo.place_in_line(self.db.reader, registration_id)

    async def list_for_group(
        self, group_id: str, status: RegistrationStatus | str | None = None
    ) -> list[Registration]:
        return await registrations_repo.for_group(
            self.db.reader, group_id, str(status) if status else None
        )

    def export(self, group_id: str, status: str | None = None) -> AsyncIterator[Registration]:
        """A group's registrations by number, streamed (the command line's list)."""
        return registrations_repo.iterate_group(self.db.reader, group_id, status)

    async def list_for_user(self, user_id: int) -> list[Registration]:
        return await registrations_repo.for_user(self.db.reader, user_id)

    async def from_draft(self, user_id: int, nonce: str) -> Registration | None:
        found = await registrations_repo.by_source(self.db.reader, source_key(nonce))
        return found if found is not None and found.user_id == user_id else None

    # ------------------------------------------------------------ the learner

    @_notifies
    async def register(
        self,
        *,
        user_id: int,
        group_id: str,
        lang: str,
        details: dict[str, str],
        payment: str,
        payment_details: dict[str, str] | None,
        nonce: str,
    ) -> RegisterResult:
        """Take a seat (pending, or confirmed for `confirm: automatic`), or a
        place in line when the group is full; once per draft."""
        found = self.group(group_id)
        if found is None:
            return RegisterResult(Outcome.UNKNOWN_GROUP)
        programme, group = found
        key = source_key(nonce)
        async with self._writing() as conn:
            made = await registrations_repo.by_source(conn, key)
            if made is not None and made.user_id == user_id:
                return await self._result(conn, made)
            live = await registrations_repo.live_for(conn, user_id, group_id)
            if live is not None:
                return RegisterResult(
                    Outcome.DUPLICATE, live, seats=await seats.counts(conn, group_id)
                )
            closed = self.closed_reason(group)
            if closed is not None:
                return RegisterResult(Outcome.CLOSED, closed=closed)
            counts = await seats.counts(conn, group_id)
            if counts is None:
                return RegisterResult(Outcome.UNKNOWN_GROUP)
            if counts.free > 0:
                status = (
                    RegistrationStatus.CONFIRMED
                    if programme.registration_form().automatic
                    else RegistrationStatus.PENDING
                )
            else:
                status = RegistrationStatus.WAITING
            now = self._stamp()
            registration_id = await registrations_repo.create(
                conn,
                user_id=user_id,
                programme_id=programme.id,
                group_id=group_id,
                lang=lang,
                status=status,
                details=details,
                payment=payment,
                payment_details=payment_details,
                consent_at=now,
                source_key=key,
                now=now,
            )
            await registrations_repo.add_notice(
                conn, registration_id, user_id, NoticeKind.STAFF_NEW, {}, epoch(self.clock.now())
            )
            await registrations_repo.drop_draft(conn, user_id)
            made = await registrations_repo.get(conn, registration_id)
            assert made is not None
            return await self._result(conn, made)

    async def _result(self, conn: Connection, made: Registration) -> RegisterResult:
        outcome = {
            RegistrationStatus.PENDING: Outcome.PENDING,
            RegistrationStatus.CONFIRMED: Outcome.CONFIRMED,
            RegistrationStatus.WAITING: Outcome.WAITING,
        }.get(made.status, Outcome.DUPLICATE)
        place = await registrations_repo.place_in_line(conn, made.id)
        return RegisterResult(outcome, made, place, seats=await seats.counts(conn, made.group_id))

    @_notifies
    async def cancel(self, registration_id: int, user_id: int) -> ChangeResult:
        """The learner gives up their registration; a held seat goes to the
        first in line at once."""
        return await self._change(
            registration_id,
            lambda r: r.user_id == user_id,
            LIVE,
            RegistrationStatus.CANCELLED,
        )

    @_notifies
    async def accept_offer(self, registration_id: int, user_id: int) -> ChangeResult:
        """Take the offered seat: confirmed (automatic) or pending staff."""
        async with self._writing() as conn:
            current = await registrations_repo.get(conn, registration_id)
            if current is None or current.user_id != user_id:
                return ChangeResult(Change.NOT_FOUND)
            if current.status != RegistrationStatus.OFFERED:
                return ChangeResult(Change.WRONG_STATE, current)
            if (current.offer_expires_at or 0) <= epoch(self.clock.now()):
                # Lapsed but not yet passed on by the job: pass it on now.
                offered = await self._lapse(conn, current)
                return ChangeResult(
                    Change.LAPSED,
                    await registrations_repo.get(conn, current.id),
                    tuple(offered),
                )
            found = self.group(current.group_id)
            automatic = found is not None and found[0].registration_form().automatic
            status = RegistrationStatus.CONFIRMED if automatic else RegistrationStatus.PENDING
            await registrations_repo.set_status(conn, current.id, status, self._stamp())
            await registrations_repo.add_notice(
                conn,
                current.id,
                current.user_id,
                NoticeKind.STAFF_NEW,
                {},
                epoch(self.clock.now()),
            )
            return ChangeResult(
                Change.DONE,
                await registrations_repo.get(conn, current.id),
                seats=await seats.counts(conn, current.group_id),
            )

    @_notifies
    async def decline_offer(self, registration_id: int, user_id: int) -> ChangeResult:
        """Let the offered seat go to the next in line."""
        return await self._change(
            registration_id,
            lambda r: r.user_id == user_id,
            {RegistrationStatus.OFFERED},
            RegistrationStatus.CANCELLED,
        )

    @_notifies
    async def expire_offers(self) -> list[int]:
        """Offers whose hold ran out (by the injected clock) lapse and pass to
        the next in line; the registrations that lapsed."""
        offered: list[int] = []
        async with self._writing() as conn:
            lapsed = await registrations_repo.lapsed_offers(conn, epoch(self.clock.now()))
            for registration_id in lapsed:
                current = await registrations_repo.get(conn, registration_id)
                if current is not None:
                    offered += await self._lapse(conn, current)
        self._changed(*lapsed, *offered)
        return lapsed

    async def _lapse(self, conn: Connection, current: Registration) -> list[int]:
        """The offer lapses; the seat goes to the next in line (the
        registrations it was offered to)."""
        await registrations_repo.set_status(
            conn, current.id, RegistrationStatus.EXPIRED, self._stamp()
        )
        await registrations_repo.add_notice(
            conn, current.id, current.user_id, NoticeKind.LAPSED, {}, epoch(self.clock.now())
        )
        return await seats.offer_free_seats(
            conn, current.group_id, self.clock.now(), self.offer_hold
        )

    async def next_offer_expiry(self) -> dt.datetime | None:
        at = await registrations_repo.next_offer_expiry(self.db.reader)
        return dt.datetime.fromtimestamp(at, dt.UTC) if at is not None else None

    async def stop_reminders(self, registration_id: int, user_id: int, stopped: bool) -> bool:
        async with self.db.transaction() as conn:
            current = await registrations_repo.get(conn, registration_id)
            if current is None or current.user_id != user_id:
                return False
            await registrations_repo.set_reminders_stopped(conn, registration_id, stopped)
            return True

    # ------------------------------------------------------------ staff

    @_notifies
    async def confirm(self, registration_id: int, actor: int) -> ChangeResult:
        """Staff confirm a pending registration (audited)."""
        await self.roles.require(actor, Role.STAFF, "registration_confirm", str(registration_id))
        result = await self._change(
            registration_id,
            lambda _r: True,
            {RegistrationStatus.PENDING},
            RegistrationStatus.CONFIRMED,
            actor=actor,
            notice=NoticeKind.CONFIRMED,
        )
        return result

    @_notifies
    async def decline(
        self, registration_id: int, actor: int, reason: str, *, pending_only: bool = False
    ) -> ChangeResult:
        """Staff decline a registration with a reason sent to the learner
        (audited); a held seat goes to the first in line. `pending_only`:
        only while it waits for confirmation (the staff chat's button, pressed
        on a post that showed it so)."""
        await self.roles.require(actor, Role.STAFF, "registration_decline", str(registration_id))
        return await self._change(
            registration_id,
            lambda _r: True,
            {RegistrationStatus.PENDING} if pending_only else LIVE,
            RegistrationStatus.DECLINED,
            actor=actor,
            notice=NoticeKind.DECLINED,
            reason=reason.strip()[:500],
        )

    @_notifies
    async def move(self, registration_id: int, new_group_id: str, actor: int) -> ChangeResult:
        """Staff move a registration to another group of the same programme,
        where it needs a free seat (a held one) ; the old seat is offered on."""
        await self.roles.require(actor, Role.STAFF, "registration_move", str(registration_id))
        async with self._writing() as conn:
            current = await registrations_repo.get(conn, registration_id)
            if current is None:
                return ChangeResult(Change.NOT_FOUND)
            if current.status not in LIVE or current.group_id == new_group_id:
                return ChangeResult(Change.WRONG_STATE, current)
            target = await registrations_repo.group_seats(conn, new_group_id)
            if target is None or target[0] != current.programme_id:
                return ChangeResult(Change.OTHER_PROGRAMME, current)
            counts = await seats.counts(conn, new_group_id)
            if counts is None or counts.free == 0:
                return ChangeResult(Change.FULL, current, seats=counts)
            live = await registrations_repo.live_for(conn, current.user_id, new_group_id)
            if live is not None:
                return ChangeResult(Change.WRONG_STATE, current)
            now = self._stamp()
            old_group = current.group_id
            await registrations_repo.set_group(conn, current.id, new_group_id, now)
            if current.status not in HOLDING:
                # Out of line and into a seat: staff decided; confirmation stays theirs.
                await registrations_repo.set_status(
                    conn, current.id, RegistrationStatus.PENDING, now
                )
            # The learner is told: the new group's dates may not suit them.
            await registrations_repo.add_notice(
                conn,
                current.id,
                current.user_id,
                NoticeKind.MOVED,
                {"from": old_group},
                epoch(self.clock.now()),
            )
            offered = await seats.offer_free_seats(
                conn, old_group, self.clock.now(), self.offer_hold
            )
            await roles_repo.audit(
                conn, now, actor, "registration_move", f"{current.id}:{new_group_id}", "done"
            )
            return ChangeResult(
                Change.DONE,
                await registrations_repo.get(conn, current.id),
                tuple(offered),
                await seats.counts(conn, new_group_id),
            )

    async def posted_to_staff(self, registration_id: int, chat_id: int, message_id: int) -> bool:
        """Where the registration's staff-chat post is; False when the
        registration is gone (erased while the post was on its way)."""
        async with self.db.transaction() as conn:
            return await registrations_repo.set_staff_post(
                conn, registration_id, chat_id, message_id
            )

    async def asked_reason(self, chat_id: int, message_id: int, registration_id: int) -> None:
        """The bot asked staff, in this message, why the registration is declined."""
        async with self.db.transaction() as conn:
            await registrations_repo.add_reason_prompt(
                conn, chat_id, message_id, registration_id, self._stamp()
            )

    async def reason_asked_in(self, chat_id: int, message_id: int) -> int | None:
        """The registration a staff member's reply to this message gives the
        decline reason for, if the message asked for one."""
        return await registrations_repo.reason_prompt(self.db.reader, chat_id, message_id)

    # ------------------------------------------------------------ one change

    async def _change(
        self,
        registration_id: int,
        allowed: Callable[[Registration], bool],
        from_states: frozenset[RegistrationStatus] | set[RegistrationStatus],
        to: RegistrationStatus,
        *,
        actor: int | None = None,
        notice: NoticeKind | None = None,
        reason: str | None = None,
    ) -> ChangeResult:
        async with self._writing() as conn:
            current = await registrations_repo.get(conn, registration_id)
            if current is None or not allowed(current):
                return ChangeResult(Change.NOT_FOUND)
            if current.status not in from_states:
                return ChangeResult(Change.WRONG_STATE, current)
            now = self._stamp()
            await registrations_repo.set_status(conn, current.id, to, now, reason=reason)
            if notice is not None:
                data: dict[str, object] = {"reason": reason} if reason else {}
                await registrations_repo.add_notice(
                    conn, current.id, current.user_id, notice, data, epoch(self.clock.now())
                )
            offered: list[int] = []
            if current.status in HOLDING:
                offered = await seats.offer_free_seats(
                    conn, current.group_id, self.clock.now(), self.offer_hold
                )
            if actor is not None:
                await roles_repo.audit(
                    conn, now, actor, f"registration_{to}", str(current.id), "done"
                )
            return ChangeResult(
                Change.DONE,
                await registrations_repo.get(conn, current.id),
                tuple(offered),
                await seats.counts(conn, current.group_id),
            )

    # ------------------------------------------------------------ the notices

    async def recover(self) -> int:
        """After a crash: notices between claim and outcome are unknown, and
        are never sent again (only the request on the wire is in doubt)."""
        async with self.db.transaction() as conn:
            count = await registrations_repo.notices_in_flight_to_unknown(
                conn, epoch(self.clock.now())
            )
        if count:
            log.warning(
                "%d registration notices were in flight at the last stop; not repeated", count
            )
        return count

    async def due_notices(
        self, limit: int = 100, staff: bool | None = None
    ) -> list[RegistrationNotice]:
        """Planned notices, oldest first: all, or only the staff chat's
        (staff=True) or only the learners' (staff=False)."""
        return await registrations_repo.due_notices(self.db.reader, limit, staff)

    async def claim_notice(self, notice_id: int) -> bool:
        async with self.db.transaction() as conn:
            return await registrations_repo.claim_notice(conn, notice_id, epoch(self.clock.now()))

    async def finish_notice(self, notice_id: int, state: str) -> None:
        async with self.db.transaction() as conn:
            await registrations_repo.finish_notice(conn, notice_id, state, epoch(self.clock.now()))

    async def offer_reached(self, registration_id: int) -> bool:
        """Whether the learner was told of the offer (it was sent, or may have
        arrived): only then is its lapse news to them."""
        return await registrations_repo.offer_reached(self.db.reader, registration_id)

    async def drop_notice(self, notice_id: int) -> None:
        """A notice no longer true when its turn came (an offer that lapsed or
        was withdrawn meanwhile; no staff chat): recorded failed, not sent."""
        async with self.db.transaction() as conn:
            if await registrations_repo.claim_notice(conn, notice_id, epoch(self.clock.now())):
                await registrations_repo.finish_notice(
                    conn, notice_id, "failed", epoch(self.clock.now())
                )
