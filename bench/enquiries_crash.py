"""1,000 enquiries filed through the emulator while the bot is killed with
kill -9 after every 100 confirmations (issue 3, must-show 4).

Each learner goes through the whole conversation like a person: opens the
menu, presses "Ask the centre", picks a topic, writes the question, skips the
phone, agrees, sends. A driver per learner looks at the bot's last message and does
the next step; when the bot is down it waits; when a reply never came (the
bot died while sending it) it asks for the menu again and carries on.

    .venv/bin/python bench/enquiries_crash.py [--learners 1000] [--kill-every 100]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, start_bot, table  # noqa: E402
from emulator import BotApiEmulator  # noqa: E402

FIRST_USER = 20_000
THANKS = "Ačiū! Jūsų užklausos numeris"
PATIENCE = 15.0  # seconds without any reply before a learner starts the step again


def _buttons(message: dict[str, Any]) -> dict[str, str]:
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return {b["text"]: b.get("callback_data", "") for row in keyboard for b in row}


async def learner(emu: BotApiEmulator, user: int, done: asyncio.Event) -> None:
    emu.send_text(user, "/start", first_name=f"L{user}", language_code="lt")
    seen = 0
    while True:
        try:
            messages = await emu.wait_for_messages(user, seen + 1, timeout=PATIENCE)
        except TimeoutError:
            emu.send_text(user, "/start")  # no answer came: begin the step again
            continue
        seen = len(messages)
        last = messages[-1]
        text = last.get("text", "")
        if any(THANKS in m.get("text", "") for m in emu.messages(user)):
            done.set()
            return
        buttons = _buttons(last)
        if "Klausti centro" in buttons:
            emu.press_button(user, last["message_id"], buttons["Klausti centro"])
        elif "Kita" in buttons:
            emu.press_button(user, last["message_id"], buttons["Kita"])
        elif text.startswith("Parašykite savo klausimą"):
            emu.send_text(user, f"Klausimas nuo {user}: ar yra vakarinių grupių?")
        elif text.startswith("Ar norite, kad darbuotojai"):
            emu.send_text(user, "Praleisti")
        elif "Sutinku" in buttons:
            emu.press_button(user, last["message_id"], buttons["Sutinku"])
        elif "Siųsti" in buttons:
            emu.press_button(user, last["message_id"], buttons["Siųsti"])


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--kill-every", type=int, default=100)
    args = parser.parse_args()
    emu = BotApiEmulator()
    url = await emu.start()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bot.db"
        proc = await start_bot(url, db)
        started = time.perf_counter()
        events = [asyncio.Event() for _ in range(args.learners)]
        tasks = [
            asyncio.create_task(learner(emu, FIRST_USER + i, events[i]))
            for i in range(args.learners)
        ]
        kills = 0
        next_kill = args.kill_every
        while not all(e.is_set() for e in events):
            await asyncio.sleep(0.05)  # the benchmark's own pace; the bot runs elsewhere
            confirmed = sum(e.is_set() for e in events)
            if confirmed >= next_kill and next_kill < args.learners:
                proc.kill()
                await proc.wait()
                kills += 1
                next_kill += args.kill_every
                proc = await start_bot(url, db)
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
        proc.terminate()
        await proc.wait()
        with sqlite3.connect(db) as conn:
            enquiries = conn.execute("SELECT COUNT(*) FROM enquiries").fetchone()[0]
            per_user = conn.execute(
                "SELECT COUNT(*) FROM (SELECT user_id FROM enquiries GROUP BY user_id "
                "HAVING COUNT(*) > 1)"
            ).fetchone()[0]
    confirmations = [
        sum(THANKS in m.get("text", "") for m in emu.messages(FIRST_USER + i))
        for i in range(args.learners)
    ]
    await emu.stop()
    print(
        f"{args.learners} enquiries through the emulator, kill -9 every "
        f"{args.kill_every} ({machine()})"
    )
    print(
        table(
            (
                "learners",
                "kills",
                "enquiries",
                "learners with 2+",
                "confirmations 1/0/2+",
                "seconds",
            ),
            [
                (
                    args.learners,
                    kills,
                    enquiries,
                    per_user,
                    f"{confirmations.count(1)}/{confirmations.count(0)}/"
                    f"{sum(c > 1 for c in confirmations)}",
                    f"{elapsed:.0f}",
                )
            ],
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
