"""Is the bot healthy: its database takes writes and Telegram answered it
recently. (That the event loop answers is shown by the check being answered
at all: it runs on the bot's own loop.)"""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass

from services import metrics
from services.clock import Clock
from storage import ops_repo
from storage.database import Database

# A write that takes longer than this counts as failed (a stuck disk).
WRITE_TIMEOUT = 5.0


@dataclass(frozen=True)
class Health:
    ok: bool
    # One line per check: "ok", or what is wrong (no personal data).
    checks: dict[str, str]


async def check(db: Database, clock: Clock, telegram_max_age: float) -> Health:
    checks = {
        "database": await _database(db, clock),
        "telegram": _telegram(telegram_max_age),
    }
    return Health(all(v == "ok" for v in checks.values()), checks)


async def _database(db: Database, clock: Clock) -> str:
    try:
        async with asyncio.timeout(WRITE_TIMEOUT):
            async with db.transaction() as conn:
                await ops_repo.probe_write(conn, clock.now())
    except TimeoutError:
        return f"a write took more than {WRITE_TIMEOUT:.0f} s"
    except (sqlite3.Error, OSError, RuntimeError) as exc:
        return f"not writable: {exc}"
    return "ok"


def _telegram(max_age: float) -> str:
    age = metrics.telegram_age()
    if age is None:
        return "no successful call to Telegram yet"
    if age > max_age:
        return f"last successful call to Telegram {age:.0f} s ago"
    return "ok"
