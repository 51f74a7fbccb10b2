"""A lock that says a bot is running on a database file.

`vtcbot run` holds it for as long as it runs; `vtcbot restore` refuses to
replace a database while anyone holds it (a file swapped under a running bot
would be overwritten by its next write). It is an advisory lock on a file
beside the database (flock), released by the kernel when the process ends,
however it ends, so a killed bot never leaves it behind.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class InUse(Exception):
    """Another process holds the database's run lock."""


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


@contextmanager
def hold(database: Path) -> Iterator[None]:
    """Hold the run lock of `database`; InUse if a bot already holds it."""
    path = lock_path(database)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InUse(str(database)) from None
        yield
    finally:
        os.close(fd)


def in_use(database: Path) -> bool:
    """Whether a bot is running on `database` now."""
    try:
        with hold(database):
            return False
    except InUse:
        return True
