"""Votes on the bot's answers ("Was this helpful?"), one per question-log row."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite


@dataclass(frozen=True)
class LoggedQuestion:
    """The question-log row a vote is about: whose it is and what it was."""

    user_id: int | None  # None once the learner erased their data
    text: str
    answered: bool


@dataclass(frozen=True)
class NotHelpful:
    """A question whose answer the learner marked as not helpful."""

    question_id: int
    asked_at: str
    voted_at: str
    lang: str
    text: str
    top_type: str | None
    top_id: str | None


async def question(conn: aiosqlite.Connection, question_id: int) -> LoggedQuestion | None:
    async with conn.execute(
        "SELECT user_id, text, answered FROM question_log WHERE id = ?", (question_id,)
    ) as cur:
        row = await cur.fetchone()
    if row is None:
        return None
    return LoggedQuestion(int(row[0]) if row[0] is not None else None, str(row[1]), bool(row[2]))


async def add(
    conn: aiosqlite.Connection,
    question_id: int,
    user_id: int,
    vote: str,
    now: str,
    press_id: str | None,
) -> bool:
    """Store the vote; False when this answer has one already (it is kept as it was)."""
    cur = await conn.execute(
        "INSERT INTO answer_feedback(question_id, user_id, vote, voted_at, press_id) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(question_id) DO NOTHING",
        (question_id, user_id, vote, now, press_id),
    )
    return cur.rowcount == 1


async def press_of(conn: aiosqlite.Connection, question_id: int) -> str | None:
    """The press that gave the answer's vote, if any."""
    async with conn.execute(
        "SELECT press_id FROM answer_feedback WHERE question_id = ?", (question_id,)
    ) as cur:
        row = await cur.fetchone()
    return str(row[0]) if row and row[0] is not None else None


async def not_helpful(conn: aiosqlite.Connection, limit: int) -> list[NotHelpful]:
    """The latest 👎 answers, newest vote first; erased questions (no words) left out."""
    async with conn.execute(
        "SELECT q.id, q.asked_at, f.voted_at, q.lang, q.text, q.top_type, q.top_id "
        "FROM answer_feedback f JOIN question_log q ON q.id = f.question_id "
        "WHERE f.vote = 'down' AND q.text != '' ORDER BY f.voted_at DESC, q.id DESC LIMIT ?",
        (limit,),
    ) as cur:
        rows = await cur.fetchall()
    return [
        NotHelpful(
            int(r[0]),
            str(r[1]),
            str(r[2]),
            str(r[3]),
            str(r[4]),
            str(r[5]) if r[5] is not None else None,
            str(r[6]) if r[6] is not None else None,
        )
        for r in rows
    ]


async def per_week(conn: aiosqlite.Connection, since: str) -> list[tuple[str, int, int]]:
    """(week's Monday, votes, 👎 votes) since an ISO date, by when the vote was given."""
    async with conn.execute(
        "SELECT date(voted_at, 'weekday 0', '-6 days') AS week, COUNT(*), "
        "SUM(vote = 'down') FROM answer_feedback WHERE voted_at >= ? GROUP BY week ORDER BY week",
        (since,),
    ) as cur:
        return [(str(r[0]), int(r[1]), int(r[2])) for r in await cur.fetchall()]


async def export(conn: aiosqlite.Connection, user_id: int) -> list[dict[str, str]]:
    """The learner's votes with the question each was about (for /my_data)."""
    async with conn.execute(
        "SELECT f.voted_at, f.vote, q.text, q.top_type, q.top_id FROM answer_feedback f "
        "JOIN question_log q ON q.id = f.question_id WHERE f.user_id = ? ORDER BY f.voted_at",
        (user_id,),
    ) as cur:
        rows = await cur.fetchall()
    return [
        {
            "voted_at": str(r[0]),
            "vote": str(r[1]),
            "question": str(r[2]),
            "answer_type": str(r[3]) if r[3] is not None else "",
            "answer_id": str(r[4]) if r[4] is not None else "",
        }
        for r in rows
    ]


async def erase(conn: aiosqlite.Connection, user_id: int) -> int:
    """Delete the learner's votes; how many."""
    cur = await conn.execute("DELETE FROM answer_feedback WHERE user_id = ?", (user_id,))
    return cur.rowcount
