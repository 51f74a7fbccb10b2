"""Announcements being composed in the chat (one per staff member)."""

from __future__ import annotations

import aiosqlite


async def get(conn: aiosqlite.Connection, author_id: int) -> tuple[str, str] | None:
    """The draft's JSON and when it was last changed (ISO time)."""
    async with conn.execute(
        "SELECT data, updated_at FROM broadcast_drafts WHERE author_id = ?", (author_id,)
    ) as cur:
        row = await cur.fetchone()
    return (str(row[0]), str(row[1])) if row else None


async def put(conn: aiosqlite.Connection, author_id: int, step: str, data: str, now: str) -> None:
    await conn.execute(
        "INSERT INTO broadcast_drafts(author_id, step, data, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(author_id) DO UPDATE SET step = excluded.step, data = excluded.data, "
        "updated_at = excluded.updated_at",
        (author_id, step, data, now),
    )


async def drop(conn: aiosqlite.Connection, author_id: int) -> bool:
    cur = await conn.execute("DELETE FROM broadcast_drafts WHERE author_id = ?", (author_id,))
    return cur.rowcount > 0
