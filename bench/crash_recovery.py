"""kill -9 in the middle of a burst, repeated: how often is every message
answered exactly once, and what happens when it is not.

Each run: 100 learners x 5 questions injected at once, the bot (its own
process) killed with SIGKILL after ~150 answers, restarted; then every
learner sends /start and the run ends when all greetings arrive (chats are
handled in order, so everything before was handled too).

    .venv/bin/python bench/crash_recovery.py [--runs 10]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import QUESTIONS, machine, start_bot, table  # noqa: E402
from emulator import BotApiEmulator  # noqa: E402

ROUNDS = 5  # questions per learner
LEARNERS = 100


async def one_run(kill_after: int) -> tuple[int, int, int, int]:
    """(answered once, missing, answered twice, uncertain)"""
    emu = BotApiEmulator()
    url = await emu.start()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bot.db"
        proc = await start_bot(url, db)
        emu.send_text(9000, "/start")
        await emu.wait_for_messages(9000, 1, timeout=60)
        seq = emu.state.last_event_seq
        for round_ in range(ROUNDS):
            for u in range(LEARNERS):
                emu.send_text(10_000 + u, QUESTIONS[(u + round_) % len(QUESTIONS)])
        sent = 0
        while sent < kill_after:
            events = await emu.wait_for_events(seq, timeout=60)
            sent += sum(1 for e in events if e["kind"] == "sent")
            seq = events[-1]["seq"]
        proc.kill()
        await proc.wait()
        proc = await start_bot(url, db)
        for u in range(LEARNERS):
            emu.send_text(10_000 + u, "/start")
        for u in range(LEARNERS):
            count = len(emu.messages(10_000 + u))
            while not any(m["text"].startswith("Sveiki!") for m in emu.messages(10_000 + u)):
                await emu.wait_for_messages(10_000 + u, count + 1, timeout=60)
                count += 1
        proc.terminate()
        await proc.wait()
        with sqlite3.connect(db) as conn:
            uncertain = conn.execute("SELECT COUNT(*) FROM uncertain_replies").fetchone()[0]
    await emu.stop()
    answers = [
        sum(1 for m in emu.messages(10_000 + u) if not m["text"].startswith("Sveiki!"))
        for u in range(LEARNERS)
    ]
    total = sum(answers)
    twice = sum(max(a - ROUNDS, 0) for a in answers)
    missing = LEARNERS * ROUNDS - (total - twice)
    return total - twice, missing, twice, uncertain


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    rows = []
    exact = 0
    for run in range(1, args.runs + 1):
        once, missing, twice, uncertain = await one_run(kill_after=100 + 10 * run)
        exact += missing == 0 and twice == 0
        rows.append((run, once, missing, twice, uncertain))
    print(f"kill -9 mid-burst of 500 messages, then restart ({machine()})")
    print(table(("run", "answered once", "missing", "answered twice", "uncertain"), rows))
    print(f"every message answered exactly once in {exact} of {args.runs} runs")


if __name__ == "__main__":
    asyncio.run(main())
