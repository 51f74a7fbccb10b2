"""A malformed update never stops the bot: it is tried three times, set
aside as failed, logged once without its content, and the learners after it
are answered, in polling and in webhook mode, and after a restart."""

from __future__ import annotations

import json
import logging
import socket
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from emulator import BotApiEmulator
from services.container import Services
from services.intake import MAX_ATTEMPTS
from tests.conftest import TOKEN
from vtcbot.runner import BotRunner, WebhookConfig

SECRET = "poison-test-secret"
LEARNER = 4242


def _message(update_id: int, **fields: Any) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": 500 + update_id,
        "date": 1_790_000_000,
        "chat": {"id": 7777, "type": "private"},
        "from": {"id": 7777, "is_bot": False, "first_name": "Zygimantas"},
        "text": "Kvarcofonas",
    }
    message.update(fields)
    return {"update_id": update_id, "message": message}


def _poison(base: int) -> list[dict[str, Any]]:
    """The malformed updates the outside test found, each with its own id."""
    huge = 2**70
    return [
        {"update_id": base, "message": "garbage"},
        _message(
            base + 1,
            chat={"id": huge, "type": "private"},
            **{"from": {"id": huge, "is_bot": False, "first_name": "Zygimantas"}},
        ),
        _message(base + 2, **{"from": {"id": 7777, "is_bot": False}}),
        _message(base + 3, contact={"first_name": "Zygimantas", "user_id": 7777}, text=None),
    ]


def _inbox(db: Path, update_id: int) -> tuple[str, int]:
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT state, attempts FROM inbox WHERE update_id = ? ORDER BY id DESC", (update_id,)
        ).fetchone()
    assert row is not None, f"update {update_id} was not stored"
    return str(row[0]), int(row[1])


def _log_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


async def _help_answered(emulator: BotApiEmulator, user: int) -> None:
    before = len(emulator.messages(user))
    emulator.send_text(user, "/help", language_code="en")
    messages = await emulator.wait_for_messages(user, before + 1, timeout=30)
    assert messages[-1]["text"].startswith("I can help you with")


def _assert_quarantined(
    db: Path, bad: list[dict[str, Any]], records: list[logging.LogRecord]
) -> None:
    for update in bad:
        assert _inbox(db, update["update_id"]) == ("failed", MAX_ATTEMPTS)
    # One line per bad update: the set-aside notice, by id, without content.
    assert len(records) == len(bad), [r.getMessage() for r in records]
    for record, update in zip(records, bad, strict=True):
        text = record.getMessage()
        assert f"update {update['update_id']} " in text and "set aside" in text
    for record in records:
        text = record.getMessage() + (record.exc_text or "")
        assert "Kvarcofonas" not in text and "Zygimantas" not in text


@pytest.fixture
def db_path(services: Services) -> Path:
    return Path(services.db.path)


async def test_polling_sets_poison_aside_and_answers_the_next_learner(
    services: Services,
    emulator: BotApiEmulator,
    db_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert emulator.url is not None
    runner = BotRunner(services, TOKEN, emulator.url, concurrent_updates=8)
    await runner.start()
    try:
        await _help_answered(emulator, LEARNER)  # the bot is up and polling
        caplog.clear()
        caplog.set_level(logging.WARNING)
        bad = _poison(100)
        for update in bad:
            emulator.inject_update(update)
        await _help_answered(emulator, LEARNER)
        records = _log_lines(caplog)
    finally:
        await runner.stop()
    _assert_quarantined(db_path, bad, records)
    # Nothing kept asking for the same batch: no "Error while parsing updates".
    assert len(emulator.requests("getUpdates")) < 50

    # A restart succeeds and the bot answers again.
    restarted = BotRunner(services, TOKEN, emulator.url, concurrent_updates=8)
    await restarted.start()
    try:
        await _help_answered(emulator, LEARNER)
    finally:
        await restarted.stop()
    for update in bad:
        assert _inbox(db_path, update["update_id"]) == ("failed", MAX_ATTEMPTS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def webhook_runner(
    services: Services, emulator: BotApiEmulator
) -> AsyncIterator[tuple[BotRunner, str]]:
    assert emulator.url is not None
    port = _free_port()
    hook = f"http://127.0.0.1:{port}/hook"
    runner = BotRunner(
        services,
        TOKEN,
        emulator.url,
        webhook=WebhookConfig(hook, SECRET, "127.0.0.1", port),
        concurrent_updates=8,
    )
    await runner.start()
    yield runner, hook
    await runner.stop()


async def test_webhook_answers_200_sets_poison_aside_and_answers_the_next_learner(
    webhook_runner: tuple[BotRunner, str],
    emulator: BotApiEmulator,
    db_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _runner, hook = webhook_runner
    await _help_answered(emulator, LEARNER)
    caplog.clear()
    caplog.set_level(logging.WARNING)
    bad = _poison(200)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    async with httpx.AsyncClient() as client:
        for update in bad:
            first = await client.post(hook, content=json.dumps(update), headers=headers)
            # Telegram retrying (as it would after a 500) changes nothing.
            again = await client.post(hook, content=json.dumps(update), headers=headers)
            assert (first.status_code, again.status_code) == (200, 200)
        # Not an update at all (nested past any JSON parser): refused, not a 500.
        deep = await client.post(hook, content="[" * 100_000, headers=headers)
        assert deep.status_code == 400
    await _help_answered(emulator, LEARNER)
    _assert_quarantined(db_path, bad, _log_lines(caplog))


async def test_a_stored_update_that_cannot_be_parsed_never_stops_a_start(
    services: Services, emulator: BotApiEmulator, db_path: Path
) -> None:
    """An older version stored it, or the bot died while setting it aside."""
    assert emulator.url is not None
    [inbox_id] = await services.intake.store([{"update_id": 300, "message": "garbage"}])
    assert inbox_id is not None
    for _ in range(MAX_ATTEMPTS):
        runner = BotRunner(services, TOKEN, emulator.url, concurrent_updates=8)
        await runner.start()  # raised before: the replay parsed it and failed
        try:
            await _help_answered(emulator, LEARNER)
        finally:
            await runner.stop()
        state, _attempts = _inbox(db_path, 300)
        if state == "failed":
            break
    assert _inbox(db_path, 300) == ("failed", MAX_ATTEMPTS)


async def test_an_update_id_out_of_range_is_confirmed_not_fetched_forever(
    services: Services, emulator: BotApiEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    """Its id cannot be stored, but PTB's offset still moves past it: no
    loop of getUpdates returning it again, one log line."""
    assert emulator.url is not None
    runner = BotRunner(services, TOKEN, emulator.url, concurrent_updates=8)
    await runner.start()
    try:
        await _help_answered(emulator, LEARNER)
        caplog.clear()
        caplog.set_level(logging.WARNING)
        before = len(emulator.requests("getUpdates"))
        emulator.inject_update(_message(2**70))
        # Confirmed by the next getUpdates (its offset is past the id).
        await emulator.wait_for_events(emulator.state.last_event_seq, timeout=10)
        for _ in range(50):
            if not emulator.pending_updates():
                break
            await emulator.wait_for_events(emulator.state.last_event_seq, timeout=10)
        assert emulator.pending_updates() == []
        fetched = len(emulator.requests("getUpdates")) - before
    finally:
        await runner.stop()
    assert fetched < 10
    assert len(_log_lines(caplog)) == 1
