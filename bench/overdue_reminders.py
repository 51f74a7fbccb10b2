"""A database with reminders that fell due while the bot was down: shared by
the kill -9 benchmark and its test (issue 4)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from emulator import BotApiEmulator
from services.clock import SystemClock, epoch
from services.container import Services
from storage import reminders_repo

GROUP = "driving-b-2027-01-evening"
SESSION = "driving-b-2027-01-evening-theory-01"
SESSION_STARTS = dt.datetime(2027, 1, 11, 15, 30, tzinfo=dt.UTC)


async def prepare(
    db: Path,
    emulator: BotApiEmulator,
    catalogue: Path,
    *,
    first: int,
    due: int,
    started: int,
    overdue_seconds: int,
) -> None:
    """`due` reminders of a session still ahead, `overdue_seconds` late, and
    `started` of a session that has begun; learners from `first` on."""
    services = Services.create(db, SystemClock())
    await services.start(catalogue)
    now = epoch(dt.datetime.now(dt.UTC))
    rows = [
        (first + i, GROUP, SESSION, "1h", epoch(SESSION_STARTS), now - overdue_seconds)
        for i in range(due)
    ]
    rows += [
        (first + due + i, GROUP, SESSION, "evening", now - 600, now - 900) for i in range(started)
    ]
    async with services.db.transaction() as conn:
        await reminders_repo.plan(conn, rows, now)
        # Without quiet hours: a late reminder inside them would wait for
        # their end, and this must not depend on the hour it runs at.
        for user_id in {row[0] for row in rows}:
            await reminders_repo.set_quiet_hours(conn, user_id, "00:00", "00:00", "-")
    await services.close()
    for i in range(due + started):
        emulator.state.ensure_private_chat(first + i)


def states(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT state, COUNT(*) FROM reminders GROUP BY state").fetchall())
