"""Catalogue files uploaded in the web console, waiting to be applied."""

from __future__ import annotations

import aiosqlite


async def add(
    conn: aiosqlite.Connection, actor_id: int, file_name: str, text: str, now: str, based_on: int
) -> int:
    cur = await conn.execute(
        "INSERT INTO catalogue_uploads(actor_id, file_name, text, created_at, based_on) "
        "VALUES (?, ?, ?, ?, ?)",
        (actor_id, file_name, text, now, based_on),
    )
    return int(cur.lastrowid or 0)


async def get(
    conn: aiosqlite.Connection, upload_id: int
) -> tuple[str, str, str | None, int] | None:
    """(file name, text, applied_at, the import it was compared with)."""
    async with conn.execute(
        "SELECT file_name, text, applied_at, based_on FROM catalogue_uploads WHERE id = ?",
        (upload_id,),
    ) as cur:
        row = await cur.fetchone()
    return (str(row[0]), str(row[1]), row[2], int(row[3])) if row else None


async def mark_applied(conn: aiosqlite.Connection, upload_id: int, now: str) -> bool:
    cur = await conn.execute(
        "UPDATE catalogue_uploads SET applied_at = ? WHERE id = ? AND applied_at IS NULL",
        (now, upload_id),
    )
    return cur.rowcount > 0


async def forget_before(conn: aiosqlite.Connection, before: str) -> None:
    await conn.execute("DELETE FROM catalogue_uploads WHERE created_at < ?", (before,))
