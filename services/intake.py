"""Durable intake of incoming updates and a journal of what was sent for them.

Every update is committed before Telegram is told we have it and is finished
(done, or set aside as failed) exactly once. An update the bot cannot parse
or handle is tried MAX_ATTEMPTS times and then set aside, never fatal: other
learners' updates keep flowing and start-up never stops on a stored update.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence
from typing import Any

from services import metrics
from services.clock import Clock
from storage import inbox_repo
from storage.database import Database
from storage.inbox_repo import Incoming

log = logging.getLogger(__name__)

# The Bot API promises identifiers of at most 52 significant bits; anything
# larger did not come from Telegram (and would not fit SQLite's integers).
ID_LIMIT = 2**53
# Any integer SQLite can store.
INT_LIMIT = 2**63

# An update that failed this many times (a parse error, a crash of the bot
# while handling it) is set aside for a person to look at.
MAX_ATTEMPTS = 3
# Telegram keeps an unconfirmed update for at most 24 hours, so a finished one
# older than that can never come again and its content is no longer needed.
DONE_RETENTION = dt.timedelta(hours=24)
# Updates set aside stay a week for staff to look into, then go: they hold
# learners' words like any other update.
FAILED_RETENTION = dt.timedelta(days=7)


def _is_id_key(key: str) -> bool:
    return key == "id" or key.endswith("_id")


def implausible(update: dict[str, Any]) -> str | None:
    """Why an update cannot be Telegram's (an integer out of range), or None."""
    stack: list[Any] = [update]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if isinstance(value, int) and not isinstance(value, bool):
                    limit = ID_LIMIT if _is_id_key(str(key)) else INT_LIMIT
                    if abs(value) >= limit:
                        return f"{key} out of range"
                else:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return None


def update_id_of(update: object) -> int | None:
    """The update id, if it is one SQLite can store."""
    if not isinstance(update, dict):
        return None
    value = update.get("update_id")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < INT_LIMIT:
        return None
    return value


def sender(update: dict[str, Any]) -> int | None:
    """The Telegram user an update comes from, whatever kind of update it is."""
    for key, value in update.items():
        if key != "update_id" and isinstance(value, dict):
            user = value.get("from") or value.get("user")
            if isinstance(user, dict):
                uid = user.get("id")
                if isinstance(uid, int) and not isinstance(uid, bool) and abs(uid) < ID_LIMIT:
                    return uid
    return None


class IntakeService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def _now(self) -> str:
        return self.clock.now().isoformat()

    async def store(self, updates: Sequence[dict[str, Any]]) -> list[int | None]:
        """Commit the updates (as Telegram sent them, each with a valid
        update id); for each, its inbox id, or None when it was stored before."""
        rows = []
        for update in updates:
            update_id = update_id_of(update)
            if update_id is None:
                raise ValueError("an update without a usable update_id cannot be stored")
            rows.append(Incoming(update_id, update, sender(update)))
        async with self.db.transaction() as conn:
            ids = await inbox_repo.store(conn, rows, self._now())
        for inbox_id in ids:
            if inbox_id is None:  # a redelivery: nothing handles it
                metrics.update_outcome("ignored")
            else:
                metrics.received(inbox_id)
        return ids

    async def done(self, inbox_id: int) -> None:
        async with self.db.transaction() as conn:
            await inbox_repo.mark_done(conn, inbox_id, self._now())
        metrics.finished(inbox_id)

    async def failed_attempt(self, inbox_id: int, update_id: int, failure: str) -> bool:
        """Parsing or handling failed once more; True when the update is now
        set aside. Logged once, when it is set aside, by ids and the error's
        type only: the update's content is a learner's."""
        async with self.db.transaction() as conn:
            attempts = await inbox_repo.bump_attempts(conn, inbox_id)
            if attempts < MAX_ATTEMPTS:
                metrics.update_outcome("failed")
                return False
            await inbox_repo.set_aside(conn, inbox_id, failure, self._now())
        metrics.update_outcome("set_aside")
        log.warning(
            "update %s (inbox %s) failed %d times (%s); set aside as failed",
            update_id,
            inbox_id,
            attempts,
            failure,
        )
        return True

    async def purge_consumed(self) -> int:
        """Drop finished updates older than DONE_RETENTION and set-aside ones
        older than FAILED_RETENTION: they hold names and message texts."""
        now = self.clock.now()
        async with self.db.transaction() as conn:
            purged = await inbox_repo.purge_done(conn, "done", (now - DONE_RETENTION).isoformat())
            purged += await inbox_repo.purge_done(
                conn, "failed", (now - FAILED_RETENTION).isoformat()
            )
            return purged

    async def unfinished(self) -> list[tuple[int, dict[str, Any] | None]]:
        """Updates received but not finished before the last stop, oldest
        first: (inbox id, the update, or None if the stored text is unreadable)."""
        await self.purge_consumed()
        async with self.db.transaction() as conn:
            given_up = await inbox_repo.give_up(conn, MAX_ATTEMPTS, self._now())
            rows = await inbox_repo.pending(conn)
        if given_up:
            log.warning(
                "%d updates crashed the bot %d times each; set aside as failed",
                given_up,
                MAX_ATTEMPTS,
            )
        result: list[tuple[int, dict[str, Any] | None]] = []
        for inbox_id, payload in rows:
            try:
                update = json.loads(payload)
            except ValueError:
                update = None
            result.append((inbox_id, update if isinstance(update, dict) else None))
        return result

    async def attempt(self, inbox_id: int) -> None:
        """Handling of a left-over update begins (counted: see MAX_ATTEMPTS)."""
        async with self.db.transaction() as conn:
            await inbox_repo.bump_attempts(conn, inbox_id)

    async def sending(
        self,
        inbox_id: int,
        seq: int,
        method: str,
        delivered: Sequence[tuple[int, str]] = (),
    ) -> None:
        """Record that a reply is leaving for Telegram, together with the
        earlier replies of this update that Telegram has since confirmed (one
        commit instead of one per confirmation). Called just before the
        request's bytes are written: when it returns, the record is in the
        file and nothing else has run, so a kill can fall between the two
        only for the microseconds of the write itself."""
        await self.db.commit_now(inbox_repo.on_wire_statements(inbox_id, seq, method, delivered))

    async def not_sent(self, inbox_id: int, seq: int) -> None:
        """The request failed: a later attempt may send it."""
        async with self.db.transaction() as conn:
            await inbox_repo.journal_forget(conn, inbox_id, seq)

    async def uncertain(self, inbox_id: int, seq: int, method: str) -> None:
        """A reply was on its way to Telegram when the bot died; it is not repeated."""
        async with self.db.transaction() as conn:
            await inbox_repo.note_uncertain(conn, inbox_id, seq, method, self._now())

    async def journal(self, inbox_id: int) -> dict[int, tuple[str, str | None]]:
        return await inbox_repo.journal_for(self.db.reader, inbox_id)

    async def counts(self) -> dict[str, int]:
        return await inbox_repo.counts(self.db.reader)

    async def last_update_id(self) -> int:
        return await inbox_repo.last_update_id(self.db.reader)
