"""End-to-end reply latency and throughput through the Bot API emulator.

The bot runs as its own process (`vtcbot run`, long polling) against the
emulator in this process, as it would against Telegram.

1. 50 learners writing at once, as people do: each asks, reads the answer for
   0.5-1.5 s, asks again; reply latency p50/p99 (target p99 <= 100 ms).
2. The same 50 learners with no pause at all (a saturation test): latency is
   then the queue, about learners / throughput.
3. All 50 sending one message in the same instant: how long the last waits.
4. A burst of N questions from 50 learners injected at once: updates handled
   per second until the last is answered (target >= 200/s).

    .venv/bin/python bench/emulator_throughput.py [--learners 50] [--per-learner 20] [--burst 2000]

By default the bot's outgoing pace is unlimited here (SEND_RATE_PER_SECOND=0,
SEND_CHAT_INTERVAL_SECONDS=0), as the emulator does not enforce Telegram's
limits: the figures are what the bot itself can do. `--paced` keeps the
defaults (30 messages/s overall, 1 s between two messages to one learner),
which caps replies at about 28.5 per second, as Telegram would.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import QUESTIONS, machine, percentile, start_bot, table  # noqa: E402
from emulator import BotApiEmulator  # noqa: E402


async def ask(emu: BotApiEmulator, user: int, text: str) -> float:
    """Milliseconds from the learner's message to the bot's reply."""
    sent = len(emu.messages(user))
    started = time.perf_counter()
    emu.send_text(user, text)
    await emu.wait_for_messages(user, sent + 1, timeout=30)
    return (time.perf_counter() - started) * 1000


async def learner(
    emu: BotApiEmulator, user: int, count: int, latencies: list[float], pause: bool
) -> None:
    rng = random.Random(user)
    if pause:  # learners do not all start typing in the same millisecond
        await asyncio.sleep(rng.uniform(0, 1.0))
    for i in range(count):
        latencies.append(await ask(emu, user, QUESTIONS[(user + i) % len(QUESTIONS)]))
        if pause:
            await asyncio.sleep(rng.uniform(0.5, 1.5))  # reading the answer


async def scenario(
    emu: BotApiEmulator, first_user: int, learners: int, count: int, pause: bool
) -> tuple[list[float], float]:
    latencies: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(
        *(learner(emu, first_user + u, count, latencies, pause) for u in range(learners))
    )
    return latencies, len(latencies) / (time.perf_counter() - started)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--per-learner", type=int, default=20)
    parser.add_argument("--burst", type=int, default=2000)
    parser.add_argument("--paced", action="store_true", help="keep the default send pace")
    args = parser.parse_args()
    pace = {} if args.paced else {"SEND_RATE_PER_SECOND": "0", "SEND_CHAT_INTERVAL_SECONDS": "0"}
    emu = BotApiEmulator()
    url = await emu.start()
    with tempfile.TemporaryDirectory() as tmp:
        proc = await start_bot(url, Path(tmp) / "bench.db", **pace)
        try:
            emu.send_text(1, "/start")
            await emu.wait_for_messages(1, 1, timeout=60)

            paced, paced_rate = await scenario(emu, 100, args.learners, args.per_learner, True)
            flat_out, flat_rate = await scenario(emu, 1000, args.learners, args.per_learner, False)
            same_instant = await asyncio.gather(
                *(ask(emu, 5000 + u, QUESTIONS[u % len(QUESTIONS)]) for u in range(args.learners))
            )

            users = [10_000 + u for u in range(args.learners)]
            per_user = args.burst // args.learners
            started = time.perf_counter()
            for i in range(per_user):
                for u in users:
                    emu.send_text(u, QUESTIONS[(u + i) % len(QUESTIONS)])
            for u in users:
                await emu.wait_for_messages(u, per_user, timeout=120)
            burst_seconds = time.perf_counter() - started
        finally:
            proc.send_signal(signal.SIGTERM)
            await proc.wait()
    await emu.stop()
    burst_rate = per_user * len(users) / burst_seconds
    n = args.learners
    p99 = percentile(paced, 99)
    rows = [
        _row(
            f"{n} learners at once, 0.5-1.5 s pauses",
            paced,
            paced_rate,
            "p99 <= 100 ms",
            "yes" if p99 <= 100 else "NO",
        ),
        _row(f"{n} learners, no pauses (saturation)", flat_out, flat_rate, "", ""),
        _row(f"{n} messages in the same instant", list(same_instant), None, "", ""),
        (
            f"burst of {per_user * n} from {n} learners",
            str(per_user * n),
            "",
            "",
            f"{burst_rate:.0f}",
            ">= 200 updates/s",
            "yes" if burst_rate >= 200 else "NO",
        ),
    ]
    print(f"Through the emulator, bot in its own process ({machine()})")
    print(table(("scenario", "messages", "p50 ms", "p99 ms", "updates/s", "target", "met"), rows))


def _row(
    name: str, latencies: list[float], rate: float | None, target: str, met: str
) -> tuple[str, ...]:
    return (
        name,
        str(len(latencies)),
        f"{percentile(latencies, 50):.1f}",
        f"{percentile(latencies, 99):.1f}",
        f"{rate:.0f}" if rate else "",
        target,
        met,
    )


if __name__ == "__main__":
    asyncio.run(main())
