"""Subscriptions, planned reminders, waitlists, change notices, quiet hours."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import aiosqlite

from domain.notices import NoticeRow
from storage.chunks import rows_by_ids


@dataclass(frozen=True)
class Subscriber:
    user_id: int
    choices: str
    quiet_start: str | None
    quiet_end: str | None
    language: str | None
    telegram_language: str | None


@dataclass(frozen=True)
class ReminderRow:
    id: int
    user_id: int
    group_id: str
    session_id: str
    choice: str
    session_starts: int
    fire_at: int
    state: str


_REMINDER = "id, user_id, group_id, session_id, choice, session_starts, fire_at, state"


# -- subscriptions ----------------------------------------------------------


async def subscribe(
    conn: aiosqlite.Connection, user_id: int, group_id: str, choices: str, now: str
) -> None:
    await conn.execute(
        "INSERT INTO subscriptions(user_id, group_id, choices, created_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(user_id, group_id) DO UPDATE SET choices = excluded.choices",
        (user_id, group_id, choices, now),
    )


async def unsubscribe(conn: aiosqlite.Connection, user_id: int, group_id: str) -> bool:
    cur = await conn.execute(
        "DELETE FROM subscriptions WHERE user_id = ? AND group_id = ?", (user_id, group_id)
    )
    return cur.rowcount > 0


async def subscription(conn: aiosqlite.Connection, user_id: int, group_id: str) -> str | None:
    async with conn.execute(
        "SELECT choices FROM subscriptions WHERE user_id = ? AND group_id = ?",
        (user_id, group_id),
    ) as cur:
        row = await cur.fetchone()
    return str(row[0]) if row else None


async def user_subscriptions(conn: aiosqlite.Connection, user_id: int) -> list[tuple[str, str]]:
    """(group id, choices), oldest first."""
    async with conn.execute(
        "SELECT group_id, choices FROM subscriptions WHERE user_id = ? "
        "ORDER BY created_at, group_id",
        (user_id,),
    ) as cur:
        return [(str(r[0]), str(r[1])) for r in await cur.fetchall()]


async def subscribers(conn: aiosqlite.Connection, group_id: str) -> list[Subscriber]:
    async with conn.execute(
        "SELECT s.user_id, s.choices, l.quiet_start, l.quiet_end, l.language, "
        "l.telegram_language FROM subscriptions s LEFT JOIN learners l USING (user_id) "
        "WHERE s.group_id = ? ORDER BY s.user_id",
        (group_id,),
    ) as cur:
        return [Subscriber(*row) for row in await cur.fetchall()]


async def subscriber(conn: aiosqlite.Connection, user_id: int, group_id: str) -> Subscriber | None:
    async with conn.execute(
        "SELECT s.user_id, s.choices, l.quiet_start, l.quiet_end, l.language, "
        "l.telegram_language FROM subscriptions s LEFT JOIN learners l USING (user_id) "
        "WHERE s.group_id = ? AND s.user_id = ?",
        (group_id, user_id),
    ) as cur:
        row = await cur.fetchone()
    return Subscriber(*row) if row else None


# -- quiet hours ------------------------------------------------------------


async def quiet_hours(conn: aiosqlite.Connection, user_id: int) -> tuple[str | None, str | None]:
    async with conn.execute(
        "SELECT quiet_start, quiet_end FROM learners WHERE user_id = ?", (user_id,)
    ) as cur:
        row = await cur.fetchone()
    return (row[0], row[1]) if row else (None, None)


async def set_quiet_hours(
    conn: aiosqlite.Connection, user_id: int, start: str, end: str, now: str
) -> None:
    await conn.execute(
        "INSERT INTO learners(user_id, quiet_start, quiet_end, first_seen, last_seen) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET "
        "quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end",
        (user_id, start, end, now, now),
    )


# -- reminders --------------------------------------------------------------


async def planned(conn: aiosqlite.Connection, user_id: int, group_id: str) -> list[ReminderRow]:
    async with conn.execute(
        f"SELECT {_REMINDER} FROM reminders WHERE user_id = ? AND group_id = ? "
        "AND state = 'planned' ORDER BY fire_at",
        (user_id, group_id),
    ) as cur:
        return [ReminderRow(*row) for row in await cur.fetchall()]


async def plan(
    conn: aiosqlite.Connection,
    rows: Iterable[tuple[int, str, str, str, int, int]],
    now: int,
) -> None:
    """Insert (user, group, session, choice, session_starts, fire_at) as planned.

    A reminder cancelled earlier (unsubscribed, then subscribed again) is
    planned again; one already sent, skipped or in flight is left alone.
    """
    await conn.executemany(
        "INSERT INTO reminders(user_id, group_id, session_id, choice, session_starts, fire_at, "
        "state, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'planned', ?) "
        "ON CONFLICT(user_id, group_id, session_id, choice, session_starts) DO UPDATE SET "
        "fire_at = excluded.fire_at, state = 'planned', updated_at = excluded.updated_at "
        "WHERE reminders.state IN ('planned', 'cancelled')",
        [(*row, now) for row in rows],
    )


async def cancel(conn: aiosqlite.Connection, ids: Iterable[int], now: int) -> int:
    cur = await conn.executemany(
        "UPDATE reminders SET state = 'cancelled', updated_at = ? "
        "WHERE id = ? AND state = 'planned'",
        [(now, i) for i in ids],
    )
    return cur.rowcount


async def cancel_group(conn: aiosqlite.Connection, user_id: int, group_id: str, now: int) -> int:
    cur = await conn.execute(
        "UPDATE reminders SET state = 'cancelled', updated_at = ? "
        "WHERE user_id = ? AND group_id = ? AND state = 'planned'",
        (now, user_id, group_id),
    )
    return cur.rowcount


async def due(conn: aiosqlite.Connection, now: int, limit: int) -> list[ReminderRow]:
    async with conn.execute(
        f"SELECT {_REMINDER} FROM reminders WHERE state = 'planned' AND fire_at <= ? "
        "ORDER BY fire_at, id LIMIT ?",
        (now, limit),
    ) as cur:
        return [ReminderRow(*row) for row in await cur.fetchall()]


async def skip(conn: aiosqlite.Connection, ids: Iterable[int], now: int) -> None:
    await conn.executemany(
        "UPDATE reminders SET state = 'skipped', updated_at = ? WHERE id = ? AND state = 'planned'",
        [(now, i) for i in ids],
    )


async def claim(
    conn: aiosqlite.Connection, reminder_id: int, now: int, fire_at: int | None = None
) -> bool:
    cur = await conn.execute(
        "UPDATE reminders SET state = 'sending', updated_at = ? WHERE id = ? AND state = 'planned' "
        "AND (? IS NULL OR fire_at = ?)",
        (now, reminder_id, fire_at, fire_at),
    )
    return cur.rowcount == 1


async def retime(conn: aiosqlite.Connection, rows: Iterable[tuple[int, int]], now: int) -> None:
    """(id, new fire time) for planned reminders."""
    await conn.executemany(
        "UPDATE reminders SET fire_at = ?, updated_at = ? WHERE id = ? AND state = 'planned'",
        [(fire_at, now, i) for i, fire_at in rows],
    )


async def quiet_hours_many(
    conn: aiosqlite.Connection, user_ids: list[int]
) -> dict[int, tuple[str | None, str | None]]:
    rows = await rows_by_ids(
        conn,
        "SELECT user_id, quiet_start, quiet_end FROM learners WHERE user_id IN ({marks})",
        user_ids,
    )
    return {int(row[0]): (row[1], row[2]) for row in rows}


async def finish(conn: aiosqlite.Connection, reminder_id: int, state: str, now: int) -> None:
    await conn.execute(
        "UPDATE reminders SET state = ?, updated_at = ? WHERE id = ? AND state = 'sending'",
        (state, now, reminder_id),
    )


async def in_flight_to_unknown(conn: aiosqlite.Connection, now: int) -> tuple[int, int]:
    """Reminders and notices a crash left between claim and outcome."""
    cur = await conn.execute(
        "UPDATE reminders SET state = 'unknown', updated_at = ? WHERE state = 'sending'", (now,)
    )
    reminders = cur.rowcount
    cur = await conn.execute(
        "UPDATE notices SET state = 'unknown', updated_at = ? WHERE state = 'sending'", (now,)
    )
    return reminders, cur.rowcount


async def next_fire_times(
    conn: aiosqlite.Connection, until: int, limit: int = 1000
) -> list[tuple[int, int]]:
    """(instant, how many reminders are due then), soonest first."""
    async with conn.execute(
        "SELECT fire_at, COUNT(*) FROM reminders WHERE state = 'planned' AND fire_at <= ? "
        "GROUP BY fire_at ORDER BY fire_at LIMIT ?",
        (until, limit),
    ) as cur:
        return [(int(r[0]), int(r[1])) for r in await cur.fetchall()]


async def count_by_state(conn: aiosqlite.Connection) -> dict[str, int]:
    async with conn.execute("SELECT state, COUNT(*) FROM reminders GROUP BY state") as cur:
        return {str(r[0]): int(r[1]) for r in await cur.fetchall()}


async def get(conn: aiosqlite.Connection, reminder_id: int) -> ReminderRow | None:
    async with conn.execute(
        f"SELECT {_REMINDER} FROM reminders WHERE id = ?", (reminder_id,)
    ) as cur:
        row = await cur.fetchone()
    return ReminderRow(*row) if row else None


# -- waitlist ---------------------------------------------------------------


async def join_waitlist(
    conn: aiosqlite.Connection, user_id: int, programme_id: str, now: str
) -> bool:
    cur = await conn.execute(
        "INSERT OR IGNORE INTO waitlist(user_id, programme_id, created_at) VALUES (?, ?, ?)",
        (user_id, programme_id, now),
    )
    return cur.rowcount == 1


async def leave_waitlist(conn: aiosqlite.Connection, user_id: int, programme_id: str) -> bool:
    cur = await conn.execute(
        "DELETE FROM waitlist WHERE user_id = ? AND programme_id = ?", (user_id, programme_id)
    )
    return cur.rowcount == 1


async def waiting(conn: aiosqlite.Connection, programme_id: str) -> list[int]:
    async with conn.execute(
        "SELECT user_id FROM waitlist WHERE programme_id = ? ORDER BY created_at, user_id",
        (programme_id,),
    ) as cur:
        return [int(r[0]) for r in await cur.fetchall()]


async def clear_waitlist(conn: aiosqlite.Connection, programme_id: str) -> None:
    await conn.execute("DELETE FROM waitlist WHERE programme_id = ?", (programme_id,))


async def user_waitlist(conn: aiosqlite.Connection, user_id: int) -> list[str]:
    async with conn.execute(
        "SELECT programme_id FROM waitlist WHERE user_id = ? ORDER BY created_at", (user_id,)
    ) as cur:
        return [str(r[0]) for r in await cur.fetchall()]


# -- notices ----------------------------------------------------------------


async def add_notices(
    conn: aiosqlite.Connection,
    rows: Iterable[tuple[int, str, str, int]],
    now: int,
) -> None:
    """(user, kind, data JSON, send_after) rows, planned."""
    await conn.executemany(
        "INSERT INTO notices(user_id, kind, data, send_after, state, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, 'planned', ?, ?)",
        [(*row, now, now) for row in rows],
    )


async def due_notices(conn: aiosqlite.Connection, now: int, limit: int) -> list[NoticeRow]:
    async with conn.execute(
        "SELECT id, user_id, kind, data FROM notices WHERE state = 'planned' AND send_after <= ? "
        "ORDER BY send_after, id LIMIT ?",
        (now, limit),
    ) as cur:
        return [NoticeRow(*row) for row in await cur.fetchall()]


async def next_notice_time(conn: aiosqlite.Connection) -> int | None:
    async with conn.execute("SELECT MIN(send_after) FROM notices WHERE state = 'planned'") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row and row[0] is not None else None


async def claim_notice(conn: aiosqlite.Connection, notice_id: int, now: int) -> bool:
    cur = await conn.execute(
        "UPDATE notices SET state = 'sending', updated_at = ? WHERE id = ? AND state = 'planned'",
        (now, notice_id),
    )
    return cur.rowcount == 1


async def finish_notice(conn: aiosqlite.Connection, notice_id: int, state: str, now: int) -> None:
    await conn.execute(
        "UPDATE notices SET state = ?, updated_at = ? WHERE id = ? AND state = 'sending'",
        (state, now, notice_id),
    )


async def user_notices(conn: aiosqlite.Connection, user_id: int) -> list[NoticeRow]:
    async with conn.execute(
        "SELECT id, user_id, kind, data FROM notices WHERE user_id = ? ORDER BY id", (user_id,)
    ) as cur:
        return [NoticeRow(*row) for row in await cur.fetchall()]
