"""The one map from Telegram's errors to outcomes, and the one batch loop
every sender hands its messages to the pacer with."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.transport.http import ConnectionLost
from domain.outcomes import Outcome

log = logging.getLogger(__name__)

# Requests handed to the paced sender at once; the pacer decides the pace.
IN_FLIGHT = 64

T = TypeVar("T")


def outcome_of(error: Exception) -> Outcome:
    """What an error raised while sending one message means for it."""
    if isinstance(error, Forbidden):
        return Outcome.BLOCKED
    if isinstance(error, TimedOut | ConnectionLost):
        return Outcome.UNKNOWN
    if isinstance(error, RetryAfter | NetworkError):
        # NetworkError here: Telegram's 5xx, or no connection made at all.
        return Outcome.RETRY
    if isinstance(error, BadRequest):
        return Outcome.FAILED
    return Outcome.FAILED


class Batches:
    """At most IN_FLIGHT messages of one sender waiting for the pacer at once;
    one message that fails unexpectedly never stops the others."""

    def __init__(self, what: str, in_flight: int = IN_FLIGHT) -> None:
        self.what = what
        self._slots = asyncio.Semaphore(in_flight)

    async def run(
        self,
        jobs: Iterable[Awaitable[T]],
        after_each: Callable[[], Awaitable[None]] | None = None,
    ) -> list[T]:
        """Every job's result, in the order they finish (those that raised left out)."""
        tasks = [asyncio.ensure_future(self._guarded(job)) for job in jobs]
        results: list[T] = []
        for done in asyncio.as_completed(tasks):
            try:
                results.append(await done)
            except Exception:
                log.exception("sending %s failed", self.what)
            if after_each is not None:
                await after_each()
        return results

    async def _guarded(self, job: Awaitable[T]) -> T:
        async with self._slots:
            return await job
