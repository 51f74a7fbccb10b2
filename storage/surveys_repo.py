"""The feedback survey after a group ends: who was asked (once), the ratings
while a learner is still answering, and the answers, which carry no identity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiosqlite

QUESTIONS = ("content", "teacher", "organisation")


@dataclass(frozen=True)
class Invitee:
    registration_id: int
    user_id: int
    programme_id: str
    group_id: str
    lang: str


@dataclass(frozen=True)
class Draft:
    """An invitation being answered: the ratings given so far."""

    registration_id: int
    programme_id: str
    group_id: str
    lang: str
    ratings: dict[str, int]
    answered: bool
    rated_at: str | None


@dataclass(frozen=True)
class Answer:
    programme_id: str
    group_id: str
    lang: str
    ratings: dict[str, int | None]
    comment: str | None
    day: str


async def uninvited(conn: aiosqlite.Connection, group_ids: list[str], limit: int) -> list[Invitee]:
    """Confirmed participants of these groups not asked yet."""
    if not group_ids:
        return []
    marks = ", ".join("?" * len(group_ids))
    async with conn.execute(
        "SELECT r.id, r.user_id, r.programme_id, r.group_id, r.lang FROM registrations r "
        "LEFT JOIN survey_invitations i ON i.registration_id = r.id "
        f"WHERE r.status = 'confirmed' AND r.group_id IN ({marks}) AND i.registration_id IS NULL "
        "ORDER BY r.id LIMIT ?",
        (*group_ids, limit),
    ) as cur:
        return [Invitee(int(a), int(b), str(c), str(d), str(e)) async for a, b, c, d, e in cur]


async def invite(conn: aiosqlite.Connection, registration_id: int, now: str) -> bool:
    """Record that the learner is asked; False when they were already."""
    cur = await conn.execute(
        "INSERT INTO survey_invitations(registration_id, sent_at) VALUES (?, ?) "
        "ON CONFLICT(registration_id) DO NOTHING",
        (registration_id, now),
    )
    return cur.rowcount == 1


async def draft(conn: aiosqlite.Connection, registration_id: int, user_id: int) -> Draft | None:
    """The learner's own invitation (None for someone else's or none)."""
    async with conn.execute(
        "SELECT i.registration_id, r.programme_id, r.group_id, r.lang, "
        "i.content, i.teacher, i.organisation, i.answered, i.rated_at "
        "FROM survey_invitations i JOIN registrations r ON r.id = i.registration_id "
        "WHERE i.registration_id = ? AND r.user_id = ?",
        (registration_id, user_id),
    ) as cur:
        row = await cur.fetchone()
    return _draft(row) if row is not None else None


def _draft(row: Any) -> Draft:
    ratings = {q: int(v) for q, v in zip(QUESTIONS, row[4:7], strict=True) if v is not None}
    return Draft(
        int(row[0]),
        str(row[1]),
        str(row[2]),
        str(row[3]),
        ratings,
        bool(row[7]),
        str(row[8]) if row[8] is not None else None,
    )


async def awaiting_comment(conn: aiosqlite.Connection, user_id: int, since: str) -> Draft | None:
    """The learner's survey waiting for its comment (rated since `since`)."""
    async with conn.execute(
        "SELECT i.registration_id, r.programme_id, r.group_id, r.lang, "
        "i.content, i.teacher, i.organisation, i.answered, i.rated_at "
        "FROM survey_invitations i JOIN registrations r ON r.id = i.registration_id "
        "WHERE r.user_id = ? AND i.answered = 0 AND i.rated_at >= ? "
        "ORDER BY i.rated_at DESC LIMIT 1",
        (user_id, since),
    ) as cur:
        row = await cur.fetchone()
    return _draft(row) if row is not None else None


async def rate(
    conn: aiosqlite.Connection, registration_id: int, question: str, value: int, now: str
) -> None:
    if question not in QUESTIONS:
        raise ValueError(question)
    rated = ", rated_at = ?" if question == QUESTIONS[-1] else ""
    params: tuple[object, ...] = (
        (value, now, registration_id) if rated else (value, registration_id)
    )
    await conn.execute(
        f"UPDATE survey_invitations SET {question} = ?{rated} "
        "WHERE registration_id = ? AND answered = 0",
        params,
    )


async def finish(
    conn: aiosqlite.Connection, registration_id: int, comment: str | None, day: str
) -> bool:
    """Store the answer without identity and clear the invitation's ratings;
    False when it was finished already."""
    async with conn.execute(
        "SELECT r.programme_id, r.group_id, r.lang, i.content, i.teacher, i.organisation "
        "FROM survey_invitations i JOIN registrations r ON r.id = i.registration_id "
        "WHERE i.registration_id = ? AND i.answered = 0",
        (registration_id,),
    ) as cur:
        row = await cur.fetchone()
    if row is None:
        return False
    await conn.execute(
        "INSERT INTO survey_answers(programme_id, group_id, lang, content, teacher, "
        "organisation, comment, day) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (*row, comment, day),
    )
    await conn.execute(
        "UPDATE survey_invitations SET answered = 1, content = NULL, teacher = NULL, "
        "organisation = NULL, rated_at = NULL WHERE registration_id = ?",
        (registration_id,),
    )
    return True


async def stale(conn: aiosqlite.Connection, rated_before: str) -> list[int]:
    """Surveys rated but left without a comment since before this time."""
    async with conn.execute(
        "SELECT registration_id FROM survey_invitations "
        "WHERE answered = 0 AND rated_at IS NOT NULL AND rated_at < ?",
        (rated_before,),
    ) as cur:
        return [int(row[0]) async for row in cur]


async def answers(
    conn: aiosqlite.Connection, programme_id: str | None, group_id: str | None
) -> list[Answer]:
    """The answers, of one programme or group or all, oldest first."""
    where, params = [], []
    if programme_id:
        where.append("programme_id = ?")
        params.append(programme_id)
    if group_id:
        where.append("group_id = ?")
        params.append(group_id)
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    async with conn.execute(
        "SELECT programme_id, group_id, lang, content, teacher, organisation, comment, day "
        f"FROM survey_answers {clause} ORDER BY day, id",
        params,
    ) as cur:
        return [
            Answer(
                str(p),
                str(g),
                str(lang),
                {"content": c, "teacher": t, "organisation": o},
                str(cm) if cm is not None else None,
                str(day),
            )
            async for p, g, lang, c, t, o, cm, day in cur
        ]


async def of_user(conn: aiosqlite.Connection, user_id: int) -> list[dict[str, str | bool]]:
    """The surveys a learner was asked, for /my_data: whether they answered
    (the answers themselves carry no identity, so they cannot be listed)."""
    async with conn.execute(
        "SELECT r.group_id, i.sent_at, i.answered FROM survey_invitations i "
        "JOIN registrations r ON r.id = i.registration_id WHERE r.user_id = ? "
        "ORDER BY i.sent_at",
        (user_id,),
    ) as cur:
        return [
            {"group_id": str(g), "asked_at": str(at), "answered": bool(a)} async for g, at, a in cur
        ]
