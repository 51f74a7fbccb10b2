"""kill -9 while reminders go out, three times per run (issue 4).

1,000 reminders of a session still ahead are due (the bot was down at their
time) and 100 more belong to a session that has already begun. The bot is
started, killed with SIGKILL after a random number of deliveries, three
times, then left to finish. Each reminder must end sent once, skipped (its
session had begun) or unknown (on the wire at a kill; never repeated), and
nobody may get one twice.

    .venv/bin/python bench/reminders_crash.py [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, start_bot, table  # noqa: E402
from bench.overdue_reminders import prepare, states  # noqa: E402
from emulator import BotApiEmulator  # noqa: E402

DUE, STARTED, FIRST, KILLS = 1_000, 100, 50_000, 3


async def wait_sent(emulator: BotApiEmulator, count: int, seq: int) -> int:
    sent = 0
    while sent < count:
        events = await emulator.wait_for_events(seq, timeout=30)
        if not events:
            break
        sent += sum(1 for e in events if e["kind"] == "sent")
        seq = events[-1]["seq"]
    return seq


async def one_run(rng: random.Random) -> dict[str, int | float]:
    emulator = BotApiEmulator()
    url = await emulator.start()
    db = Path(tempfile.mkdtemp(prefix="vtc-remcrash-")) / "bot.db"
    await prepare(
        db,
        emulator,
        ROOT / "data" / "centre.yaml",
        first=FIRST,
        due=DUE,
        started=STARTED,
        overdue_seconds=60,
    )
    started = time.perf_counter()
    seq = emulator.state.last_event_seq
    for _ in range(KILLS):
        proc = await start_bot(url, db)
        seq = await wait_sent(emulator, rng.randint(50, 250), seq)
        proc.kill()
        await proc.wait()
    proc = await start_bot(url, db)
    quiet = 0
    while (states(db).get("planned", 0) or states(db).get("sending", 0)) and quiet < 30:
        events = await emulator.wait_for_events(seq, timeout=1)
        quiet = 0 if events else quiet + 1
        seq = events[-1]["seq"] if events else seq
    proc.terminate()
    await proc.wait()
    final = states(db)
    received = [len(emulator.messages(FIRST + i)) for i in range(DUE + STARTED)]
    with sqlite3.connect(db) as conn:
        unknown_users = {
            r[0] for r in conn.execute("SELECT user_id FROM reminders WHERE state = 'unknown'")
        }
    await emulator.stop()
    return {
        "sent": final.get("sent", 0),
        "skipped": final.get("skipped", 0),
        "unknown": final.get("unknown", 0),
        "unknown_delivered": sum(1 for u in unknown_users if received[u - FIRST] == 1),
        "left": final.get("planned", 0) + final.get("sending", 0),
        "twice": sum(1 for n in received if n > 1),
        "missing": sum(1 for i, n in enumerate(received[:DUE]) if n == 0)
        - (len(unknown_users) - sum(1 for u in unknown_users if received[u - FIRST] == 1)),
        "seconds": time.perf_counter() - started,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    results = [asyncio.run(one_run(rng)) for _ in range(args.runs)]
    print(f"{DUE} due + {STARTED} of a begun session, {KILLS} x kill -9 per run; {machine()}")
    print(
        table(
            (
                "run",
                "sent",
                "skipped",
                "unknown",
                "of which arrived",
                "sent twice",
                "lost",
                "left",
                "s",
            ),
            [
                (
                    i + 1,
                    r["sent"],
                    r["skipped"],
                    r["unknown"],
                    r["unknown_delivered"],
                    r["twice"],
                    r["missing"],
                    r["left"],
                    f"{r['seconds']:.0f}",
                )
                for i, r in enumerate(results)
            ],
        )
    )


if __name__ == "__main__":
    main()
