"""Keyed wake-ups for long polls, so waiting costs nothing until something changes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable


class Waiters:
    def __init__(self) -> None:
        self._waiting: dict[Hashable, set[asyncio.Future[None]]] = {}

    def notify(self, key: Hashable) -> None:
        futures = self._waiting.pop(key, None)
        if futures:
            for future in futures:
                if not future.done():
                    future.set_result(None)

    def notify_all(self) -> None:
        for key in list(self._waiting):
            self.notify(key)

    async def wait_for(
        self,
        key: Hashable,
        predicate: Callable[[], bool],
        timeout: float,
    ) -> bool:
        """Wait until ``predicate()`` holds, re-checking only when ``key`` is notified."""
        if predicate():
            return True
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return predicate()
            future: asyncio.Future[None] = loop.create_future()
            futures = self._waiting.setdefault(key, set())
            futures.add(future)
            try:
                async with asyncio.timeout(remaining):
                    await future
            except TimeoutError:
                return predicate()
            finally:
                futures.discard(future)
                if not futures and self._waiting.get(key) is futures:
                    del self._waiting[key]
            if predicate():
                return True
