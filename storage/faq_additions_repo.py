"""Unanswered questions' wordings waiting to join an FAQ entry."""

from __future__ import annotations

import aiosqlite


async def add(
    conn: aiosqlite.Connection, faq_id: str, lang: str, text: str, actor_id: int, now: str
) -> bool:
    cur = await conn.execute(
        "INSERT OR IGNORE INTO faq_additions(faq_id, lang, text, actor_id, at) "
        "VALUES (?, ?, ?, ?, ?)",
        (faq_id, lang, text, actor_id, now),
    )
    return cur.rowcount > 0


async def all_(conn: aiosqlite.Connection) -> list[tuple[str, str, str]]:
    """(faq id, lang, text), oldest first."""
    async with conn.execute("SELECT faq_id, lang, text FROM faq_additions ORDER BY id") as cur:
        return [(str(r[0]), str(r[1]), str(r[2])) for r in await cur.fetchall()]
