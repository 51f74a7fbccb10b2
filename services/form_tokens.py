"""One-time tokens for the console's forms that send or change something.

A token is a random nonce signed with the session's secret (so nothing is
written when a page is shown, and a token from another session is worthless).
Its first submission claims it in `used_forms`; every later one (Back and
Send, a reload, a double click) does nothing and is led to where the first
one led. A session lasts 12 hours at most, so a used token is kept a day."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum

from services.clock import Clock, epoch
from storage import forms_repo
from storage.database import Database

KEEP = dt.timedelta(days=1)
# A second click usually arrives while the first is still delivering: it
# waits (at most this long) to be shown what the first one did.
WAIT_FOR_FIRST = 15.0


class Claim(StrEnum):
    FIRST = "first"  # go ahead
    AGAIN = "again"  # used before: do nothing
    FORGED = "forged"  # not signed by this session


@dataclass(frozen=True)
class Used:
    claim: Claim
    # For AGAIN: where the first submission led (None if it never finished).
    result: str | None = None


def _sign(secret: str, nonce: str) -> str:
    return hmac.new(secret.encode(), nonce.encode(), hashlib.sha256).hexdigest()[:32]


def issue(secret: str) -> str:
    """A fresh token for one form, signed with the session's secret."""
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_sign(secret, nonce)}"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def key_of(token: str) -> str:
    """A stable key for what the form records (an answer's source key)."""
    return _digest(token)[:32]


class FormTokens:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        # The token claims being carried out in this process, for a second
        # click to wait on.
        self._running: dict[str, asyncio.Event] = {}

    async def claim(self, secret: str, user_id: int, token: str | None) -> Used:
        nonce, _, mac = (token or "").partition(".")
        if not nonce or not hmac.compare_digest(mac, _sign(secret, nonce)):
            return Used(Claim.FORGED)
        digest = _digest(token or "")
        now = epoch(self.clock.now())
        async with self.db.transaction() as conn:
            first = await forms_repo.claim(conn, digest, user_id, now)
            if first:
                await forms_repo.forget_before(conn, now - int(KEEP.total_seconds()))
        if first:
            self._running[digest] = asyncio.Event()
            return Used(Claim.FIRST)
        running = self._running.get(digest)
        if running is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(running.wait(), WAIT_FOR_FIRST)
        return Used(Claim.AGAIN, await forms_repo.result(self.db.reader, digest))

    async def finish(self, token: str, result: str | None) -> None:
        """Record where the first submission led; wake a second one waiting.
        `result` None: nothing was done (the form came back with its problems,
        or failed), so the same form may be sent again."""
        digest = _digest(token)
        async with self.db.transaction() as conn:
            if result is not None:
                await forms_repo.set_result(conn, digest, result)
            else:
                await forms_repo.release(conn, digest)
        event = self._running.pop(digest, None)
        if event is not None:
            event.set()
