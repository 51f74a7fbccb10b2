"""Attendance per session of a group (the `attendance` table), marked by staff."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

STATES = ("present", "absent", "excused")


@dataclass(frozen=True)
class Mark:
    registration_id: int
    session_id: str
    state: str
    actor_id: int
    at: str


async def mark(
    conn: aiosqlite.Connection,
    registration_id: int,
    session_id: str,
    state: str,
    actor_id: int,
    at: str,
) -> None:
    """Record (or change) one participant's attendance of one session."""
    await conn.execute(
        "INSERT INTO attendance(registration_id, session_id, state, actor_id, at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(registration_id, session_id) DO UPDATE "
        "SET state = excluded.state, actor_id = excluded.actor_id, at = excluded.at",
        (registration_id, session_id, state, actor_id, at),
    )


async def of_session(conn: aiosqlite.Connection, group_id: str, session_id: str) -> dict[int, str]:
    """The marks of one session: registration id -> state."""
    async with conn.execute(
        "SELECT a.registration_id, a.state FROM attendance a "
        "JOIN registrations r ON r.id = a.registration_id "
        "WHERE r.group_id = ? AND a.session_id = ?",
        (group_id, session_id),
    ) as cur:
        return {int(row[0]): str(row[1]) async for row in cur}


async def present_counts(conn: aiosqlite.Connection, group_id: str) -> dict[int, int]:
    """Sessions attended per registration of the group."""
    async with conn.execute(
        "SELECT a.registration_id, COUNT(*) FROM attendance a "
        "JOIN registrations r ON r.id = a.registration_id "
        "WHERE r.group_id = ? AND a.state = 'present' GROUP BY a.registration_id",
        (group_id,),
    ) as cur:
        return {int(row[0]): int(row[1]) async for row in cur}


async def of_user(conn: aiosqlite.Connection, user_id: int) -> list[dict[str, str]]:
    """A learner's recorded attendance, for /my_data."""
    async with conn.execute(
        "SELECT r.group_id, a.session_id, a.state, a.at FROM attendance a "
        "JOIN registrations r ON r.id = a.registration_id "
        "WHERE r.user_id = ? ORDER BY r.group_id, a.session_id",
        (user_id,),
    ) as cur:
        return [
            {"group_id": str(g), "session_id": str(s), "state": str(st), "marked_at": str(at)}
            async for g, s, st, at in cur
        ]
