"""What monitoring reads from the database (metrics and the health check)."""

from __future__ import annotations

import datetime as dt

import aiosqlite

from storage.backup import LAST_BACKUP_KEY

HEALTH_PROBE_KEY = "health_probe"


async def queued(conn: aiosqlite.Connection, now: dt.datetime) -> dict[str, int]:
    """Work waiting to go out, by kind: updates not handled yet, recipients of
    running broadcasts not sent yet, notices whose time has come."""
    epoch = int(now.timestamp())
    async with conn.execute(
        "SELECT"
        " (SELECT COUNT(*) FROM inbox WHERE state = 'pending'),"
        " (SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')),"
        " (SELECT COUNT(*) FROM notices WHERE state = 'planned' AND send_after <= ?)",
        (epoch,),
    ) as cur:
        row = await cur.fetchone()
    assert row is not None
    return {"update": int(row[0]), "broadcast": int(row[1]), "notice": int(row[2])}


async def reminders_due(conn: aiosqlite.Connection, now: dt.datetime) -> int:
    """Planned reminders whose time has come (sent within seconds when all is well)."""
    async with conn.execute(
        "SELECT COUNT(*) FROM reminders WHERE state = 'planned' AND fire_at <= ?",
        (int(now.timestamp()),),
    ) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def last_backup(conn: aiosqlite.Connection) -> dt.datetime | None:
    async with conn.execute("SELECT value FROM meta WHERE key = ?", (LAST_BACKUP_KEY,)) as cur:
        row = await cur.fetchone()
    return dt.datetime.fromisoformat(str(row[0])) if row else None


async def probe_write(conn: aiosqlite.Connection, now: dt.datetime) -> None:
    """A real write (committed by the caller): the health check's proof that
    the database takes writes, and a heartbeat for the replica to carry."""
    await conn.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (HEALTH_PROBE_KEY, now.isoformat()),
    )
