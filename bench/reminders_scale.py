"""Reminders at scale (issue 4): 100,000 planned reminders in the database.

For each configuration, in a fresh process: start-up time of the bot with
the reminders table full (open, recover, start polling), the time of one
re-arm round (read what is due within the horizon, arm it in the job queue),
resident memory, and the lateness of a burst of reminders all due at the
same second: from their planned time to the moment each one's turn to be
sent came (the paced sender's hand-off to HTTP), p50 and p99.

The bot runs in this process against the emulator (also in this process,
so the memory figure includes the emulator's).

    .venv/bin/python bench/reminders_scale.py
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, percentile, table  # noqa: E402
from bot.app import PacingSettings  # noqa: E402
from emulator import BotApiEmulator  # noqa: E402
from services.clock import (  # noqa: E402
    SystemClock,
    epoch,
    instant,
)
from services.container import Services  # noqa: E402
from storage import reminders_repo  # noqa: E402
from vtcbot.runner import SENDER_CEILING, BotRunner  # noqa: E402

DEMO = ROOT / "data" / "centre.yaml"
TOKEN = "123456:BENCH"
PLANNED = 100_000
# (burst size, messages per second overall): Telegram's default limit, and
# the paid-broadcast rate a centre can enable.
CONFIGS = ((25, 30.0), (1_000, 30.0), (1_000, 1000.0))
BURST_DELAY = 6  # seconds after start-up at which the burst is due, at the least


async def fill(db: Path, burst: int, due_at: int) -> None:
    services = Services.create(db, SystemClock())
    await services.start(DEMO)
    view = services.catalogue.view
    now = dt.datetime.now(dt.UTC)
    sessions = [
        (group_id, s.id, instant(s.starts_at, view.zone))
        for group_id, (_, group) in view.groups.items()
        for s in group.sessions
        if instant(s.starts_at, view.zone) > now + dt.timedelta(days=2)
    ]
    rows = []
    spread = 60 * 86400
    for i in range(PLANNED):
        group_id, session_id, starts = sessions[i % len(sessions)]
        fire = epoch(now) + 120 + (i * 7919) % spread  # after the burst, over two months
        rows.append((100_000 + i, group_id, session_id, "1h", epoch(starts), fire))
    group_id, session_id, starts = sessions[0]
    rows += [(1 + i, group_id, session_id, "evening", epoch(starts), due_at) for i in range(burst)]
    async with services.db.transaction() as conn:
        await reminders_repo.plan(conn, rows, epoch(now))
    await services.close()


async def one(burst: int, rate: float, db: Path, due_at: int) -> dict[str, float]:
    emulator = BotApiEmulator()
    url = await emulator.start()
    for i in range(burst):
        emulator.state.ensure_private_chat(1 + i)

    seq = emulator.state.last_event_seq
    started = time.perf_counter()
    services = Services.create(db, SystemClock())
    await services.start(DEMO)
    runner = BotRunner(services, TOKEN, url, pacing=PacingSettings(overall_per_second=rate))
    turns: dict[int, float] = {}
    claim = services.reminders.claim

    async def timed_claim(reminder_id: int, fire_at: int | None = None) -> bool:
        turns[reminder_id] = time.time()
        return await claim(reminder_id, fire_at)

    services.reminders.claim = timed_claim  # type: ignore[method-assign]
    picked: list[float] = []
    due = services.reminders.due

    async def timed_due(limit: int = 200, until: dt.datetime | None = None) -> list[object]:
        rows = await due(limit, until)
        if rows and not picked:
            picked.append(time.time())  # the armed job fired and found them
        return rows  # type: ignore[return-value]

    services.reminders.due = timed_due  # type: ignore[assignment]
    await runner.start()
    startup = time.perf_counter() - started
    rearm_started = time.perf_counter()
    await runner._plan_reminders(None)
    rearm = time.perf_counter() - rearm_started
    armed = len(runner.app.job_queue.jobs()) if runner.app.job_queue else 0
    rss_armed = psutil.Process().memory_info().rss / 2**20

    # Until the burst has been delivered (each delivery wakes this up).
    sent = 0
    deadline = due_at + 30 + 2 * burst / rate
    while sent < burst and time.time() < deadline:
        events = await emulator.wait_for_events(seq, timeout=1)
        sent += sum(1 for e in events if e["kind"] == "sent")
        seq = events[-1]["seq"] if events else seq
    await runner.sender.run_due()
    await runner.stop()
    counts = await services.reminders.counts()
    await services.close()
    await emulator.stop()
    lateness = [turn - due_at for turn in turns.values()]
    return {
        "burst": burst,
        "rate": rate,
        "startup_s": startup,
        "rearm_s": rearm,
        "jobs_armed": armed,
        "rss_mb": rss_armed,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "late_p50_s": percentile(lateness, 50),
        "late_p99_s": percentile(lateness, 99),
        "late_max_s": max(lateness),
        "first_out_s": picked[0] - due_at if picked else float("nan"),
        "sent": counts.get("sent", 0),
        "planned_left": counts.get("planned", 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--one", nargs=2, type=float, metavar=("BURST", "RATE"))
    parser.add_argument("--fill", nargs=3, metavar=("DB", "BURST", "DUE_AT"))
    args = parser.parse_args()
    if args.fill:
        asyncio.run(fill(Path(args.fill[0]), int(args.fill[1]), int(args.fill[2])))
        return
    if args.one:
        db = Path(tempfile.mkdtemp(prefix="vtc-rem-")) / "bot.db"
        # Far enough ahead for the bot to start the burst as early as it wants.
        lead = args.one[0] / min(args.one[1], SENDER_CEILING)
        due_at = int(time.time() + BURST_DELAY + 8 + 1.2 * lead)
        # Filled by another process, so that the memory measured is the bot's.
        subprocess.run(
            [sys.executable, __file__, "--fill", str(db), str(int(args.one[0])), str(due_at)],
            check=True,
        )
        print(json.dumps(asyncio.run(one(int(args.one[0]), args.one[1], db, due_at))))
        return
    results = []
    for burst, rate in CONFIGS:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(burst), str(rate)],
            check=True,
            capture_output=True,
            text=True,
            env=dict(os.environ),
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{PLANNED:,} planned reminders; machine: {machine()}")
    print("lateness: when each reminder's turn to go out came, minus its planned time")
    print(
        table(
            (
                "burst",
                "msg/s",
                "start-up s",
                "re-arm s",
                "RSS MB",
                "peak RSS MB",
                "burst began s",
                "late p50 s",
                "late p99 s",
                "sent",
            ),
            [
                (
                    int(r["burst"]),
                    int(r["rate"]),
                    f"{r['startup_s']:.2f}",
                    f"{r['rearm_s']:.3f}",
                    f"{r['rss_mb']:.0f}",
                    f"{r['peak_rss_mb']:.0f}",
                    f"{r['first_out_s']:+.2f}",
                    f"{r['late_p50_s']:.2f}",
                    f"{r['late_p99_s']:.2f}",
                    int(r["sent"]),
                )
                for r in results
            ],
        )
    )


if __name__ == "__main__":
    main()
