"""SIGTERM in the middle of a burst of questions and of a broadcast: the bot
exits 0, and after the restart every learner is answered exactly once and
nobody gets the announcement twice (issue 17, must-show 4)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from emulator import BotApiEmulator
from services.broadcasts import Audience
from services.clock import SystemClock
from services.container import Services
from storage import learners_repo
from tests.conftest import DEMO
from tests.process import start_bot, stop_bot

ADMIN = 9001
ASKERS = range(40_000, 40_200)  # 200 learners, one question each
RECIPIENTS = range(50_000, 50_300)
TEXT = "Vasaros suvirintojų kursų registracija jau prasidėjo."
QUESTIONS = (
    "kiek kainuoja B kategorija?",
    "kada prasideda suvirintoju kursai",
    "how much is the forklift course?",
    "ar yra bendrabutis?",
)
GRACE = 15


async def _prepare(db: Path, emulator: BotApiEmulator) -> None:
    services = Services.create(db, SystemClock(), admin_ids=[ADMIN])
    await services.start(DEMO)
    async with services.db.transaction() as conn:
        for user in RECIPIENTS:
            await learners_repo.touch(conn, user, "lt", "-")
    await services.broadcasts.create(ADMIN, TEXT, None, Audience("everyone"))
    await services.close()
    for user in (*RECIPIENTS, ADMIN):
        emulator.state.ensure_private_chat(user)


def _announced(emulator: BotApiEmulator, user: int) -> int:
    return sum(1 for m in emulator.messages(user) if m.get("text") == TEXT)


def _answers(emulator: BotApiEmulator) -> list[int]:
    return [len(emulator.messages(user)) for user in ASKERS]


async def _until(emulator: BotApiEmulator, done: object) -> None:
    """Wait on the emulator's events (no sleeping) until `done()` holds."""
    assert callable(done)
    seq = emulator.state.last_event_seq
    while not done():
        events = await emulator.wait_for_events(seq, timeout=60)
        assert events, "the bot stopped sending"
        seq = events[-1]["seq"]


def _table(db: Path, sql: str) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {str(k): int(v) for k, v in conn.execute(sql).fetchall()}


async def test_sigterm_mid_burst_and_mid_broadcast_loses_nothing_and_repeats_nothing(
    tmp_path: Path, emulator: BotApiEmulator
) -> None:
    assert emulator.url is not None
    db = tmp_path / "bot.db"
    await _prepare(db, emulator)
    env = {"ADMIN_IDS": str(ADMIN), "STOP_GRACE_SECONDS": str(GRACE), "METRICS_PORT": "-1"}
    proc = await start_bot(db, emulator.url, tmp_path, **env)
    # The broadcast starts with the bot; then 200 learners ask at once.
    await _until(emulator, lambda: sum(_announced(emulator, u) for u in RECIPIENTS) >= 20)
    for i, user in enumerate(ASKERS):
        emulator.send_text(user, QUESTIONS[i % len(QUESTIONS)])
    await _until(emulator, lambda: sum(_answers(emulator)) >= 40)

    asked = time.monotonic()
    code = await stop_bot(proc, timeout=GRACE + 10)
    stop_seconds = time.monotonic() - asked
    assert code == 0
    answered_before = sum(1 for n in _answers(emulator) if n)
    announced_before = sum(_announced(emulator, u) for u in RECIPIENTS)
    outbox = _table(db, "SELECT state, COUNT(*) FROM outbox GROUP BY state")
    inbox = _table(db, "SELECT state, COUNT(*) FROM inbox GROUP BY state")
    # In the middle of both: some learners wait for the next start, and so
    # do some recipients; nothing was left half-sent.
    assert 0 < answered_before < len(ASKERS), answered_before
    assert 0 < announced_before < len(RECIPIENTS), announced_before
    assert outbox.get("pending", 0) == len(RECIPIENTS) - announced_before, outbox
    assert outbox.get("sending", 0) == outbox.get("unknown", 0) == 0, outbox
    assert inbox.get("pending", 0) > 0, inbox
    print(
        f"\nstopped in {stop_seconds:.1f} s; {answered_before}/200 learners answered and "
        f"{announced_before}/300 announced before; {inbox.get('pending', 0)} updates left "
        "for the next start"
    )

    proc = await start_bot(db, emulator.url, tmp_path, **env)
    try:
        await _until(
            emulator,
            lambda: (
                all(_answers(emulator))
                and sum(_announced(emulator, u) for u in RECIPIENTS) == len(RECIPIENTS)
            ),
        )
    finally:
        assert await stop_bot(proc, timeout=GRACE + 10) == 0

    assert _answers(emulator) == [1] * len(ASKERS), "a learner was answered twice"
    assert [_announced(emulator, u) for u in RECIPIENTS] == [1] * len(RECIPIENTS)
    with sqlite3.connect(db) as conn:
        uncertain = conn.execute("SELECT COUNT(*) FROM uncertain_replies").fetchone()[0]
        logged = conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT chat_id) FROM question_log WHERE user_id >= 40000"
            " AND user_id < 40200"
        ).fetchone()
    assert uncertain == 0
    assert logged == (200, 200)
    outbox = _table(db, "SELECT state, COUNT(*) FROM outbox GROUP BY state")
    assert outbox == {"sent": len(RECIPIENTS)}
