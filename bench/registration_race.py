"""200 learners race for a group's 10 free seats through the emulator, all
confirming at once, while the bot is killed with SIGKILL twice (issue 18,
must-show 1). Then 3 seat holders cancel: the first 3 in line get offers; one
lets the hold lapse (an injected clock moves past it) and the 4th in line
gets the seat offered.

Each learner goes through the form like a person: the deep link, name, phone,
who pays, consent, the summary. When all 200 are at their summary, every one
presses Confirm; the order in which those presses reach the bot is the order
of their update ids, which is the order the waiting list must keep.

    .venv/bin/python bench/registration_race.py [--learners 200] [--seats 10]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine, start_bot, table  # noqa: E402
from emulator import BotApiEmulator  # noqa: E402
from services.clock import FixedClock  # noqa: E402
from services.container import Services  # noqa: E402

FIRST_USER = 30_000
GROUP = "driving-b-2027-05-evening"
PATIENCE = 20.0  # seconds without a reply before a learner starts the step again
# What a result says (English learners, so the words are the msgids).
RESULTS = ("Registered, number", "on the waiting list, number", "already registered")
HELD = ("pending", "confirmed", "offered")


def catalogue(tmp: Path, seats: int) -> Path:
    """The demo catalogue with the raced group holding exactly `seats` free seats."""
    data = yaml.safe_load((ROOT / "data" / "centre.yaml").read_text(encoding="utf-8"))
    for programme in data["programmes"]:
        for group in programme.get("groups") or []:
            if group["id"] == GROUP:
                group["seats_taken"] = group["seats"] - seats
    path = tmp / "centre.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _buttons(message: dict[str, Any]) -> dict[str, str]:
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return {b["text"]: b.get("callback_data", "") for row in keyboard for b in row}


def _has_result(emu: BotApiEmulator, user: int) -> bool:
    return any(r in m.get("text", "") for m in emu.messages(user) for r in RESULTS)


class Race:
    def __init__(self, emu: BotApiEmulator, learners: int) -> None:
        self.emu = emu
        self.users = [FIRST_USER + i for i in range(learners)]
        self.at_summary: dict[int, tuple[int, str]] = {}  # user -> (message id, Confirm data)
        self.ready = asyncio.Event()
        self.go = asyncio.Event()
        self.confirm_update: dict[int, int] = {}  # user -> update id of their first Confirm

    async def to_summary(self, user: int) -> None:
        """Fill in the form up to the summary, like a person; start again when
        the bot was down and never answered."""
        emu = self.emu
        emu.send_text(user, f"/start reg-{GROUP}", first_name=f"L{user}", language_code="en")
        seen = 0
        while True:
            try:
                messages = await emu.wait_for_messages(user, seen + 1, timeout=PATIENCE)
            except TimeoutError:
                emu.send_text(user, f"/start reg-{GROUP}")
                continue
            seen = len(messages)
            last = messages[-1]
            text, buttons = last.get("text", ""), _buttons(last)
            if "Confirm" in buttons:
                self.at_summary[user] = (last["message_id"], buttons["Confirm"])
                if len(self.at_summary) == len(self.users):
                    self.ready.set()
                return
            if "first name and surname" in text:
                emu.send_text(user, f"Learner Nr{user} Testas")
            elif "phone number" in text:
                emu.send_text(user, f"+3706{user:07d}"[:12])
            elif "I pay myself" in buttons:
                emu.press_button(user, last["message_id"], buttons["I pay myself"])
            elif "I agree" in buttons:
                emu.press_button(user, last["message_id"], buttons["I agree"])

    async def confirm(self, user: int) -> None:
        """Press Confirm when everyone is ready; press it again if no result came
        (the bot died with the press), as an impatient person would."""
        await self.go.wait()
        message_id, data = self.at_summary[user]
        update = self.emu.press_button(user, message_id, data)
        self.confirm_update[user] = update["update_id"]
        deadline = time.monotonic() + 600
        while not _has_result(self.emu, user) and time.monotonic() < deadline:
            await asyncio.sleep(PATIENCE / 4)  # the benchmark's own pace
            if not _has_result(self.emu, user):
                self.emu.press_button(user, message_id, data)


async def _next_message(emu: BotApiEmulator, user: int, wanted: str) -> dict[str, Any]:
    """The bot's newest message in the chat that contains `wanted`, waiting for it."""
    deadline = time.monotonic() + 120
    seen = 0
    while time.monotonic() < deadline:
        for message in reversed(emu.messages(user)):
            if wanted in message.get("text", "") or wanted in _buttons(message):
                return message
        events = await emu.wait_for_events(seen, timeout=1.0)
        seen = events[-1]["seq"] if events else seen
    raise TimeoutError(f"chat {user}: no message with {wanted!r}")


async def cancel(emu: BotApiEmulator, user: int) -> None:
    """/my_courses, Cancel, Yes: a seat holder gives the seat back."""
    before = emu.messages(user)[-1]["message_id"]
    emu.send_text(user, "/my_courses")
    listing = await _next_message(emu, user, "Your registrations:")
    assert listing["message_id"] > before
    data = next(v for k, v in _buttons(listing).items() if k.startswith("Cancel registration"))
    emu.press_button(user, listing["message_id"], data)
    ask = await _next_message(emu, user, "Yes, cancel it")
    emu.press_button(user, ask["message_id"], _buttons(ask)["Yes, cancel it"])
    await _next_message(emu, user, "is cancelled")


async def lapse_offers(db: Path, catalogue_path: Path, hours: float) -> list[int]:
    """The offers' hold runs out: the service's own expiry, with a clock moved
    `hours` ahead (the bot is stopped meanwhile)."""
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)
    services = Services.create(db, clock=FixedClock(later))
    await services.start(catalogue_path)
    try:
        return await services.registrations.expire_offers()
    finally:
        await services.close()


def registrations(db: Path) -> list[tuple[int, int, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT id, user_id, status FROM registrations WHERE group_id = ? ORDER BY id",
            (GROUP,),
        ).fetchall()


def result_messages(emu: BotApiEmulator, user: int) -> int:
    """How many times a result reached the learner (sent, or a message edited into one)."""
    return sum(
        1
        for e in emu.events()
        if e["chat_id"] == user
        and e["kind"] in ("sent", "edited")
        and any(r in (e["message"].get("text") or "") for r in RESULTS)
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--seats", type=int, default=10)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    emu = BotApiEmulator()
    url = await emu.start()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db = tmp / "bot.db"
        extra = {"CATALOGUE_PATH": str(catalogue(tmp, args.seats))}
        proc = await start_bot(url, db, **extra)
        race = Race(emu, args.learners)
        started = time.perf_counter()
        await asyncio.gather(*(race.to_summary(u) for u in race.users))
        filled = time.perf_counter() - started

        # Everyone presses Confirm at once, in a random order; the bot is killed
        # twice while it works through them.
        order = list(race.users)
        rng.shuffle(order)
        tasks = [asyncio.create_task(race.confirm(u)) for u in order]
        started = time.perf_counter()
        race.go.set()
        kills = 0
        seen = 0
        for fraction in (0.15, 0.55):
            while sum(_has_result(emu, u) for u in race.users) < fraction * args.learners:
                events = await emu.wait_for_events(seen, timeout=1.0)
                seen = events[-1]["seq"] if events else seen
            proc.kill()
            await proc.wait()
            kills += 1
            proc = await start_bot(url, db, **extra)
        await asyncio.gather(*tasks)
        raced = time.perf_counter() - started
        rows = registrations(db)
        held = [r for r in rows if r[2] in HELD]
        waiting = [r for r in rows if r[2] == "waiting"]
        per_user: dict[int, int] = {}
        for _, user, _ in rows:
            per_user[user] = per_user.get(user, 0) + 1
        arrival = sorted(race.users, key=lambda u: race.confirm_update[u])
        holders = {r[1] for r in held}
        expected_line = [u for u in arrival if u not in holders]
        in_order = [r[1] for r in waiting] == expected_line
        results = [result_messages(emu, u) for u in race.users]
        print(
            f"{args.learners} learners race for {args.seats} seats through the emulator, "
            f"SIGKILL twice during the race ({machine()})"
        )
        print(
            table(
                (
                    "learners",
                    "kills",
                    "hold seats",
                    "waiting",
                    "waiting in arrival order",
                    "learners with 2+",
                    "result messages 1/0/2+",
                    "form s",
                    "race s",
                ),
                [
                    (
                        args.learners,
                        kills,
                        len(held),
                        len(waiting),
                        "yes" if in_order else "NO",
                        sum(c > 1 for c in per_user.values()),
                        f"{results.count(1)}/{results.count(0)}/{sum(c > 1 for c in results)}",
                        f"{filled:.0f}",
                        f"{raced:.0f}",
                    )
                ],
            )
        )
        sys.stdout.flush()

        # 3 seat holders cancel: the first 3 in line are offered the seats.
        leavers = [r[1] for r in held[:3]]
        for user in leavers:
            await cancel(emu, user)
        line = expected_line
        offered_to = []
        for user in line[:3]:
            offer = await _next_message(emu, user, "Accept")
            offered_to.append(user)
            if user != line[2]:  # the 3rd lets the hold lapse
                emu.press_button(user, offer["message_id"], _buttons(offer)["Accept"])
                await _next_message(emu, user, "The seat is")
        proc.terminate()
        await proc.wait()
        lapsed = await lapse_offers(db, Path(extra["CATALOGUE_PATH"]), hours=25)
        proc = await start_bot(url, db, **extra)
        fourth_offer = await _next_message(emu, line[3], "Accept")
        lapse_note = await _next_message(emu, line[2], "lapsed")
        proc.terminate()
        await proc.wait()
        after = {user: status for _, user, status in registrations(db)}
        held_after = sum(status in HELD for status in after.values())
    await emu.stop()

    print()
    print("Then 3 seat holders cancel; the first 3 in line are offered a seat, 2 accept,")
    print("the 3rd lets the hold lapse (clock moved 25 h), and the 4th is offered it")
    print(
        table(
            (
                "cancelled",
                "offers to 1st-3rd in line",
                "accepted",
                "lapsed",
                "4th offered",
                "3rd told it lapsed",
                "hold seats after",
            ),
            [
                (
                    len(leavers),
                    f"{len(offered_to)}/3",
                    sum(after[u] in ("pending", "confirmed") for u in line[:2]),
                    "yes" if after[line[2]] == "expired" and len(lapsed) == 1 else "NO",
                    "yes" if after[line[3]] == "offered" and fourth_offer else "NO",
                    "yes" if lapse_note else "NO",
                    held_after,
                )
            ],
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
