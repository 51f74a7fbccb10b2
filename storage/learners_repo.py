"""Learners: who they are to the bot (a Telegram user id) and their language."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from storage.chunks import rows_by_ids
from storage.enquiry_browse_repo import name_match


@dataclass(frozen=True)
class LearnerRow:
    user_id: int
    language: str | None
    telegram_language: str | None
    inactive: bool = False  # blocked the bot (a 403) and has not written since
    last_seen: str | None = None  # ISO time of the last message kept


async def get(conn: aiosqlite.Connection, user_id: int) -> LearnerRow | None:
    async with conn.execute(
        "SELECT user_id, language, telegram_language, inactive_since IS NOT NULL, last_seen "
        "FROM learners WHERE user_id = ?",
        (user_id,),
    ) as cur:
        row = await cur.fetchone()
    return LearnerRow(row[0], row[1], row[2], bool(row[3]), row[4]) if row else None


async def touch(
    conn: aiosqlite.Connection, user_id: int, telegram_language: str | None, now: str
) -> None:
    await conn.execute(
        "INSERT INTO learners(user_id, telegram_language, first_seen, last_seen) "
        "VALUES (?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET "
        "telegram_language = excluded.telegram_language, last_seen = excluded.last_seen, "
        "inactive_since = NULL",
        (user_id, telegram_language, now, now),
    )


async def set_language(conn: aiosqlite.Connection, user_id: int, language: str, now: str) -> None:
    await conn.execute(
        "INSERT INTO learners(user_id, language, first_seen, last_seen) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET language = excluded.language, "
        "last_seen = excluded.last_seen",
        (user_id, language, now, now),
    )


async def many(conn: aiosqlite.Connection, user_ids: list[int]) -> dict[int, LearnerRow]:
    rows = await rows_by_ids(
        conn,
        "SELECT user_id, language, telegram_language FROM learners WHERE user_id IN ({marks})",
        user_ids,
    )
    return {row[0]: LearnerRow(row[0], row[1], row[2]) for row in rows}


async def active_since(conn: aiosqlite.Connection, since: str) -> int:
    """Learners who wrote since an ISO time and have not blocked the bot."""
    async with conn.execute(
        "SELECT COUNT(*) FROM learners WHERE last_seen >= ? AND inactive_since IS NULL", (since,)
    ) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def find(
    conn: aiosqlite.Connection, query: str, phone: str | None = None, limit: int = 50
) -> list[int]:
    """Learners by Telegram id, or by the name (diacritics folded) or phone
    (`phone`: the query read as one, normalised) they gave in an enquiry."""
    ids: list[int] = []
    if query.isascii() and query.isdigit() and len(query) <= 18:
        async with conn.execute(
            "SELECT user_id FROM learners WHERE user_id = ?", (int(query),)
        ) as cur:
            ids.extend(int(r[0]) for r in await cur.fetchall())
    pattern = "%" + query.replace("%", "").replace("_", "") + "%"
    names = name_match(query)
    async with conn.execute(
        "SELECT DISTINCT user_id FROM enquiries WHERE user_id IS NOT NULL "
        "AND (phone = ? OR phone LIKE ? OR id IN "
        "(SELECT rowid FROM enquiries_fts WHERE enquiries_fts MATCH ?)) "
        "ORDER BY user_id LIMIT ?",
        (phone, pattern, names or '""', limit),
    ) as cur:
        ids.extend(int(r[0]) for r in await cur.fetchall() if int(r[0]) not in ids)
    return ids[:limit]


async def names_given(conn: aiosqlite.Connection, user_ids: list[int]) -> dict[int, str]:
    """The name each learner gave in their newest enquiry that has one."""
    if not user_ids:
        return {}
    marks = ",".join("?" * len(user_ids))
    names: dict[int, str] = {}
    async with conn.execute(
        f"SELECT user_id, name FROM enquiries WHERE user_id IN ({marks}) "
        "AND name IS NOT NULL AND name != '' ORDER BY created_at, id",
        user_ids,
    ) as cur:
        # Oldest first: the newest name of each learner is written last.
        for user_id, name in await cur.fetchall():
            names[int(user_id)] = str(name)
    return names


async def mark_inactive(conn: aiosqlite.Connection, user_id: int, now: str) -> None:
    """Blocked the bot (a 403): left out of announcements until they write again."""
    await conn.execute(
        "INSERT INTO learners(user_id, inactive_since, first_seen, last_seen) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET inactive_since = excluded.inactive_since",
        (user_id, now, now, now),
    )
