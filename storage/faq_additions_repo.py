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


async def add_entry(
    conn: aiosqlite.Connection,
    entry_id: str,
    topic: str,
    lang: str,
    question: str,
    answers: tuple[str, str],
    actor_id: int,
    now: str,
) -> bool:
    """A new FAQ entry for the next catalogue version; False if the id is taken."""
    cur = await conn.execute(
        "INSERT OR IGNORE INTO faq_new(id, topic, lang, question, answer_lt, answer_en, "
        "actor_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (entry_id, topic, lang, question, answers[0], answers[1], actor_id, now),
    )
    return cur.rowcount > 0


async def new_entries(conn: aiosqlite.Connection) -> list[tuple[str, str, str, str, str, str]]:
    """(id, topic, lang, question, answer lt, answer en), oldest first."""
    async with conn.execute(
        "SELECT id, topic, lang, question, answer_lt, answer_en FROM faq_new ORDER BY at, id"
    ) as cur:
        return [tuple(str(v) for v in r) for r in await cur.fetchall()]  # type: ignore[misc]
