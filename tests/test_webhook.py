"""Webhook mode: the secret token is checked and updates are answered."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import httpx

from emulator import BotApiEmulator
from tests.process import start_bot, stop_bot


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_webhook_mode_answers_and_refuses_a_wrong_secret(
    tmp_path: Path, emulator: BotApiEmulator
) -> None:
    assert emulator.url is not None
    port = _free_port()
    hook = f"http://127.0.0.1:{port}/telegram-hook"
    proc = await start_bot(
        tmp_path / "bot.db",
        emulator.url,
        tmp_path,
        WEBHOOK_URL=hook,
        WEBHOOK_SECRET="s3cret-token",
        WEBHOOK_PORT=str(port),
    )
    try:
        emulator.send_text(701, "/start", language_code="en")
        [menu] = await emulator.wait_for_messages(701, 1, timeout=30)
        assert menu["text"].startswith("Hello!")
        assert emulator.webhook_info()["url"] == hook
        forged = {
            "update_id": 999999,
            "message": {
                "message_id": 1,
                "date": 1,
                "text": "/start",
                "chat": {"id": 702, "type": "private"},
                "from": {"id": 702, "is_bot": False, "first_name": "X"},
            },
        }
        async with httpx.AsyncClient() as client:
            wrong = await client.post(
                hook, json=forged, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"}
            )
            missing = await client.post(hook, json=forged)
        assert wrong.status_code == 403 and missing.status_code == 403
        question = emulator.send_text(701, "how much is the forklift course?", language_code="en")
        [_menu, answer] = await emulator.wait_for_messages(701, 2, timeout=30)
        assert "€280.00" in answer["text"]
        # Telegram delivering the same update again (no 200 seen) is not a new question.
        async with httpx.AsyncClient() as client:
            again = await client.post(
                hook, json=question, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
            )
        assert again.status_code == 200
        emulator.send_text(701, "/help", language_code="en")
        messages = await emulator.wait_for_messages(701, 3, timeout=30)
        assert [m["text"].split("\n")[0] for m in messages][1:] == [
            answer["text"].split("\n")[0],
            "I can help you with:",
        ]
    finally:
        code = await stop_bot(proc)
    assert code == 0
    with sqlite3.connect(tmp_path / "bot.db") as conn:
        stored = {r[0] for r in conn.execute("SELECT update_id FROM inbox")}
    assert forged["update_id"] not in stored
