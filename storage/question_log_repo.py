"""The question log: what learners asked and whether the bot could answer."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite


@dataclass(frozen=True)
class QuestionRecord:
    update_id: int | None
    chat_id: int | None
    message_id: int | None
    user_id: int | None
    lang: str
    text: str
    intent: str
    top_type: str | None
    top_id: str | None
    score: float | None
    answered: bool
    asked_at: str
    # As the conversation classifier told it; None when it could not.
    detected_lang: str | None = None


async def add(conn: aiosqlite.Connection, q: QuestionRecord) -> None:
    # Keyed by the message: handling a replayed update logs the question once.
    await conn.execute(
        "INSERT INTO question_log(update_id, chat_id, message_id, user_id, lang, text, intent, "
        "top_type, top_id, score, answered, asked_at, detected_lang) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(chat_id, message_id) DO NOTHING",
        (
            q.update_id,
            q.chat_id,
            q.message_id,
            q.user_id,
            q.lang,
            q.text,
            q.intent,
            q.top_type,
            q.top_id,
            q.score,
            int(q.answered),
            q.asked_at,
            q.detected_lang,
        ),
    )


async def unanswered(conn: aiosqlite.Connection, limit: int = 100) -> list[QuestionRecord]:
    async with conn.execute(
        "SELECT update_id, chat_id, message_id, user_id, lang, text, intent, top_type, top_id, "
        "score, answered, asked_at, detected_lang FROM question_log WHERE answered = 0 "
        "ORDER BY asked_at DESC LIMIT ?",
        (limit,),
    ) as cur:
        rows = await cur.fetchall()
    return [
        QuestionRecord(  # type: ignore[misc]
            *r[:10], answered=bool(r[10]), asked_at=r[11], detected_lang=r[12]
        )
        for r in rows
    ]


async def count_for_update(conn: aiosqlite.Connection, update_id: int) -> int:
    async with conn.execute(
        "SELECT COUNT(*) FROM question_log WHERE update_id = ?", (update_id,)
    ) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def last_unanswered_text(conn: aiosqlite.Connection, user_id: int) -> str | None:
    async with conn.execute(
        "SELECT text FROM question_log WHERE user_id = ? AND answered = 0 ORDER BY id DESC LIMIT 1",
        (user_id,),
    ) as cur:
        row = await cur.fetchone()
    return str(row[0]) if row else None


async def unanswered_open(
    conn: aiosqlite.Connection, limit: int = 100
) -> list[tuple[int, QuestionRecord]]:
    """(row id, question) the bot could not answer and staff have not dealt
    with (dismissed or handled), newest first."""
    async with conn.execute(
        "SELECT q.id, q.update_id, q.chat_id, q.message_id, q.user_id, q.lang, q.text, q.intent, "
        "q.top_type, q.top_id, q.score, q.answered, q.asked_at, q.detected_lang "
        "FROM question_log q LEFT JOIN unanswered_marks m ON m.question_id = q.id "
        "WHERE q.answered = 0 AND m.question_id IS NULL ORDER BY q.asked_at DESC LIMIT ?",
        (limit,),
    ) as cur:
        rows = await cur.fetchall()
    return [
        (
            int(r[0]),
            QuestionRecord(  # type: ignore[misc]
                *r[1:11], answered=bool(r[11]), asked_at=r[12], detected_lang=r[13]
            ),
        )
        for r in rows
    ]


async def mark(
    conn: aiosqlite.Connection, question_ids: list[int], state: str, actor_id: int, at: str
) -> int:
    """Set questions aside from the work list: 'dismissed' or 'handled'."""
    marked = 0
    for question_id in question_ids:
        cur = await conn.execute(
            "INSERT OR IGNORE INTO unanswered_marks(question_id, state, actor_id, at) "
            "SELECT id, ?, ?, ? FROM question_log WHERE id = ?",
            (state, actor_id, at, question_id),
        )
        marked += cur.rowcount
    return marked


async def unanswered_per_week(conn: aiosqlite.Connection, since: str) -> list[tuple[str, int]]:
    """(week's Monday, questions the bot could not answer) since an ISO date."""
    async with conn.execute(
        "SELECT date(asked_at, 'weekday 0', '-6 days') AS week, COUNT(*) FROM question_log "
        "WHERE NOT answered AND asked_at >= ? GROUP BY week ORDER BY week",
        (since,),
    ) as cur:
        return [(str(r[0]), int(r[1])) for r in await cur.fetchall()]


async def id_for_message(conn: aiosqlite.Connection, chat_id: int, message_id: int) -> int | None:
    """The log row of the question a message asked (found again after a replay too)."""
    async with conn.execute(
        "SELECT id FROM question_log WHERE chat_id = ? AND message_id = ?", (chat_id, message_id)
    ) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else None


async def learners_per_language(conn: aiosqlite.Connection) -> list[tuple[str, int]]:
    """(detected language, learners who wrote in it), most learners first. A learner
    counts once per language; an erased one (no user id) once per message."""
    async with conn.execute(
        "SELECT detected_lang, COUNT(DISTINCT COALESCE(user_id, -id)) FROM question_log "
        "WHERE detected_lang IS NOT NULL GROUP BY detected_lang ORDER BY 2 DESC, 1",
    ) as cur:
        return [(str(r[0]), int(r[1])) for r in await cur.fetchall()]
