"""`vtcbot backup PATH` and `vtcbot restore [SOURCE]`."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

from storage import backup, replica, run_lock
from storage.backup import BackupError, Contents
from storage.database import latest_schema_version


def describe(contents: Contents) -> str:
    return (
        f"{contents.learners} learners, {contents.enquiries} enquiries, "
        f"{contents.reminders} reminders ({contents.reminders_planned} still to send); "
        f"schema version {contents.schema_version}, {contents.bytes / 1e6:.1f} MB"
    )


def run_backup(database: Path, target: Path) -> int:
    """A consistent copy of the database, checked, at `target` (a file, or a
    folder to put a dated file in), taken while the bot may be running."""
    now = dt.datetime.now(dt.UTC)
    if target.is_dir():
        target = target / f"{database.stem}-{now.strftime('%Y%m%dT%H%M%SZ')}.db"
    started = time.perf_counter()
    try:
        backup.copy_database(database, target)
        contents = backup.inspect(target, latest_schema_version())
        backup.record_success(database, now)
    except BackupError as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    print(f"{target}: backed up in {elapsed:.1f} s: {describe(contents)}")
    return 0


def run_restore(database: Path, source: str | None) -> int:
    """Replace the database with a backup file or the replica's newest state,
    once the copy has passed its checks; the database it replaces is kept."""
    if not source:
        print(
            "Nothing to restore from: give a backup file or a replica URL, "
            "or set BACKUP_REPLICA_URL.",
            file=sys.stderr,
        )
        return 2
    if run_lock.in_use(database):
        print(
            f"{database}: the bot is running on this database; stop it first "
            "(systemctl stop vtcbot).",
            file=sys.stderr,
        )
        return 1
    started = time.perf_counter()
    try:
        with backup.scratch(database) as scratch:
            if replica.is_replica(source):
                replica.restore(source, scratch)
            else:
                backup.copy_database(Path(source), scratch)
            contents = backup.inspect(scratch, latest_schema_version())
            kept = backup.replace_database(scratch, database, dt.datetime.now(dt.UTC))
    except BackupError as exc:
        print(f"restore refused, nothing was changed: {exc}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    print(f"{database}: restored from {source} in {elapsed:.1f} s: {describe(contents)}")
    if kept is not None:
        print(f"The database it replaced is kept as {kept}")
    return 0
