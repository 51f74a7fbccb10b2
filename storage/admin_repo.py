"""The web console's sign-in links, sessions, passwords and failed sign-ins."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite


@dataclass(frozen=True)
class SessionRow:
    user_id: int
    csrf: str
    lang: str
    created_at: int
    last_seen: int


async def add_link(
    conn: aiosqlite.Connection, token_hash: str, user_id: int, now: int, expires_at: int
) -> None:
    await conn.execute(
        "INSERT INTO admin_links(token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        (token_hash, user_id, now, expires_at),
    )


async def use_link(conn: aiosqlite.Connection, token_hash: str, now: int) -> int | None:
    """The link's user, marking it used; None if unknown, used or expired."""
    cur = await conn.execute(
        "UPDATE admin_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL "
        "AND expires_at > ? RETURNING user_id",
        (now, token_hash, now),
    )
    row = await cur.fetchone()
    return int(row[0]) if row else None


async def link_usable(conn: aiosqlite.Connection, token_hash: str, now: int) -> bool:
    """Whether the link could still sign someone in (nothing is changed)."""
    async with conn.execute(
        "SELECT 1 FROM admin_links WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
        (token_hash, now),
    ) as cur:
        return await cur.fetchone() is not None


async def add_session(
    conn: aiosqlite.Connection, id_hash: str, user_id: int, csrf: str, lang: str, now: int
) -> None:
    await conn.execute(
        "INSERT INTO admin_sessions(id_hash, user_id, csrf, lang, created_at, last_seen) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (id_hash, user_id, csrf, lang, now, now),
    )


async def session(conn: aiosqlite.Connection, id_hash: str) -> SessionRow | None:
    async with conn.execute(
        "SELECT user_id, csrf, lang, created_at, last_seen FROM admin_sessions "
        "WHERE id_hash = ? AND ended_at IS NULL",
        (id_hash,),
    ) as cur:
        row = await cur.fetchone()
    return (
        SessionRow(int(row[0]), str(row[1]), str(row[2]), int(row[3]), int(row[4])) if row else None
    )


async def touch_session(conn: aiosqlite.Connection, id_hash: str, now: int) -> None:
    await conn.execute("UPDATE admin_sessions SET last_seen = ? WHERE id_hash = ?", (now, id_hash))


async def set_session_lang(conn: aiosqlite.Connection, id_hash: str, lang: str) -> None:
    await conn.execute("UPDATE admin_sessions SET lang = ? WHERE id_hash = ?", (lang, id_hash))


async def end_session(conn: aiosqlite.Connection, id_hash: str, now: int) -> bool:
    cur = await conn.execute(
        "UPDATE admin_sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL",
        (now, id_hash),
    )
    return cur.rowcount > 0


async def end_other_sessions(
    conn: aiosqlite.Connection, user_id: int, keep_hash: str, now: int
) -> int:
    cur = await conn.execute(
        "UPDATE admin_sessions SET ended_at = ? WHERE user_id = ? AND id_hash != ? "
        "AND ended_at IS NULL",
        (now, user_id, keep_hash),
    )
    return cur.rowcount


async def password_hash(conn: aiosqlite.Connection, user_id: int) -> str | None:
    async with conn.execute(
        "SELECT hash FROM admin_passwords WHERE user_id = ?", (user_id,)
    ) as cur:
        row = await cur.fetchone()
    return str(row[0]) if row else None


async def set_password_hash(
    conn: aiosqlite.Connection, user_id: int, hashed: str, now: int
) -> None:
    await conn.execute(
        "INSERT INTO admin_passwords(user_id, hash, set_at) VALUES (?, ?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at",
        (user_id, hashed, now),
    )


async def add_failure(conn: aiosqlite.Connection, key: str, now: int) -> int:
    cur = await conn.execute("INSERT INTO sign_in_failures(key, at) VALUES (?, ?)", (key, now))
    return int(cur.lastrowid or 0)


async def drop_failures(conn: aiosqlite.Connection, ids: list[int]) -> None:
    await conn.executemany("DELETE FROM sign_in_failures WHERE id = ?", [(i,) for i in ids])


async def failures_since(conn: aiosqlite.Connection, key: str, since: int) -> int:
    async with conn.execute(
        "SELECT COUNT(*) FROM sign_in_failures WHERE key = ? AND at > ?", (key, since)
    ) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def forget_failures(conn: aiosqlite.Connection, before: int) -> None:
    await conn.execute("DELETE FROM sign_in_failures WHERE at <= ?", (before,))
