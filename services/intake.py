"""Durable intake of incoming updates and a journal of what was sent for them."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence
from typing import Any

from services.clock import Clock
from storage import inbox_repo
from storage.database import Database

log = logging.getLogger(__name__)


def sender(update: dict[str, Any]) -> int | None:
    """The Telegram user an update comes from, whatever kind of update it is."""
    for key, value in update.items():
        if key != "update_id" and isinstance(value, dict):
            user = value.get("from") or value.get("user")
            if isinstance(user, dict) and isinstance(user.get("id"), int):
                return int(user["id"])
    return None


# An update that crashed the bot this many times is set aside for a person
# to look at instead of being replayed at every start.
MAX_ATTEMPTS = 3
# Telegram keeps an unconfirmed update for at most 24 hours, so a finished one
# older than that can never come again; keeping its id longer would only
# risk dropping a new update after Telegram restarts its id sequence.
DONE_RETENTION = dt.timedelta(hours=24)


class IntakeService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def store(self, updates: Sequence[dict[str, Any]]) -> set[int]:
        """Commit new updates (as Telegram sent them); returns the ids not seen before."""
        rows = [
            (int(u["update_id"]), json.dumps(u, ensure_ascii=False), sender(u)) for u in updates
        ]
        async with self.db.transaction() as conn:
            return await inbox_repo.store(conn, rows, self.clock.now().isoformat())

    async def done(self, update_id: int) -> None:
        async with self.db.transaction() as conn:
            await inbox_repo.mark_done(conn, update_id, self.clock.now().isoformat())

    async def purge_consumed(self) -> int:
        """Drop finished updates older than DONE_RETENTION: they hold names and
        message texts that are no longer needed."""
        before = (self.clock.now() - DONE_RETENTION).isoformat()
        async with self.db.transaction() as conn:
            return await inbox_repo.purge_done(conn, before)

    async def unfinished(self) -> list[tuple[int, str]]:
        """Updates received but not finished before the last stop, oldest first."""
        await self.purge_consumed()
        async with self.db.transaction() as conn:
            given_up = await inbox_repo.give_up(conn, MAX_ATTEMPTS)
            rows = await inbox_repo.pending(conn)
        if given_up:
            log.warning(
                "%d updates crashed the bot %d times each; set aside as failed",
                given_up,
                MAX_ATTEMPTS,
            )
        return rows

    async def attempt(self, update_id: int) -> None:
        """Handling of a left-over update begins (counted: see MAX_ATTEMPTS)."""
        async with self.db.transaction() as conn:
            await inbox_repo.bump_attempts(conn, [update_id])

    async def sending(
        self,
        update_id: int,
        seq: int,
        method: str,
        delivered: Sequence[tuple[int, str]] = (),
    ) -> None:
        """Record, before the request, that a reply is being handed to Telegram,
        together with the earlier replies of this update that Telegram has
        since confirmed (one commit instead of one per confirmation)."""
        async with self.db.transaction() as conn:
            for earlier, result in delivered:
                await inbox_repo.journal_sent(conn, update_id, earlier, result)
            await inbox_repo.journal_sending(conn, update_id, seq, method)

    async def not_sent(self, update_id: int, seq: int) -> None:
        """The request failed: a later attempt may send it."""
        async with self.db.transaction() as conn:
            await inbox_repo.journal_forget(conn, update_id, seq)

    async def uncertain(self, update_id: int, seq: int, method: str) -> None:
        """A reply was being handed over when the bot died; it is not repeated."""
        async with self.db.transaction() as conn:
            await inbox_repo.note_uncertain(
                conn, update_id, seq, method, self.clock.now().isoformat()
            )

    async def journal(self, update_id: int) -> dict[int, tuple[str, str | None]]:
        return await inbox_repo.journal_for(self.db.reader, update_id)

    async def counts(self) -> dict[str, int]:
        return await inbox_repo.counts(self.db.reader)

    async def last_update_id(self) -> int:
        return await inbox_repo.last_update_id(self.db.reader)
