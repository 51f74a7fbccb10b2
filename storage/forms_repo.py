"""One-time console form tokens that were used, and where they led."""

from __future__ import annotations

import aiosqlite


async def claim(conn: aiosqlite.Connection, token_hash: str, user_id: int, now: int) -> bool:
    """True for the first use of the token; False when it was used before."""
    cur = await conn.execute(
        "INSERT INTO used_forms(token_hash, user_id, used_at) VALUES (?, ?, ?) "
        "ON CONFLICT(token_hash) DO NOTHING",
        (token_hash, user_id, now),
    )
    return bool(cur.rowcount)


async def set_result(conn: aiosqlite.Connection, token_hash: str, result: str) -> None:
    await conn.execute(
        "UPDATE used_forms SET result = ? WHERE token_hash = ?", (result, token_hash)
    )


async def release(conn: aiosqlite.Connection, token_hash: str) -> None:
    await conn.execute("DELETE FROM used_forms WHERE token_hash = ?", (token_hash,))


async def result(conn: aiosqlite.Connection, token_hash: str) -> str | None:
    async with conn.execute(
        "SELECT result FROM used_forms WHERE token_hash = ?", (token_hash,)
    ) as cur:
        row = await cur.fetchone()
    return str(row[0]) if row and row[0] is not None else None


async def forget_before(conn: aiosqlite.Connection, before: int) -> None:
    await conn.execute("DELETE FROM used_forms WHERE used_at < ?", (before,))
