"""Durable intake: updates are kept until their handlers have finished.

Rows are identified by their own `id`: Telegram's update ids can start again
(a quiet week, a restarted API server), so one update id may name two
different updates. A redelivery is the same id with the same content.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aiosqlite

from storage.database import Statement


@dataclass(frozen=True)
class Incoming:
    """An update as Telegram sent it, ready to be stored."""

    update_id: int
    update: dict[str, Any]
    user_id: int | None


async def store(
    conn: aiosqlite.Connection, updates: Sequence[Incoming], now: str
) -> list[int | None]:
    """Insert the updates not seen before; for each, its new inbox id or None
    when it is a redelivery of a stored one (same id, same content)."""
    if not updates:
        return []
    ids = sorted({u.update_id for u in updates})
    placeholders = ",".join("?" * len(ids))
    known: dict[int, list[dict[str, Any]]] = {}
    async with conn.execute(
        f"SELECT update_id, payload FROM inbox WHERE update_id IN ({placeholders})", ids
    ) as cur:
        for update_id, payload in await cur.fetchall():
            known.setdefault(int(update_id), []).append(json.loads(payload))
    result: list[int | None] = []
    for incoming in updates:
        seen = known.setdefault(incoming.update_id, [])
        if incoming.update in seen:
            result.append(None)
            continue
        cur = await conn.execute(
            "INSERT INTO inbox(update_id, payload, user_id, state, received_at) "
            "VALUES (?, ?, ?, 'pending', ?)",
            (
                incoming.update_id,
                json.dumps(incoming.update, ensure_ascii=False),
                incoming.user_id,
                now,
            ),
        )
        seen.append(incoming.update)
        result.append(cur.lastrowid)
    return result


async def mark_done(conn: aiosqlite.Connection, inbox_id: int, now: str) -> None:
    await conn.execute("UPDATE inbox SET state = 'done', done_at = ? WHERE id = ?", (now, inbox_id))
    await conn.execute("DELETE FROM reply_journal WHERE inbox_id = ?", (inbox_id,))


async def pending(conn: aiosqlite.Connection) -> list[tuple[int, str]]:
    """Unfinished updates, oldest first: (inbox id, payload)."""
    async with conn.execute(
        "SELECT id, payload FROM inbox WHERE state = 'pending' ORDER BY id"
    ) as cur:
        return [(int(r[0]), str(r[1])) for r in await cur.fetchall()]


async def bump_attempts(conn: aiosqlite.Connection, inbox_id: int) -> int:
    """Count one more attempt at handling; returns the attempts so far."""
    async with conn.execute(
        "UPDATE inbox SET attempts = attempts + 1 WHERE id = ? RETURNING attempts", (inbox_id,)
    ) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def set_aside(conn: aiosqlite.Connection, inbox_id: int, failure: str, now: str) -> None:
    """An update that cannot be handled is kept for a person, never replayed."""
    await conn.execute(
        "UPDATE inbox SET state = 'failed', failure = ?, done_at = ? WHERE id = ?",
        (failure, now, inbox_id),
    )
    await conn.execute("DELETE FROM reply_journal WHERE inbox_id = ?", (inbox_id,))


async def give_up(conn: aiosqlite.Connection, max_attempts: int, now: str) -> int:
    """Updates that crashed the bot again and again are set aside, not replayed forever."""
    cur = await conn.execute(
        "UPDATE inbox SET state = 'failed', failure = 'crashed the bot', done_at = ? "
        "WHERE state = 'pending' AND attempts >= ?",
        (now, max_attempts),
    )
    return cur.rowcount


def on_wire_statements(
    inbox_id: int, seq: int, method: str, delivered: Sequence[tuple[int, str]]
) -> list[Statement]:
    """The journal's record that a reply is leaving now, with the earlier
    replies of the update Telegram has confirmed since (for Database.commit_now).
    An update erased meanwhile (/forget) gets no record: it cannot come back."""
    statements: list[Statement] = [
        (
            "UPDATE reply_journal SET state = 'sent', result = ? WHERE inbox_id = ? AND seq = ?",
            (result, inbox_id, earlier),
        )
        for earlier, result in delivered
    ]
    statements.append(
        (
            "INSERT INTO reply_journal(inbox_id, seq, method, state) "
            "SELECT ?, ?, ?, 'sending' WHERE EXISTS (SELECT 1 FROM inbox WHERE id = ?) "
            "ON CONFLICT(inbox_id, seq) DO NOTHING",
            (inbox_id, seq, method, inbox_id),
        )
    )
    return statements


async def journal_forget(conn: aiosqlite.Connection, inbox_id: int, seq: int) -> None:
    await conn.execute("DELETE FROM reply_journal WHERE inbox_id = ? AND seq = ?", (inbox_id, seq))


async def journal_for(
    conn: aiosqlite.Connection, inbox_id: int
) -> dict[int, tuple[str, str | None]]:
    """Replies handed to Telegram for an update: order -> (state, API result)."""
    async with conn.execute(
        "SELECT seq, state, result FROM reply_journal WHERE inbox_id = ?", (inbox_id,)
    ) as cur:
        return {int(r[0]): (str(r[1]), r[2]) for r in await cur.fetchall()}


async def note_uncertain(
    conn: aiosqlite.Connection, inbox_id: int, seq: int, method: str, now: str
) -> None:
    await conn.execute(
        "INSERT INTO uncertain_replies(inbox_id, seq, method, noted_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(inbox_id, seq) DO NOTHING",
        (inbox_id, seq, method, now),
    )


async def counts(conn: aiosqlite.Connection) -> dict[str, int]:
    async with conn.execute("SELECT state, COUNT(*) FROM inbox GROUP BY state") as cur:
        return {str(r[0]): int(r[1]) for r in await cur.fetchall()}


async def purge_done(conn: aiosqlite.Connection, state: str, before: str) -> int:
    """Drop finished ('done' or 'failed') updates finished before `before`."""
    cur = await conn.execute("DELETE FROM inbox WHERE state = ? AND done_at < ?", (state, before))
    return cur.rowcount


async def last_update_id(conn: aiosqlite.Connection) -> int:
    async with conn.execute("SELECT COALESCE(MAX(update_id), 0) FROM inbox") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0
