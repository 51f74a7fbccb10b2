"""Telegram's refusals during a broadcast, injected by the emulator: a 429 is
honoured for its whole retry_after (for everyone, or for the one chat it
concerns), a 5xx is retried, and learners answering 403 (10 %) are marked
inactive and left out of the next broadcast."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from emulator import BotApiEmulator
from services.broadcasts import Audience
from services.clock import FixedClock
from services.container import Services
from storage import learners_repo
from tests.conftest import ADMIN_ID, DEMO, TOKEN
from vtcbot.runner import BotRunner

LEARNERS = list(range(4000, 4100))
BLOCKED = set(LEARNERS[::10])  # 10 %
RATE_LIMITED = 4041
FLAKY = 4063
ASKER = 4200


@pytest.fixture
async def centre(
    tmp_path: Path, clock: FixedClock, emulator: BotApiEmulator
) -> AsyncIterator[tuple[Services, BotRunner]]:
    services = Services.create(tmp_path / "f.db", clock, admin_ids=[ADMIN_ID])
    await services.start(DEMO)
    async with services.db.transaction() as conn:
        for user in [*LEARNERS, ADMIN_ID]:
            await learners_repo.touch(conn, user, "lt", "-")
    for user in [*LEARNERS, ADMIN_ID, ASKER]:
        emulator.state.ensure_private_chat(user)
    for user in BLOCKED:
        emulator.block_user(user)
    assert emulator.url is not None
    # Telegram's pace: 30 messages a second, one a second per chat.
    runner = BotRunner(services, TOKEN, emulator.url, concurrent_updates=8)
    await runner.start()
    yield services, runner
    await runner.stop()
    await services.close()


async def _broadcast(services: Services, runner: BotRunner, text: str) -> int:
    broadcast_id = await services.broadcasts.create(ADMIN_ID, text, None, Audience("lt"))
    for due in await runner.broadcaster.start_due():
        await runner.broadcaster.run(due)
    await runner.broadcaster.join()
    return broadcast_id


def _messages(emulator: BotApiEmulator) -> list[dict[str, Any]]:
    return [r for r in emulator.state.requests if r["method"] == "sendMessage"]


async def test_429_pauses_everyone_5xx_is_retried_403_marks_inactive(
    centre: tuple[Services, BotRunner], emulator: BotApiEmulator
) -> None:
    services, runner = centre
    emulator.add_fault("sendMessage", RATE_LIMITED, kind="429", retry_after=1)
    emulator.add_fault("sendMessage", FLAKY, kind="5xx")
    first = await _broadcast(services, runner, "Pirmas skelbimas")

    requests = _messages(emulator)
    [refused] = [r for r in requests if r["error_code"] == 429]
    # A first message to that chat: the overall limit is the likely cause, so
    # nothing at all went out until retry_after had passed.
    during = [r for r in requests if refused["time"] < r["time"] < refused["time"] + 1.0]
    assert during == []
    retried = [r for r in requests if r["chat_id"] == RATE_LIMITED]
    assert [r["outcome"] for r in retried] == ["error", "ok"]
    flaky = [r["outcome"] for r in requests if r["chat_id"] == FLAKY]
    assert flaky == ["error", "ok"]

    figures = await services.broadcasts.figures(first)
    assert figures == {"sent": len(LEARNERS) - len(BLOCKED) + 1, "blocked": len(BLOCKED)}
    for user in LEARNERS:
        row = await learners_repo.get(services.db.reader, user)
        assert row is not None and row.inactive == (user in BLOCKED)
    # Nobody got it twice.
    delivered = [
        r["chat_id"] for r in requests if r["outcome"] == "ok" and r["chat_id"] != ADMIN_ID
    ]
    assert len(delivered) == len(set(delivered))

    before = len(emulator.state.requests)
    second = await _broadcast(services, runner, "Antras skelbimas")
    tried = {r["chat_id"] for r in _messages(emulator)[before:] if r["chat_id"] != ADMIN_ID}
    assert tried.isdisjoint(BLOCKED)
    assert await services.broadcasts.figures(second) == {"sent": len(LEARNERS) - len(BLOCKED) + 1}


async def test_429_in_one_chat_pauses_only_that_chat(
    centre: tuple[Services, BotRunner], emulator: BotApiEmulator
) -> None:
    services, runner = centre
    emulator.send_text(ASKER, "Kiek kainuoja B kategorija?")
    await emulator.wait_for_messages(ASKER, 1, timeout=10)
    # The next reply to this learner, moments after the first, is refused.
    emulator.add_fault("sendMessage", ASKER, kind="429", retry_after=2)
    sending = asyncio.create_task(_broadcast(services, runner, "Skelbimas"))
    emulator.send_text(ASKER, "O kiek kainuoja A kategorija?")
    await emulator.wait_for_messages(ASKER, 2, timeout=15)
    await sending

    requests = _messages(emulator)
    [refused] = [r for r in requests if r["error_code"] == 429]
    assert refused["chat_id"] == ASKER
    to_asker = [r for r in requests if r["chat_id"] == ASKER and r["time"] > refused["time"]]
    assert to_asker and min(r["time"] for r in to_asker) >= refused["time"] + 2.0
    # Meanwhile the broadcast went on to everyone else.
    others = [
        r
        for r in requests
        if r["chat_id"] in LEARNERS and refused["time"] < r["time"] < refused["time"] + 2.0
    ]
    assert len(others) >= 30
