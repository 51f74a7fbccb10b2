"""The course card each chat showed last: what a follow-up question is about."""

from __future__ import annotations

import aiosqlite

TOPIC_TYPES = ("programme", "group")


async def remember(
    conn: aiosqlite.Connection,
    chat_id: int,
    user_id: int | None,
    entry_type: str,
    entry_id: str,
    shown_at: str,
) -> None:
    await conn.execute(
        "INSERT INTO chat_topics(chat_id, user_id, entry_type, entry_id, shown_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(chat_id) DO UPDATE SET user_id = excluded.user_id, "
        "entry_type = excluded.entry_type, entry_id = excluded.entry_id, "
        "shown_at = excluded.shown_at",
        (chat_id, user_id, entry_type, entry_id, shown_at),
    )


async def recent(conn: aiosqlite.Connection, chat_id: int, since: str) -> tuple[str, str] | None:
    """(type, id) of the chat's last course card, if shown at or after `since`."""
    async with conn.execute(
        "SELECT entry_type, entry_id FROM chat_topics WHERE chat_id = ? AND shown_at >= ?",
        (chat_id, since),
    ) as cur:
        row = await cur.fetchone()
    return (str(row[0]), str(row[1])) if row else None


async def erase(conn: aiosqlite.Connection, user_id: int) -> int:
    cur = await conn.execute("DELETE FROM chat_topics WHERE user_id = ?", (user_id,))
    return cur.rowcount


async def purge(conn: aiosqlite.Connection, before: str) -> int:
    """Drop the cards shown before `before`: no follow-up refers to them any more."""
    cur = await conn.execute("DELETE FROM chat_topics WHERE shown_at < ?", (before,))
    return cur.rowcount


async def export(conn: aiosqlite.Connection, user_id: int) -> list[dict[str, str]]:
    async with conn.execute(
        "SELECT entry_type, entry_id, shown_at FROM chat_topics WHERE user_id = ?", (user_id,)
    ) as cur:
        rows = await cur.fetchall()
    return [{"type": r[0], "id": r[1], "shown_at": r[2]} for r in rows]
