"""Requests behind final buttons (/forget's confirmation): one open per learner and kind."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite


@dataclass(frozen=True)
class ConfirmationRow:
    nonce: str
    kind: str
    user_id: int | None  # None: the learner's data was erased since
    state: str
    message_id: int | None


async def get(conn: aiosqlite.Connection, nonce: str) -> ConfirmationRow | None:
    async with conn.execute(
        "SELECT nonce, kind, user_id, state, message_id FROM confirmations WHERE nonce = ?",
        (nonce,),
    ) as cur:
        row = await cur.fetchone()
    return ConfirmationRow(*row) if row else None


async def latest(conn: aiosqlite.Connection, user_id: int, kind: str) -> ConfirmationRow | None:
    async with conn.execute(
        "SELECT nonce, kind, user_id, state, message_id FROM confirmations "
        "WHERE user_id = ? AND kind = ? ORDER BY rowid DESC LIMIT 1",
        (user_id, kind),
    ) as cur:
        row = await cur.fetchone()
    return ConfirmationRow(*row) if row else None


async def open_request(
    conn: aiosqlite.Connection, nonce: str, kind: str, user_id: int, now: str
) -> list[int]:
    """Open a new request, superseding the learner's open ones of that kind;
    the messages of those (to take their buttons away)."""
    async with conn.execute(
        "SELECT message_id FROM confirmations WHERE user_id = ? AND kind = ? AND state = 'open' "
        "AND message_id IS NOT NULL",
        (user_id, kind),
    ) as cur:
        superseded = [int(r[0]) for r in await cur.fetchall()]
    await conn.execute(
        "UPDATE confirmations SET state = 'superseded' "
        "WHERE user_id = ? AND kind = ? AND state = 'open'",
        (user_id, kind),
    )
    # The learner is normally known already (every update records them);
    # the reference needs the row.
    await conn.execute(
        "INSERT INTO learners(user_id, first_seen, last_seen) VALUES (?, ?, ?) "
        "ON CONFLICT(user_id) DO NOTHING",
        (user_id, now, now),
    )
    await conn.execute(
        "INSERT INTO confirmations(nonce, kind, user_id, state, created_at) "
        "VALUES (?, ?, ?, 'open', ?)",
        (nonce, kind, user_id, now),
    )
    return superseded


async def shown_in(conn: aiosqlite.Connection, nonce: str, message_id: int) -> None:
    await conn.execute(
        "UPDATE confirmations SET message_id = ? WHERE nonce = ?", (message_id, nonce)
    )


async def keep(conn: aiosqlite.Connection, nonce: str, user_id: int) -> bool:
    """Close the learner's open request as answered "no"; False when it was
    not open or not theirs."""
    cur = await conn.execute(
        "UPDATE confirmations SET state = 'kept' WHERE nonce = ? AND state = 'open' "
        "AND user_id = ?",
        (nonce, user_id),
    )
    return cur.rowcount > 0


async def erased(conn: aiosqlite.Connection, nonce: str) -> None:
    """Close a request as carried out; it keeps no user id."""
    await conn.execute(
        "UPDATE confirmations SET state = 'erased', user_id = NULL WHERE nonce = ?", (nonce,)
    )
