"""Telegram's update ids are not unique over time: a restarted API server (or
Telegram after a quiet week) numbers them again. A new update that reuses the
id of a stored one is a new question and is answered; only the same update
delivered again is skipped."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from emulator import BotApiEmulator
from services.container import Services
from tests.conftest import TOKEN
from vtcbot.runner import BotRunner


async def _run(
    services: Services, emulator: BotApiEmulator, user: int, text: str
) -> tuple[int, str]:
    """The bot runs against `emulator` until `user`'s message is answered:
    (the update's id, the answer)."""
    assert emulator.url is not None
    runner = BotRunner(services, TOKEN, emulator.url, concurrent_updates=8)
    await runner.start()
    try:
        update = emulator.send_text(user, text, language_code="en")
        [reply] = await emulator.wait_for_messages(user, 1, timeout=30)
    finally:
        await runner.stop()
    return int(update["update_id"]), str(reply["text"])


async def test_an_update_id_reused_after_an_api_server_restart_is_answered(
    services: Services,
) -> None:
    first = BotApiEmulator()
    await first.start()
    try:
        old_id, help_text = await _run(services, first, 7001, "/help")
        assert help_text.startswith("I can help you with")
    finally:
        await first.stop()
    # The API server restarts with nothing: its ids start from 1 again, and
    # the database keeps the first learner's finished update with that id.
    second = BotApiEmulator()
    await second.start()
    try:
        new_id, answer = await _run(services, second, 7002, "how much is the forklift course?")
    finally:
        await second.stop()
    assert new_id == old_id, "the test needs the id to be reused"
    assert "€280.00" in answer
    with sqlite3.connect(Path(services.db.path)) as conn:
        rows = conn.execute(
            "SELECT user_id, state FROM inbox WHERE update_id = ? ORDER BY id", (old_id,)
        ).fetchall()
        logged = conn.execute("SELECT COUNT(*) FROM question_log WHERE user_id = 7002").fetchone()[
            0
        ]
    assert rows == [(7001, "done"), (7002, "done")]
    assert logged == 1


async def test_the_same_update_delivered_again_is_handled_once(services: Services) -> None:
    message: dict[str, Any] = {
        "message_id": 9,
        "date": 1_790_000_000,
        "text": "labas",
        "chat": {"id": 7003, "type": "private"},
        "from": {"id": 7003, "is_bot": False, "first_name": "Ona"},
    }
    update = {"update_id": 5, "message": message}
    [first] = await services.intake.store([update])
    [again] = await services.intake.store([dict(update)])
    other = {"update_id": 5, "message": {**message, "message_id": 10, "text": "kitas"}}
    [reused] = await services.intake.store([other])
    assert first is not None and again is None
    assert reused is not None and reused != first
