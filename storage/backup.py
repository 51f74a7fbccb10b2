"""Consistent copies of the database, the checks a copy must pass, and
putting one in place of the database.

A copy is made with SQLite's online backup API in one step: one read
transaction, so the copy is the database at one instant, while the bot goes
on writing (in WAL mode a reader never blocks the writer, nor the writer it).
Every copy is written beside its target and renamed into place only once it
is complete and synced, so a crash never leaves half a backup under the
backup's name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BUSY_TIMEOUT_MS = 5000
# The moment of the last complete backup (`vtcbot backup`, or the one taken
# before migrations), in the database itself: the running bot reports it.
LAST_BACKUP_KEY = "backup_last_success"
# Copies taken before migrations are kept beside the database, the newest few.
PRE_MIGRATION_DIR = "backups"
PRE_MIGRATION_KEEP = 5
# Tables a copy of this bot's database has (a file of another program is refused).
REQUIRED_TABLES = ("learners", "enquiries", "reminders", "inbox", "meta")


class BackupError(Exception):
    """A copy could not be made, or is not one this bot can use (the message says why)."""


@dataclass(frozen=True)
class Contents:
    """What a checked copy holds."""

    schema_version: int
    learners: int
    enquiries: int
    reminders: int
    reminders_planned: int
    bytes: int


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of `source` (a live database or a backup) at `target`,
    as one self-contained file (rollback journal, not WAL), readable by this
    user only."""
    if not source.is_file():
        raise BackupError(f"{source}: no such database file")
    partial = target.with_name(target.name + ".partial")
    _remove(partial)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(partial, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        src = _connect(source)
        try:
            dst = sqlite3.connect(partial)
            try:
                # pages=-1: one step, one read transaction, one instant.
                src.backup(dst, pages=-1)
                # A backup is one file: no -wal beside it to lose.
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        _fsync(partial)
        os.replace(partial, target)
        _fsync_dir(target.parent)
    except sqlite3.Error as exc:
        _remove(partial)
        raise BackupError(f"{source}: {exc}") from exc
    except BaseException:
        _remove(partial)
        raise


def inspect(path: Path, latest_schema: int) -> Contents:
    """Check a copy (a file of our own: it is opened for writing) before
    anything relies on it: SQLite's integrity check, this bot's tables, and a
    schema this code can run (the same or older: older is migrated at the
    next start). Raises BackupError saying why not."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        conn = sqlite3.connect(path)
    except sqlite3.Error as exc:
        raise BackupError(f"{path}: cannot be opened: {exc}") from exc
    try:
        try:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check(10)")]
        except sqlite3.DatabaseError as exc:  # not a database at all
            raise BackupError(f"{path}: not an SQLite database ({exc})") from exc
        if problems != ["ok"]:
            raise BackupError(f"{path}: fails the integrity check: " + "; ".join(problems))
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        missing = [t for t in REQUIRED_TABLES if t not in tables]
        if missing:
            raise BackupError(f"{path}: not a database of this bot (no table {', '.join(missing)})")
        if version > latest_schema:
            raise BackupError(
                f"{path}: schema version {version} is newer than this version of the bot "
                f"knows ({latest_schema}); upgrade the bot first"
            )
        return Contents(
            schema_version=version,
            learners=_count(conn, "SELECT COUNT(*) FROM learners"),
            enquiries=_count(conn, "SELECT COUNT(*) FROM enquiries"),
            reminders=_count(conn, "SELECT COUNT(*) FROM reminders"),
            reminders_planned=_count(
                conn, "SELECT COUNT(*) FROM reminders WHERE state = 'planned'"
            ),
            bytes=path.stat().st_size,
        )
    finally:
        conn.close()


def replace_database(restored: Path, database: Path, now: dt.datetime) -> Path | None:
    """Put a checked copy in place of the database. The database it replaces
    (with its -wal and -shm) is kept beside it, renamed, never deleted: its
    new name is returned (None when there was none)."""
    kept: Path | None = None
    if database.exists():
        kept = database.with_name(f"{database.name}.before-restore-{_stamp(now)}")
        for suffix in ("-wal", "-shm", ""):
            old = Path(f"{database}{suffix}")
            if old.exists():
                os.replace(old, Path(f"{kept}{suffix}"))
    database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.replace(restored, database)
    _fsync_dir(database.parent)
    return kept


def record_success(database: Path, at: dt.datetime) -> None:
    """Note in the database that a complete backup of it exists as of `at`."""
    conn = _connect(database)
    try:
        with conn:
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (LAST_BACKUP_KEY, at.astimezone(dt.UTC).isoformat()),
            )
    except sqlite3.Error as exc:
        raise BackupError(f"{database}: {exc}") from exc
    finally:
        conn.close()


def pre_migration_copy(database: Path, version: int, now: dt.datetime) -> Path:
    """A copy of the database as it is before migrations from `version`,
    in backups/ beside it; older such copies beyond the newest few are removed."""
    folder = database.parent / PRE_MIGRATION_DIR
    target = folder / f"{database.stem}-v{version}-{_stamp(now)}.db"
    copy_database(database, target)
    copies = sorted(folder.glob(f"{database.stem}-v*.db"), key=lambda p: p.stat().st_mtime)
    for old in copies[:-PRE_MIGRATION_KEEP]:
        _remove(old)
    return target


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)  # `with conn:` commits
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


def _count(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


def _stamp(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    # The rename itself survives a power loss only once the folder is synced.
    with contextlib.suppress(OSError):
        _fsync(folder)


@contextlib.contextmanager
def scratch(path: Path) -> Iterator[Path]:
    """A file name beside `path` for a copy being checked; removed unless kept."""
    partial = path.with_name(path.name + ".restoring")
    _remove(partial)
    try:
        yield partial
    finally:
        _remove(partial)
