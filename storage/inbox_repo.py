"""Durable intake: updates are kept until their handlers have finished."""

from __future__ import annotations

from collections.abc import Sequence

import aiosqlite


async def store(
    conn: aiosqlite.Connection, updates: Sequence[tuple[int, str, int | None]], now: str
) -> set[int]:
    """Insert the updates (id, payload, sender) not seen before; returns the new ids."""
    if not updates:
        return set()
    ids = [u[0] for u in updates]
    placeholders = ",".join("?" * len(ids))
    async with conn.execute(
        f"SELECT update_id FROM inbox WHERE update_id IN ({placeholders})", ids
    ) as cur:
        known = {int(r[0]) for r in await cur.fetchall()}
    fresh = [(uid, payload, user, now) for uid, payload, user in updates if uid not in known]
    await conn.executemany(
        "INSERT INTO inbox(update_id, payload, user_id, state, received_at) "
        "VALUES (?, ?, ?, 'pending', ?)",
        fresh,
    )
    return {u[0] for u in fresh}


async def mark_done(conn: aiosqlite.Connection, update_id: int, now: str) -> None:
    await conn.execute(
        "UPDATE inbox SET state = 'done', done_at = ? WHERE update_id = ?", (now, update_id)
    )
    await conn.execute("DELETE FROM reply_journal WHERE update_id = ?", (update_id,))


async def pending(conn: aiosqlite.Connection) -> list[tuple[int, str]]:
    async with conn.execute(
        "SELECT update_id, payload FROM inbox WHERE state = 'pending' ORDER BY update_id"
    ) as cur:
        return [(int(r[0]), str(r[1])) for r in await cur.fetchall()]


async def bump_attempts(conn: aiosqlite.Connection, update_ids: Sequence[int]) -> None:
    await conn.executemany(
        "UPDATE inbox SET attempts = attempts + 1 WHERE update_id = ?", [(i,) for i in update_ids]
    )


async def give_up(conn: aiosqlite.Connection, max_attempts: int) -> int:
    """Updates that crashed the bot again and again are set aside, not replayed forever."""
    cur = await conn.execute(
        "UPDATE inbox SET state = 'failed' WHERE state = 'pending' AND attempts >= ?",
        (max_attempts,),
    )
    return cur.rowcount


async def journal_sending(
    conn: aiosqlite.Connection, update_id: int, seq: int, method: str
) -> None:
    await conn.execute(
        "INSERT INTO reply_journal(update_id, seq, method, state) VALUES (?, ?, ?, 'sending') "
        "ON CONFLICT(update_id, seq) DO NOTHING",
        (update_id, seq, method),
    )


async def journal_sent(conn: aiosqlite.Connection, update_id: int, seq: int, result: str) -> None:
    await conn.execute(
        "UPDATE reply_journal SET state = 'sent', result = ? WHERE update_id = ? AND seq = ?",
        (result, update_id, seq),
    )


async def journal_forget(conn: aiosqlite.Connection, update_id: int, seq: int) -> None:
    await conn.execute(
        "DELETE FROM reply_journal WHERE update_id = ? AND seq = ?", (update_id, seq)
    )


async def journal_for(
    conn: aiosqlite.Connection, update_id: int
) -> dict[int, tuple[str, str | None]]:
    """Replies handed to Telegram for an update: order -> (state, API result)."""
    async with conn.execute(
        "SELECT seq, state, result FROM reply_journal WHERE update_id = ?", (update_id,)
    ) as cur:
        return {int(r[0]): (str(r[1]), r[2]) for r in await cur.fetchall()}


async def note_uncertain(
    conn: aiosqlite.Connection, update_id: int, seq: int, method: str, now: str
) -> None:
    await conn.execute(
        "INSERT INTO uncertain_replies(update_id, seq, method, noted_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(update_id, seq) DO NOTHING",
        (update_id, seq, method, now),
    )


async def counts(conn: aiosqlite.Connection) -> dict[str, int]:
    async with conn.execute("SELECT state, COUNT(*) FROM inbox GROUP BY state") as cur:
        return {str(r[0]): int(r[1]) for r in await cur.fetchall()}


async def purge_done(conn: aiosqlite.Connection, before: str) -> int:
    cur = await conn.execute("DELETE FROM inbox WHERE state = 'done' AND done_at < ?", (before,))
    return cur.rowcount


async def last_update_id(conn: aiosqlite.Connection) -> int:
    async with conn.execute("SELECT COALESCE(MAX(update_id), 0) FROM inbox") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0
