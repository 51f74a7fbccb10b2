"""Catalogue work off the event loop: the console shares its loop with the
bot, and checking a file is seconds of CPU that learners must not wait for.

One thread does all of it, one file at a time: two uploads at once then cost
one file's memory, and a file's time limit (safe_yaml.Deadline) starts when
its turn comes, not while it waits.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="catalogue-check")


async def off_loop(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(*args, **kwargs)` in the catalogue thread; the loop keeps serving."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_POOL, functools.partial(fn, *args, **kwargs))
