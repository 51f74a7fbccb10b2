"""Registrations, their drafts and the notices their changes owe (every SQL
string of the registration flow)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import aiosqlite

from domain.registrations import (
    NoticeKind,
    Registration,
    RegistrationNotice,
    RegistrationStatus,
)

_COLUMNS = (
    "id, user_id, programme_id, group_id, lang, status, details, payment, payment_details, "
    "offer_expires_at, reason, reminders_stopped, staff_chat_id, staff_message_id, "
    "created_at, updated_at"
)
_HOLDING = "('pending', 'confirmed', 'offered')"
_LIVE = "('pending', 'confirmed', 'waiting', 'offered')"
# Never a number given before, even one whose registration was erased
# (migration 0034 keeps the highest).
_NEXT_NUMBER = (
    "SELECT MAX(COALESCE((SELECT MAX(id) FROM registrations), 0), "
    "COALESCE((SELECT last FROM number_high_water WHERE name = 'registrations'), 0)) + 1"
)


def _registration(row: aiosqlite.Row) -> Registration:
    return Registration(
        id=row[0],
        user_id=row[1],
        programme_id=row[2],
        group_id=row[3],
        lang=row[4],
        status=RegistrationStatus(row[5]),
        details=json.loads(row[6]),
        payment=row[7],
        payment_details=json.loads(row[8]) if row[8] else None,
        offer_expires_at=row[9],
        reason=row[10],
        reminders_stopped=bool(row[11]),
        staff_chat_id=row[12],
        staff_message_id=row[13],
        created_at=row[14],
        updated_at=row[15],
    )


async def _many(
    conn: aiosqlite.Connection, where: str, params: tuple[object, ...]
) -> list[Registration]:
    async with conn.execute(f"SELECT {_COLUMNS} FROM registrations WHERE {where}", params) as cur:
        return [_registration(row) for row in await cur.fetchall()]


async def _one(
    conn: aiosqlite.Connection, where: str, params: tuple[object, ...]
) -> Registration | None:
    found = await _many(conn, where, params)
    return found[0] if found else None


async def get(conn: aiosqlite.Connection, registration_id: int) -> Registration | None:
    return await _one(conn, "id = ?", (registration_id,))


async def by_source(conn: aiosqlite.Connection, source_key: str) -> Registration | None:
    return await _one(conn, "source_key = ?", (source_key,))


async def live_for(conn: aiosqlite.Connection, user_id: int, group_id: str) -> Registration | None:
    return await _one(
        conn, f"user_id = ? AND group_id = ? AND status IN {_LIVE}", (user_id, group_id)
    )


async def create(
    conn: aiosqlite.Connection,
    *,
    user_id: int,
    programme_id: str,
    group_id: str,
    lang: str,
    status: RegistrationStatus,
    details: dict[str, str],
    payment: str,
    payment_details: dict[str, str] | None,
    consent_at: str,
    source_key: str,
    now: str,
) -> int:
    cur = await conn.execute(
        "INSERT INTO registrations(id, user_id, programme_id, group_id, lang, status, details, "
        "payment, payment_details, consent_at, source_key, created_at, updated_at) "
        f"VALUES (({_NEXT_NUMBER}), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            user_id,
            programme_id,
            group_id,
            lang,
            str(status),
            json.dumps(details, ensure_ascii=False),
            payment,
            json.dumps(payment_details, ensure_ascii=False) if payment_details else None,
            consent_at,
            source_key,
            now,
            now,
        ),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


async def set_status(
    conn: aiosqlite.Connection,
    registration_id: int,
    status: RegistrationStatus,
    now: str,
    *,
    offer_expires_at: int | None = None,
    reason: str | None = None,
) -> None:
    await conn.execute(
        "UPDATE registrations SET status = ?, offer_expires_at = ?, "
        "reason = COALESCE(?, reason), updated_at = ? WHERE id = ?",
        (str(status), offer_expires_at, reason, now, registration_id),
    )


async def set_group(
    conn: aiosqlite.Connection, registration_id: int, group_id: str, now: str
) -> None:
    await conn.execute(
        "UPDATE registrations SET group_id = ?, updated_at = ? WHERE id = ?",
        (group_id, now, registration_id),
    )


async def set_reminders_stopped(
    conn: aiosqlite.Connection, registration_id: int, stopped: bool
) -> None:
    await conn.execute(
        "UPDATE registrations SET reminders_stopped = ? WHERE id = ?",
        (int(stopped), registration_id),
    )


async def set_staff_post(
    conn: aiosqlite.Connection, registration_id: int, chat_id: int, message_id: int
) -> bool:
    cur = await conn.execute(
        "UPDATE registrations SET staff_chat_id = ?, staff_message_id = ? WHERE id = ?",
        (chat_id, message_id, registration_id),
    )
    return cur.rowcount > 0


async def status_counts(conn: aiosqlite.Connection, group_id: str) -> dict[str, int]:
    async with conn.execute(
        "SELECT status, COUNT(*) FROM registrations WHERE group_id = ? GROUP BY status",
        (group_id,),
    ) as cur:
        return {row[0]: row[1] for row in await cur.fetchall()}


async def held_by_group(conn: aiosqlite.Connection) -> dict[str, int]:
    """Seats the bot's registrations hold (pending, confirmed, offered), per group."""
    async with conn.execute(
        f"SELECT group_id, COUNT(*) FROM registrations WHERE status IN {_HOLDING} GROUP BY group_id"
    ) as cur:
        return {row[0]: row[1] for row in await cur.fetchall()}


async def group_seats(conn: aiosqlite.Connection, group_id: str) -> tuple[str, int, int] | None:
    """(programme id, seats, seats_taken baseline) of a catalogue group."""
    async with conn.execute(
        "SELECT programme_id, seats, seats_taken FROM programme_groups WHERE id = ?", (group_id,)
    ) as cur:
        row = await cur.fetchone()
    return (row[0], row[1], row[2]) if row else None


async def group_ids_with_waiting(conn: aiosqlite.Connection) -> list[str]:
    async with conn.execute(
        "SELECT DISTINCT group_id FROM registrations WHERE status = 'waiting'"
    ) as cur:
        return [row[0] for row in await cur.fetchall()]


async def first_waiting(conn: aiosqlite.Connection, group_id: str, limit: int) -> list[int]:
    async with conn.execute(
        "SELECT id FROM registrations WHERE group_id = ? AND status = 'waiting' "
        "ORDER BY id LIMIT ?",
        (group_id, limit),
    ) as cur:
        return [row[0] for row in await cur.fetchall()]


async def place_in_line(conn: aiosqlite.Connection, registration_id: int) -> int | None:
    """1 for the first in line; None when not waiting."""
    async with conn.execute(
        "SELECT COUNT(*) FROM registrations w JOIN registrations r ON r.id = ? "
        "WHERE r.status = 'waiting' AND w.group_id = r.group_id AND w.status = 'waiting' "
        "AND w.id <= r.id",
        (registration_id,),
    ) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row and row[0] else None


async def lapsed_offers(conn: aiosqlite.Connection, now: int) -> list[int]:
    async with conn.execute(
        "SELECT id FROM registrations WHERE status = 'offered' AND offer_expires_at <= ? "
        "ORDER BY offer_expires_at, id",
        (now,),
    ) as cur:
        return [row[0] for row in await cur.fetchall()]


async def next_offer_expiry(conn: aiosqlite.Connection) -> int | None:
    async with conn.execute(
        "SELECT MIN(offer_expires_at) FROM registrations WHERE status = 'offered'"
    ) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row and row[0] is not None else None


async def for_group(
    conn: aiosqlite.Connection, group_id: str, status: str | None = None
) -> list[Registration]:
    if status is None:
        return await _many(conn, "group_id = ? ORDER BY id", (group_id,))
    return await _many(conn, "group_id = ? AND status = ? ORDER BY id", (group_id, status))


async def iterate_group(
    conn: aiosqlite.Connection, group_id: str, status: str | None = None, batch: int = 500
) -> AsyncIterator[Registration]:
    """A group's registrations by id, read in batches (the CLI's export)."""
    after = 0
    while True:
        where = "group_id = ? AND id > ?" + (" AND status = ?" if status else "")
        params: tuple[object, ...] = (group_id, after) + ((status,) if status else ())
        rows = await _many(conn, f"{where} ORDER BY id LIMIT {int(batch)}", params)
        for row in rows:
            yield row
        if len(rows) < batch:
            return
        after = rows[-1].id


async def for_user(conn: aiosqlite.Connection, user_id: int) -> list[Registration]:
    return await _many(conn, "user_id = ? ORDER BY id", (user_id,))


async def delete_for_user(conn: aiosqlite.Connection, user_id: int) -> list[str]:
    """Erase a learner's registrations (their attendance, certificates and
    survey invitations go with them); the groups whose seats they held."""
    async with conn.execute(
        f"SELECT DISTINCT group_id FROM registrations WHERE user_id = ? AND status IN {_HOLDING}",
        (user_id,),
    ) as cur:
        groups = [row[0] for row in await cur.fetchall()]
    await conn.execute("DELETE FROM registrations WHERE user_id = ?", (user_id,))
    await conn.execute("DELETE FROM registration_drafts WHERE user_id = ?", (user_id,))
    return groups


# -- drafts -------------------------------------------------------------------


async def get_draft(conn: aiosqlite.Connection, user_id: int) -> tuple[str, str] | None:
    """(data, updated_at) of the learner's draft."""
    async with conn.execute(
        "SELECT data, updated_at FROM registration_drafts WHERE user_id = ?", (user_id,)
    ) as cur:
        row = await cur.fetchone()
    return (row[0], row[1]) if row else None


async def put_draft(conn: aiosqlite.Connection, user_id: int, data: str, now: str) -> None:
    await conn.execute(
        "INSERT INTO registration_drafts(user_id, data, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
        (user_id, data, now),
    )


async def drop_draft(conn: aiosqlite.Connection, user_id: int) -> bool:
    cur = await conn.execute("DELETE FROM registration_drafts WHERE user_id = ?", (user_id,))
    return cur.rowcount > 0


# -- notices ------------------------------------------------------------------


async def add_notice(
    conn: aiosqlite.Connection,
    registration_id: int,
    user_id: int,
    kind: NoticeKind,
    data: dict[str, object],
    now: int,
) -> None:
    await conn.execute(
        "INSERT INTO registration_notices(registration_id, user_id, kind, data, state, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, 'planned', ?, ?)",
        (registration_id, user_id, str(kind), json.dumps(data, ensure_ascii=False), now, now),
    )


async def due_notices(
    conn: aiosqlite.Connection, limit: int, staff: bool | None = None
) -> list[RegistrationNotice]:
    """Planned notices by id: all, or only the staff chat's (staff=True) or
    only the learners' (staff=False)."""
    where = {None: "", True: " AND kind LIKE 'staff_%'", False: " AND kind NOT LIKE 'staff_%'"}
    async with conn.execute(
        "SELECT id, registration_id, user_id, kind, data FROM registration_notices "
        f"WHERE state = 'planned'{where[staff]} ORDER BY id LIMIT ?",
        (limit,),
    ) as cur:
        return [
            RegistrationNotice(row[0], row[1], row[2], NoticeKind(row[3]), row[4])
            for row in await cur.fetchall()
        ]


async def claim_notice(conn: aiosqlite.Connection, notice_id: int, now: int) -> bool:
    cur = await conn.execute(
        "UPDATE registration_notices SET state = 'sending', updated_at = ? "
        "WHERE id = ? AND state = 'planned'",
        (now, notice_id),
    )
    return cur.rowcount > 0


async def finish_notice(conn: aiosqlite.Connection, notice_id: int, state: str, now: int) -> None:
    await conn.execute(
        "UPDATE registration_notices SET state = ?, updated_at = ? "
        "WHERE id = ? AND state = 'sending'",
        (state, now, notice_id),
    )


async def notices_in_flight_to_unknown(conn: aiosqlite.Connection, now: int) -> int:
    cur = await conn.execute(
        "UPDATE registration_notices SET state = 'unknown', updated_at = ? WHERE state = 'sending'",
        (now,),
    )
    return cur.rowcount


async def offer_reached(conn: aiosqlite.Connection, registration_id: int) -> bool:
    """Whether the registration's offer was sent (or may have arrived)."""
    async with conn.execute(
        "SELECT 1 FROM registration_notices WHERE registration_id = ? AND kind = 'offered' "
        "AND state IN ('sent', 'unknown') LIMIT 1",
        (registration_id,),
    ) as cur:
        return await cur.fetchone() is not None


async def notice_kinds(conn: aiosqlite.Connection, registration_id: int) -> list[str]:
    async with conn.execute(
        "SELECT kind FROM registration_notices WHERE registration_id = ? ORDER BY id",
        (registration_id,),
    ) as cur:
        return [row[0] for row in await cur.fetchall()]


# -- the staff chat -------------------------------------------------------------


async def add_reason_prompt(
    conn: aiosqlite.Connection, chat_id: int, message_id: int, registration_id: int, now: str
) -> None:
    await conn.execute(
        "INSERT OR REPLACE INTO registration_reason_prompts"
        "(chat_id, message_id, registration_id, created_at) VALUES (?, ?, ?, ?)",
        (chat_id, message_id, registration_id, now),
    )


async def reason_prompt(conn: aiosqlite.Connection, chat_id: int, message_id: int) -> int | None:
    async with conn.execute(
        "SELECT registration_id FROM registration_reason_prompts "
        "WHERE chat_id = ? AND message_id = ?",
        (chat_id, message_id),
    ) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else None
