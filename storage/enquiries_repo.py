"""Enquiries, their messages and the drafts learners are writing."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiosqlite

from domain.enquiries import Enquiry

_COLUMNS = (
    "id, user_id, lang, topic, programme_id, text, name, phone, status, assignee_id, "
    "staff_chat_id, staff_message_id, created_at, updated_at"
)


async def _one(
    conn: aiosqlite.Connection, where: str, params: tuple[object, ...]
) -> Enquiry | None:
    async with conn.execute(f"SELECT {_COLUMNS} FROM enquiries WHERE {where}", params) as cur:
        row = await cur.fetchone()
    return Enquiry(*row) if row else None


async def get(conn: aiosqlite.Connection, enquiry_id: int) -> Enquiry | None:
    return await _one(conn, "id = ?", (enquiry_id,))


async def by_source(conn: aiosqlite.Connection, source_key: str) -> Enquiry | None:
    return await _one(conn, "source_key = ?", (source_key,))


async def create(
    conn: aiosqlite.Connection,
    *,
    user_id: int,
    lang: str,
    topic: str | None,
    programme_id: str | None,
    text: str,
    name: str | None,
    phone: str | None,
    source_key: str,
    now: str,
) -> int:
    cur = await conn.execute(
        "INSERT INTO enquiries(user_id, lang, topic, programme_id, text, name, phone, consent_at, "
        "status, source_key, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?)",
        (user_id, lang, topic, programme_id, text, name, phone, now, source_key, now, now),
    )
    return int(cur.lastrowid or 0)


async def set_staff_post(
    conn: aiosqlite.Connection, enquiry_id: int, chat_id: int, message_id: int
) -> None:
    await conn.execute(
        "UPDATE enquiries SET staff_chat_id = ?, staff_message_id = ? WHERE id = ?",
        (chat_id, message_id, enquiry_id),
    )


async def set_status(
    conn: aiosqlite.Connection, enquiry_id: int, status: str, now: str, assignee: int | None = None
) -> None:
    await conn.execute(
        "UPDATE enquiries SET status = ?, updated_at = ?, "
        "assignee_id = COALESCE(?, assignee_id) WHERE id = ?",
        (status, now, assignee, enquiry_id),
    )


async def by_staff_message(
    conn: aiosqlite.Connection, chat_id: int, message_id: int
) -> Enquiry | None:
    found = await _one(conn, "staff_chat_id = ? AND staff_message_id = ?", (chat_id, message_id))
    if found:
        return found
    async with conn.execute(
        "SELECT enquiry_id FROM enquiry_messages WHERE staff_chat_id = ? AND staff_message_id = ?",
        (chat_id, message_id),
    ) as cur:
        row = await cur.fetchone()
    return await get(conn, int(row[0])) if row else None


async def by_learner_message(
    conn: aiosqlite.Connection, user_id: int, message_id: int
) -> Enquiry | None:
    async with conn.execute(
        "SELECT e.id FROM enquiry_messages m JOIN enquiries e ON e.id = m.enquiry_id "
        "WHERE e.user_id = ? AND m.learner_message_id = ?",
        (user_id, message_id),
    ) as cur:
        row = await cur.fetchone()
    return await get(conn, int(row[0])) if row else None


async def add_message(
    conn: aiosqlite.Connection,
    *,
    enquiry_id: int,
    direction: str,
    author_id: int | None,
    text: str,
    source_key: str,
    now: str,
    delivery: str | None = None,
) -> int | None:
    """The new message's id, or None when this source was recorded before."""
    cur = await conn.execute(
        "INSERT INTO enquiry_messages(enquiry_id, direction, author_id, text, source_key, at, "
        "delivery) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(source_key) DO NOTHING",
        (enquiry_id, direction, author_id, text, source_key, now, delivery),
    )
    return int(cur.lastrowid) if cur.rowcount and cur.lastrowid else None


async def set_delivery(
    conn: aiosqlite.Connection, message_id: int, delivery: str, reason: str | None
) -> tuple[int, int | None, str] | None:
    """(enquiry id, author, text) of the staff answer whose delivery is set."""
    await conn.execute(
        "UPDATE enquiry_messages SET delivery = ?, delivery_reason = ? "
        "WHERE id = ? AND direction = 'staff'",
        (delivery, reason, message_id),
    )
    async with conn.execute(
        "SELECT enquiry_id, author_id, text FROM enquiry_messages "
        "WHERE id = ? AND direction = 'staff'",
        (message_id,),
    ) as cur:
        row = await cur.fetchone()
    return (int(row[0]), row[1], str(row[2])) if row else None


async def staff_answer_of(
    conn: aiosqlite.Connection, enquiry_id: int, message_id: int
) -> tuple[str, str | None] | None:
    """(text, delivery) of a staff answer of this enquiry."""
    async with conn.execute(
        "SELECT text, delivery FROM enquiry_messages "
        "WHERE id = ? AND enquiry_id = ? AND direction = 'staff'",
        (message_id, enquiry_id),
    ) as cur:
        row = await cur.fetchone()
    return (str(row[0]), row[1]) if row else None


async def message_shown(
    conn: aiosqlite.Connection,
    message_id: int,
    *,
    learner_message_id: int | None = None,
    staff_chat_id: int | None = None,
    staff_message_id: int | None = None,
) -> None:
    await conn.execute(
        "UPDATE enquiry_messages SET learner_message_id = COALESCE(?, learner_message_id), "
        "staff_chat_id = COALESCE(?, staff_chat_id), "
        "staff_message_id = COALESCE(?, staff_message_id) WHERE id = ?",
        (learner_message_id, staff_chat_id, staff_message_id, message_id),
    )


async def for_user(conn: aiosqlite.Connection, user_id: int) -> list[tuple[Enquiry, str | None]]:
    """The learner's enquiries, newest first, each with its last answer."""
    async with conn.execute(
        f"SELECT {_COLUMNS}, (SELECT text FROM enquiry_messages m WHERE m.enquiry_id = e.id "
        "AND m.direction = 'staff' ORDER BY m.id DESC LIMIT 1) "
        f"FROM enquiries e WHERE user_id = ? ORDER BY id DESC",
        (user_id,),
    ) as cur:
        rows = await cur.fetchall()
    return [(Enquiry(*r[:14]), r[14]) for r in rows]


async def get_draft(conn: aiosqlite.Connection, user_id: int) -> tuple[str, str, str] | None:
    async with conn.execute(
        "SELECT step, data, updated_at FROM enquiry_drafts WHERE user_id = ?", (user_id,)
    ) as cur:
        row = await cur.fetchone()
    return (str(row[0]), str(row[1]), str(row[2])) if row else None


async def put_draft(
    conn: aiosqlite.Connection, user_id: int, step: str, data: str, now: str
) -> None:
    await conn.execute(
        "INSERT INTO enquiry_drafts(user_id, step, data, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET step = excluded.step, data = excluded.data, "
        "updated_at = excluded.updated_at",
        (user_id, step, data, now),
    )


async def drop_draft(conn: aiosqlite.Connection, user_id: int) -> bool:
    cur = await conn.execute("DELETE FROM enquiry_drafts WHERE user_id = ?", (user_id,))
    return cur.rowcount > 0


async def statuses(conn: aiosqlite.Connection) -> dict[int, str]:
    async with conn.execute("SELECT id, status FROM enquiries") as cur:
        return {int(r[0]): str(r[1]) for r in await cur.fetchall()}


async def iterate(
    conn: aiosqlite.Connection,
    *,
    since: str | None = None,
    status: str | None = None,
    programme_id: str | None = None,
    batch: int = 500,
) -> AsyncIterator[Enquiry]:
    """Enquiries oldest first, fetched in batches: an export of any size runs in
    constant memory."""
    where, params = ["1 = 1"], []
    if since:
        where.append("created_at >= ?")
        params.append(since)
    if status:
        where.append("status = ?")
        params.append(status)
    if programme_id:
        where.append("programme_id = ?")
        params.append(programme_id)
    async with conn.execute(
        f"SELECT {_COLUMNS} FROM enquiries WHERE {' AND '.join(where)} ORDER BY id", params
    ) as cur:
        while rows := await cur.fetchmany(batch):
            for row in rows:
                yield Enquiry(*row)


async def awaiting_staff(conn: aiosqlite.Connection) -> list[Enquiry]:
    """Enquiries waiting for staff that have not been raised again yet."""
    async with conn.execute(
        f"SELECT {_COLUMNS} FROM enquiries WHERE status IN ('new', 'in_progress') "
        "AND escalated_at IS NULL ORDER BY id"
    ) as cur:
        return [Enquiry(*r) for r in await cur.fetchall()]


async def mark_escalated(conn: aiosqlite.Connection, enquiry_id: int, now: str) -> bool:
    cur = await conn.execute(
        "UPDATE enquiries SET escalated_at = ? WHERE id = ? AND escalated_at IS NULL",
        (now, enquiry_id),
    )
    return cur.rowcount > 0


async def purge_finished(conn: aiosqlite.Connection, before: str) -> int:
    """Closed and spam enquiries last touched before `before` (their messages go too)."""
    cur = await conn.execute(
        "DELETE FROM enquiries WHERE status IN ('closed', 'spam') AND updated_at < ?", (before,)
    )
    return cur.rowcount
