"""Litestream replicating to a directory; the machine dies (bot and
Litestream killed with SIGKILL at the same instant, the database deleted);
`vtcbot restore` from the replica. No enquiry confirmed to a learner more
than the replication interval before the kill may be lost (issue 17,
must-show 2).

Learners start one after another (a stream), each filing an enquiry through
the whole conversation; the kill lands once `--kill-after` have been
confirmed, with others half-way.

    .venv/bin/python bench/litestream_restore.py [--learners 300] [--kill-after 200]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import VTCBOT, machine, start_bot, table  # noqa: E402
from bench.enquiries_crash import learner  # noqa: E402
from emulator import BotApiEmulator  # noqa: E402
from storage.replica import litestream  # noqa: E402

FIRST = 60_000
# Litestream's sync interval, written into its configuration below.
INTERVAL = 1.0
PROBE = 59_999


@dataclass(frozen=True)
class Figures:
    confirmed: int
    confirmed_before_interval: int
    lost_before_interval: int
    lost_within_interval: int
    restored: int
    restore_seconds: float
    replica_bytes: int
    database_bytes: int
    restore_output: str


def _config(db: Path, replica: Path) -> str:
    return (
        "dbs:\n"
        f"  - path: {db}\n"
        "    replica:\n"
        f"      url: {replica.as_uri()}\n"
        f"      sync-interval: {INTERVAL:g}s\n"
    )


def _learners_in(db: Path) -> set[int]:
    with sqlite3.connect(db) as conn:
        texts = [row[0] for row in conn.execute("SELECT text FROM enquiries")]
    return {int(m.group(1)) for t in texts if (m := re.search(r"nuo (\d+)", t))}


def _lose_disk(db: Path) -> int:
    """Delete the database with its -wal and -shm; the bytes they held."""
    held = 0
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{db}{suffix}")
        with contextlib.suppress(FileNotFoundError):
            held += path.stat().st_size if suffix != "-shm" else 0
            path.unlink()
    return held


def _bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


async def run(learners: int, kill_after: int, tmp: Path, stagger: float = 0.05) -> Figures:
    emu = BotApiEmulator()
    url = await emu.start()
    db = tmp / "bot.db"
    replica = tmp / "replica"
    config = tmp / "litestream.yml"
    config.write_text(_config(db, replica))
    fast = {"SEND_CHAT_INTERVAL_SECONDS": "0", "METRICS_PORT": "-1"}
    bot = await start_bot(url, db, **fast)
    replicator: asyncio.subprocess.Process | None = None
    tasks: list[asyncio.Task[None]] = []
    try:
        emu.send_text(PROBE, "/start")
        await emu.wait_for_messages(PROBE, 1, timeout=60)
        replicator = await asyncio.create_subprocess_exec(
            litestream(),
            "replicate",
            "-config",
            str(config),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        confirmed: dict[int, float] = {}
        enough = asyncio.Event()

        async def one(user: int) -> None:
            await learner(emu, user, asyncio.Event())
            confirmed[user] = time.monotonic()
            if len(confirmed) >= kill_after:
                enough.set()

        for i in range(learners):
            tasks.append(asyncio.create_task(one(FIRST + i)))
            if len(confirmed) >= kill_after:
                break
            await asyncio.sleep(stagger)  # the stream's pace: one new learner at a time
        await enough.wait()
        # The machine dies: both processes at once, and the disk with them.
        killed_at = time.monotonic()
        bot.kill()
        replicator.kill()
        await bot.wait()
        await replicator.wait()
        snapshot = dict(confirmed)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for proc in (bot, replicator):
            if proc is not None and proc.returncode is None:
                proc.kill()
                await proc.wait()
        await emu.stop()
    database_bytes = _lose_disk(db)

    env = dict(os.environ, DATABASE_PATH=str(db), TELEGRAM_BOT_TOKEN="")
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        str(VTCBOT),
        "restore",
        str(replica),
        env=env,
        cwd=tmp,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    restore_seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"vtcbot restore failed: {err.decode()}")
    restored = _learners_in(db)
    old = {u for u, at in snapshot.items() if at <= killed_at - INTERVAL}
    recent = set(snapshot) - old
    return Figures(
        confirmed=len(snapshot),
        confirmed_before_interval=len(old),
        lost_before_interval=len(old - restored),
        lost_within_interval=len(recent - restored),
        restored=len(restored),
        restore_seconds=restore_seconds,
        replica_bytes=_bytes(replica),
        database_bytes=database_bytes,
        restore_output=out.decode().strip(),
    )


def report(figures: Figures, learners: int) -> str:
    rows = [
        (
            learners,
            figures.confirmed,
            figures.confirmed_before_interval,
            figures.lost_before_interval,
            figures.lost_within_interval,
            figures.restored,
            f"{figures.restore_seconds:.2f}",
            f"{figures.replica_bytes / 1e6:.2f}",
            f"{figures.database_bytes / 1e6:.2f}",
        )
    ]
    headers = (
        "learners",
        "confirmed",
        f"confirmed >{INTERVAL:g}s before kill",
        "of those lost",
        f"lost of last {INTERVAL:g}s",
        "enquiries restored",
        "restore s",
        "replica MB",
        "database MB",
    )
    return table(headers, rows) + "\n" + figures.restore_output


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--kill-after", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        figures = await run(args.learners, args.kill_after, Path(tmp))
    print(f"Litestream to a directory, kill -9 of bot and Litestream, restore ({machine()})")
    print(report(figures, args.learners))
    if figures.lost_before_interval:
        raise SystemExit("enquiries confirmed before the replication interval were lost")


if __name__ == "__main__":
    asyncio.run(main())
