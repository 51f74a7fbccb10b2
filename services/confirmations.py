"""Final buttons that act once: each request has a random nonce carried in its
buttons' callback data, and only the learner's newest open request acts.

Telegram delivers a press of any button still on screen: the other button of
the same message after one was pressed, a message shown before a newer one,
a duplicate press. Such a press must not act, and the learner is told what
actually happened to that request.
"""

from __future__ import annotations

import datetime as dt
import secrets
from enum import StrEnum

from services.clock import Clock
from storage import confirmations_repo
from storage.database import Database

FORGET = "forget"


class Fate(StrEnum):
    """What became of a request, as its button is pressed."""

    OPEN = "open"  # the learner's current request: the press acts
    KEPT = "kept"  # answered "no": the data was kept
    ERASED = "erased"  # the learner's data was erased since
    NEWER = "newer"  # a newer request of the same kind is open
    GONE = "gone"  # unknown nonce (an old or forged button)


def new_nonce() -> str:
    """A short random token for callback data (72 bits, no '|')."""
    return secrets.token_urlsafe(9)


class ConfirmationService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def open(self, user_id: int, kind: str) -> tuple[str, list[int]]:
        """A new request: its nonce, and the messages of the requests it
        replaces (their buttons no longer act)."""
        nonce = new_nonce()
        now = self.clock.now().astimezone(dt.UTC).isoformat()
        async with self.db.transaction() as conn:
            replaced = await confirmations_repo.open_request(conn, nonce, kind, user_id, now)
        return nonce, replaced

    async def shown(self, nonce: str, message_id: int) -> None:
        async with self.db.transaction() as conn:
            await confirmations_repo.shown_in(conn, nonce, message_id)

    async def fate(
        self, user_id: int, kind: str, nonce: str, message_id: int | None = None
    ) -> tuple[Fate, str]:
        """What became of the request behind a pressed button, and the nonce
        to act on (OPEN). A request replaced by one shown in the very same
        message (the command handled again after a crash, whose reply was
        already sent) is that one."""
        row = await confirmations_repo.get(self.db.reader, nonce) if nonce else None
        if row is None or row.kind != kind:
            return Fate.GONE, nonce
        if row.user_id is None or row.state == "erased":
            return Fate.ERASED, nonce
        if row.user_id != user_id:
            return Fate.GONE, nonce  # another learner's request: a forged press
        if row.state == "open":
            return Fate.OPEN, nonce
        if row.state == "kept":
            return Fate.KEPT, nonce
        # Superseded: the truth is what became of the newest request.
        latest = await confirmations_repo.latest(self.db.reader, user_id, kind)
        if latest is None:
            return Fate.GONE, nonce
        if latest.state == "open":
            same_message = message_id is not None and latest.message_id == message_id
            return (Fate.OPEN if same_message else Fate.NEWER), latest.nonce
        return (Fate.KEPT if latest.state == "kept" else Fate.GONE), nonce

    async def keep(self, user_id: int, nonce: str) -> bool:
        """Close the request as answered "no"; False when it was not open."""
        async with self.db.transaction() as conn:
            return await confirmations_repo.keep(conn, nonce, user_id)

    async def erased(self, nonce: str) -> None:
        """Close the request as carried out. The erasure already unlinked the
        learner's requests (their learners row is gone)."""
        async with self.db.transaction() as conn:
            await confirmations_repo.erased(conn, nonce)
