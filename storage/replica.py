"""The continuous replica, kept by Litestream (a process of its own, see
docs/operations.md): where its newest data is from, and restoring from it.

BACKUP_REPLICA_URL is a directory path or an S3-compatible URL; Litestream
takes a path as file://.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from storage.backup import BackupError

# Listing a replica on S3 over a slow link may take a while; never forever.
LIST_TIMEOUT = 60.0
RESTORE_TIMEOUT = 3600.0


def litestream() -> str:
    """The litestream program: beside this Python (`make litestream`
    installs it into the virtualenv), else on PATH."""
    beside = Path(sys.executable).parent / "litestream"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("litestream")
    if found is None:
        raise BackupError("litestream is not installed (make litestream)")
    return found


def replica_url(value: str) -> str:
    """A URL Litestream understands: a plain path becomes file://."""
    if "://" in value:
        return value
    return Path(value).expanduser().resolve().as_uri()


def is_replica(source: str) -> bool:
    """Whether `source` names a replica rather than a backup file."""
    return "://" in source or Path(source).is_dir()


def newest(url: str) -> dt.datetime | None:
    """When the newest data in the replica was written; None if it holds none."""
    done = subprocess.run(
        [litestream(), "ltx", "-json", "-level", "all", replica_url(url)],
        capture_output=True,
        text=True,
        timeout=LIST_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"litestream ltx: {done.stderr.strip() or done.returncode}")
    files = json.loads(done.stdout or "[]") or []
    stamps = [
        dt.datetime.fromisoformat(str(item["timestamp"]).replace("Z", "+00:00"))
        for item in files
        if isinstance(item, dict) and item.get("timestamp")
    ]
    return max(stamps) if stamps else None


def restore(url: str, output: Path) -> None:
    """The replica's newest state, written to `output` (which must not exist)."""
    done = subprocess.run(
        [litestream(), "restore", "-o", str(output), replica_url(url)],
        capture_output=True,
        text=True,
        timeout=RESTORE_TIMEOUT,
        check=False,
    )
    if done.returncode != 0 or not output.is_file():
        raise BackupError(
            f"litestream restore from {url}: {done.stderr.strip() or 'nothing restored'}"
        )
