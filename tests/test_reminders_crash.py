"""kill -9 while reminders are going out: after a restart each is sent once,
or marked skipped (its session had begun), or marked unknown (it was on the
wire at the kill) — never sent twice."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench.overdue_reminders import prepare, states
from emulator import BotApiEmulator
from tests.conftest import DEMO
from tests.process import start_bot, stop_bot

DUE = 300  # reminders of a session still ahead, due while the bot was down
STARTED = 50  # reminders of a session that has already begun
FIRST = 20_000


def _by_user(db: Path, state: str) -> set[int]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT user_id FROM reminders WHERE state = ?", (state,)).fetchall()
    return {r[0] for r in rows}


async def _wait_for_sent(emulator: BotApiEmulator, count: int, since: int) -> int:
    sent, seq = 0, since
    while sent < count:
        events = await emulator.wait_for_events(seq, timeout=60)
        assert events, f"the bot stopped sending after {sent} messages"
        sent += sum(1 for e in events if e["kind"] == "sent")
        seq = events[-1]["seq"]
    return seq


async def test_kill_9_while_reminders_go_out(tmp_path: Path, emulator: BotApiEmulator) -> None:
    assert emulator.url is not None
    db = tmp_path / "bot.db"
    await prepare(db, emulator, DEMO, first=FIRST, due=DUE, started=STARTED, overdue_seconds=120)
    seq = emulator.state.last_event_seq

    proc = await start_bot(db, emulator.url, tmp_path)
    await _wait_for_sent(emulator, 60, seq)
    proc.kill()  # SIGKILL: nothing is cleaned up
    await proc.wait()
    before = states(db)
    assert before.get("planned", 0) > 0, "the kill did not land mid-way"

    proc = await start_bot(db, emulator.url, tmp_path)
    try:
        # Until every row has an outcome: each new message wakes this up;
        # the last outcome is committed just after its message arrives.
        seq = emulator.state.last_event_seq
        quiet_rounds = 0
        while states(db).get("planned", 0) or states(db).get("sending", 0):
            events = await emulator.wait_for_events(seq, timeout=1)
            quiet_rounds = 0 if events else quiet_rounds + 1
            assert quiet_rounds < 30, f"reminders stopped going out: {states(db)}"
            seq = events[-1]["seq"] if events else seq
    finally:
        assert await stop_bot(proc) == 0

    final = states(db)
    received = {user: len(emulator.messages(user)) for user in range(FIRST, FIRST + DUE + STARTED)}
    assert max(received.values()) == 1, "a reminder was sent twice"
    assert final["skipped"] == STARTED
    assert all(received[FIRST + DUE + i] == 0 for i in range(STARTED))
    assert final.get("sent", 0) + final.get("unknown", 0) == DUE
    assert all(received[user] == 1 for user in _by_user(db, "sent"))
    # Unknown are only those on the wire at the kill: with the paced sender
    # that is one or two requests, not the queue behind them.
    assert final.get("unknown", 0) <= 3
