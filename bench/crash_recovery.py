"""kill -9 while 500 learners wait for their answers, at ten moments: is
every learner answered exactly once, and how many replies were at risk?

The bot runs in its own process with the SHIPPED DEFAULT settings (30
messages/s, 1 s per chat, CONCURRENT_UPDATES=64: nothing turned off). Each
run: 500 learners each ask one question at once; the bot is killed with
SIGKILL at that run's moment (seconds after the burst), restarted on the same
database, and every learner then sends /start; the run ends when all
greetings arrive (a chat is handled in order, so its question was too).

"At risk" are the replies journalled as handed to Telegram but not confirmed
at the kill (the journal's `sending` rows): those are the only ones the
restarted bot does not send again. "On the wire" counts how many of them the
emulator had received (delivered once); "lost" the rest. Replies still queued
in the pacer at the kill have no journal row and are sent after the restart.

    .venv/bin/python bench/crash_recovery.py [--runs 10] [--learners 500]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import QUESTIONS, machine, start_bot, table  # noqa: E402
from emulator import BotApiEmulator  # noqa: E402

FIRST = 10_000  # the first learner's id
GREETING = "Sveiki!"


def _answers(emu: BotApiEmulator, user: int) -> list[str]:
    return [m["text"] for m in emu.messages(user) if not m["text"].startswith(GREETING)]


async def _wait_for_greetings(emu: BotApiEmulator, users: range) -> None:
    for user in users:
        count = len(emu.messages(user))
        while not any(m["text"].startswith(GREETING) for m in emu.messages(user)):
            await emu.wait_for_messages(user, count + 1, timeout=120)
            count += 1


async def _ready(emu: BotApiEmulator) -> None:
    """The bot is up: a control chat got its greeting."""
    before = len(emu.messages(9000))
    emu.send_text(9000, "/start")
    await emu.wait_for_messages(9000, before + 1, timeout=120)


async def expected_answers(learners: int) -> list[int]:
    """Messages each learner's question gets when nothing goes wrong."""
    emu = BotApiEmulator()
    url = await emu.start()
    with tempfile.TemporaryDirectory() as tmp:
        proc = await start_bot(url, Path(tmp) / "bot.db")
        await _ready(emu)
        users = range(FIRST, FIRST + learners)
        for user in users:
            emu.send_text(user, QUESTIONS[user % len(QUESTIONS)])
        for user in users:
            emu.send_text(user, "/start")
        await _wait_for_greetings(emu, users)
        proc.terminate()
        await proc.wait()
    await emu.stop()
    return [len(_answers(emu, user)) for user in users]


async def one_run(kill_at: float, learners: int, expected: list[int]) -> dict[str, object]:
    emu = BotApiEmulator()
    url = await emu.start()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bot.db"
        proc = await start_bot(url, db)
        await _ready(emu)
        users = range(FIRST, FIRST + learners)
        burst = time.monotonic()
        for user in users:
            emu.send_text(user, QUESTIONS[user % len(QUESTIONS)])
        await asyncio.sleep(max(0.0, burst + kill_at - time.monotonic()))
        delivered_before_kill = sum(len(_answers(emu, u)) for u in users)
        proc.kill()
        await proc.wait()
        seen_at_kill = {u: len(_answers(emu, u)) for u in users}
        with sqlite3.connect(db) as conn:
            at_risk = conn.execute(
                "SELECT i.user_id FROM reply_journal j JOIN inbox i ON i.id = j.inbox_id "
                "WHERE j.state = 'sending'"
            ).fetchall()
            pending = conn.execute(
                "SELECT COUNT(*) FROM inbox WHERE state = 'pending' AND user_id >= ?", (FIRST,)
            ).fetchone()[0]
        on_wire = sum(1 for (user,) in at_risk if user is not None and seen_at_kill.get(user))
        proc = await start_bot(url, db)
        for user in users:
            emu.send_text(user, "/start")
        await _wait_for_greetings(emu, users)
        proc.terminate()
        await proc.wait()
        with sqlite3.connect(db) as conn:
            uncertain = conn.execute("SELECT COUNT(*) FROM uncertain_replies").fetchone()[0]
    await emu.stop()
    got = [len(_answers(emu, u)) for u in users]
    missing = sum(1 for g, e in zip(got, expected, strict=True) if g < e)
    twice = sum(1 for g, e in zip(got, expected, strict=True) if g > e)
    return {
        "kill at": f"{kill_at:.1f} s",
        "answered before kill": delivered_before_kill,
        "unfinished at kill": pending,
        "at risk": len(at_risk),
        "on the wire": on_wire,
        "uncertain": uncertain,
        "missing": missing,
        "twice": twice,
        "exactly once": missing == 0 and twice == 0,
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--learners", type=int, default=500)
    args = parser.parse_args()
    # The burst takes about learners / 29 seconds to answer: the kills are
    # spread over it, from just after the questions arrive to near its end.
    span = args.learners / 29.0
    moments = [0.3 + i * (span - 1.0) / max(args.runs - 1, 1) for i in range(args.runs)]
    expected = await expected_answers(args.learners)
    rows = []
    for moment in moments:
        result = await one_run(moment, args.learners, expected)
        rows.append(tuple(result.values()))
        print(" | ".join(str(v) for v in result.values()), flush=True)
    headers = (
        "kill at",
        "answered before kill",
        "unfinished at kill",
        "at risk",
        "on the wire",
        "uncertain",
        "missing",
        "twice",
        "exactly once",
    )
    print(
        f"\nkill -9 while {args.learners} learners wait, shipped defaults, then restart"
        f" ({machine()})"
    )
    print(table(headers, rows))
    exact = sum(1 for r in rows if r[-1])
    print(f"every learner answered exactly once in {exact} of {len(rows)} runs")


if __name__ == "__main__":
    asyncio.run(main())
