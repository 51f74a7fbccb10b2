"""One SQLite database shared by the bot, the CLI and later the web backend."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

from storage import backup

log = logging.getLogger(__name__)

# An open transaction, as services hand it from `Database.transaction()` to the
# repositories: services name it without depending on the database driver.
Connection = aiosqlite.Connection

BUSY_TIMEOUT_MS = 5000
# Each try waits up to CHECKPOINT_BUSY_MS for readers on an older snapshot.
CHECKPOINT_TRIES = 3
CHECKPOINT_BUSY_MS = 300


def latest_schema_version() -> int:
    """The schema version this code migrates a database to."""
    return max(number for number, _name, _script in _migrations())


def _migrations() -> list[tuple[int, str, str]]:
    """Numbered migration scripts shipped in storage/migrations, in order."""
    found = []
    for item in resources.files("storage.migrations").iterdir():
        name = item.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, item.read_text(encoding="utf-8")))
    return sorted(found)


class Database:
    """A writer connection (serialised by a lock) and a reader connection.

    WAL lets the reader see the last committed state while a write is under
    way, so answering questions never waits for an import or a log write.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        # A writer on the event loop's own thread for commit_now (see there);
        # it shares the write lock, so it never contends with the other one.
        self._instant: sqlite3.Connection | None = None
        self._write_lock = asyncio.Lock()

    async def open(self) -> None:
        if self.path != ":memory:":
            _private_file(Path(self.path))
        self._writer = await self._connect()
        await self._migrate(self._writer)
        # An in-memory database is private to its connection, so tests that
        # use one read through the writer.
        self._reader = self._writer if self.path == ":memory:" else await self._connect()
        if self.path != ":memory:":
            self._instant = _instant_connection(self.path)

    async def _connect(self) -> aiosqlite.Connection:
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves so that a
        # write transaction takes the write lock up front instead of failing
        # half-way with SQLITE_BUSY when it upgrades from a read.
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA synchronous=FULL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # Deleted rows are overwritten, not just unlinked: after /forget the
        # learner's words must not survive in free pages of the file.
        await conn.execute("PRAGMA secure_delete=ON")
        return conn

    async def _migrate(self, conn: aiosqlite.Connection) -> None:
        """Apply the migrations this database lacks, all in one transaction:
        a failing one leaves the database exactly as it was. An existing
        database is first copied (storage/backup.py) into backups/ beside it."""
        # The version is read under the write lock: the bot and `vtcbot
        # import` starting together must not both apply them.
        await conn.execute("BEGIN IMMEDIATE")
        try:
            async with conn.execute("PRAGMA user_version") as cur:
                row = await cur.fetchone()
            version = int(row[0]) if row else 0
            pending = [m for m in _migrations() if m[0] > version]
            if not pending:
                await conn.execute("ROLLBACK")
                return
            now = dt.datetime.now(dt.UTC)
            if version > 0 and self.path != ":memory:":
                # A reader's copy: the write lock held here keeps it the
                # state the migrations start from.
                copy = await asyncio.to_thread(
                    backup.pre_migration_copy, Path(self.path), version, now
                )
                log.info("copied the database to %s before migrating", copy)
            for number, name, script in pending:
                log.info("applying migration %s", name)
                for statement in _split_sql(script):
                    await conn.execute(statement)
                await conn.execute(f"PRAGMA user_version={number}")
            if version > 0 and self.path != ":memory:":
                await conn.execute(
                    "INSERT INTO meta(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (backup.LAST_BACKUP_KEY, now.isoformat()),
                )
            await conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.OperationalError):
                await conn.execute("ROLLBACK")
            raise

    async def checkpoint(self) -> bool:
        """Fold the write-ahead log into the database file and empty it, so
        that old versions of erased rows do not linger in the -wal file;
        whether it was emptied (a reader kept on an older snapshot past the
        busy timeout, a few times over, stops it)."""
        if self._writer is None:
            raise RuntimeError("database is not open")
        async with self._write_lock:
            # Short waits: every write of the bot queues behind this lock, and
            # while Litestream replicates, its read lock keeps a TRUNCATE from
            # ever completing (it checkpoints the log itself, within a minute).
            await self._writer.execute(f"PRAGMA busy_timeout={CHECKPOINT_BUSY_MS}")
            try:
                for _ in range(CHECKPOINT_TRIES):
                    async with self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cur:
                        row = await cur.fetchone()
                    # (busy, frames in the log, frames checkpointed): busy 0 is done.
                    if row is None or int(row[0]) == 0:
                        return True
            finally:
                await self._writer.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        log.warning("the write-ahead log could not be emptied: a reader held it")
        return False

    async def close(self) -> None:
        if self._instant is not None:
            self._instant.close()
            self._instant = None
        if self._reader is not None and self._reader is not self._writer:
            await self._reader.close()
        if self._writer is not None:
            await self._writer.close()
        self._reader = self._writer = None

    @property
    def reader(self) -> aiosqlite.Connection:
        if self._reader is None:
            raise RuntimeError("database is not open")
        return self._reader

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction begun IMMEDIATE; committed on success, rolled back on error."""
        if self._writer is None:
            raise RuntimeError("database is not open")
        async with self._write_lock:
            conn = self._writer
            # aiosqlite runs statements in order on its own thread, and a
            # statement already handed over runs even if this task is then
            # cancelled. So after any failure, including cancellation, a
            # ROLLBACK queued behind it leaves no transaction open.
            try:
                await conn.execute("BEGIN IMMEDIATE")
                yield conn
                # A failed COMMIT (disk full) must not leave the transaction open.
                await conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.OperationalError):
                    await conn.execute("ROLLBACK")
                raise

    async def commit_now(self, statements: Sequence[Statement]) -> None:
        """Commit `statements` so that, once this returns, they are in the
        file, and nothing else ran in this event loop in between.

        For a record whose worth is in being written the instant before
        something else happens (the reply journal, just before a request's
        bytes leave): the wait is for the write lock only; the commit runs on
        this thread, without yielding, and is not waited to disk
        (synchronous=NORMAL: it survives the process being killed, not a power
        loss, until the next ordinary commit syncs it too). No other write is
        under way while this holds the lock, so SQLite's lock is free.
        """
        conn = self._instant
        if conn is None:  # in memory: only the writer sees the database
            async with self.transaction() as writer:
                for sql, params in statements:
                    await writer.execute(sql, params)
            return
        async with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for sql, params in statements:
                    conn.execute(sql, params)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise


# One SQL statement and its parameters, for Database.commit_now.
Statement = tuple[str, tuple[object, ...]]


def _instant_connection(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA secure_delete=ON")
    return conn


def _private_file(path: Path) -> None:
    """The database file created readable by this user only (0600, its new
    folder 0700) before SQLite opens it: SQLite gives the -wal and -shm files
    the database file's mode. A file left readable by others (an older
    version created it so) is made private."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if os.fstat(fd).st_mode & 0o077:
            try:
                os.fchmod(fd, 0o600)
                log.warning("the database file was readable by others; made private")
            except OSError:  # not the owner: the operator's choice stands
                log.warning("the database file is readable by others")
    finally:
        os.close(fd)
    for suffix in ("-wal", "-shm"):
        companion = Path(f"{path}{suffix}")
        if companion.exists() and companion.stat().st_mode & 0o077:
            companion.chmod(0o600)


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
