"""The seat arithmetic: the one place that counts a group's seats and hands
a freed seat to the first in line. Every function here runs inside the
caller's write transaction, so a count and the change made from it are one
step: no seat is ever sold twice.

seats taken = the catalogue's `seats_taken` baseline + pending + confirmed +
offered registrations.
"""

from __future__ import annotations

import datetime as dt

from domain.registrations import NoticeKind, RegistrationStatus, SeatCounts
from services.clock import epoch
from storage import registrations_repo
from storage.database import Connection


async def counts(conn: Connection, group_id: str) -> SeatCounts | None:
    """The group's seats now; None for a group the catalogue does not have."""
    found = await registrations_repo.group_seats(conn, group_id)
    if found is None:
        return None
    _programme, seats, baseline = found
    by_status = await registrations_repo.status_counts(conn, group_id)
    return SeatCounts(
        seats=seats,
        baseline=baseline,
        pending=by_status.get(RegistrationStatus.PENDING, 0),
        confirmed=by_status.get(RegistrationStatus.CONFIRMED, 0),
        offered=by_status.get(RegistrationStatus.OFFERED, 0),
        waiting=by_status.get(RegistrationStatus.WAITING, 0),
    )


async def offer_free_seats(
    conn: Connection, group_id: str, now: dt.datetime, hold: dt.timedelta
) -> list[int]:
    """Offer each free seat to the next in line, held for `hold`; the
    registrations offered. Each offer owes the learner a message and the
    staff chat a note, written here with it."""
    found = await counts(conn, group_id)
    if found is None or found.free == 0 or found.waiting == 0:
        return []
    offered = await registrations_repo.first_waiting(conn, group_id, found.free)
    expires = epoch(now + hold)
    stamp = now.astimezone(dt.UTC).isoformat()
    for registration_id in offered:
        await registrations_repo.set_status(
            conn, registration_id, RegistrationStatus.OFFERED, stamp, offer_expires_at=expires
        )
        row = await registrations_repo.get(conn, registration_id)
        assert row is not None
        await registrations_repo.add_notice(
            conn,
            registration_id,
            row.user_id,
            NoticeKind.OFFERED,
            {"expires": expires},
            epoch(now),
        )
        await registrations_repo.add_notice(
            conn, registration_id, row.user_id, NoticeKind.STAFF_MOVED, {}, epoch(now)
        )
    return offered


async def refill_all(conn: Connection, now: dt.datetime, hold: dt.timedelta) -> list[int]:
    """Offer the free seats of every group with a waiting list (after an
    import added seats)."""
    offered: list[int] = []
    for group_id in await registrations_repo.group_ids_with_waiting(conn):
        offered += await offer_free_seats(conn, group_id, now, hold)
    return offered


async def over_booked(conn: Connection, seats: dict[str, tuple[int, int]]) -> dict[str, int]:
    """Groups whose new (seats, baseline) would be fewer than the seats taken
    and held by registrations: group id -> seats taken and held."""
    held = await registrations_repo.held_by_group(conn)
    return {
        group_id: baseline + held[group_id]
        for group_id, (total, baseline) in seats.items()
        if group_id in held and baseline + held[group_id] > total
    }
