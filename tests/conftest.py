"""Shared fixtures: a fresh database with the demo catalogue, a fixed clock,
the Bot API emulator, and the bot running against it."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulator import BotApiEmulator
from services.clock import FixedClock
from services.container import Services
from vtcbot.runner import BotRunner

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "centre.yaml"
TOKEN = "123456:TEST"
ADMIN_ID = 9001
# The staff member the admin grants the role to in the console tests.
STAFF_ID = 7001
# A Saturday in late November 2026: every demo group is still ahead.
NOW = dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def services(tmp_path: Path, clock: FixedClock) -> AsyncIterator[Services]:
    svc = Services.create(tmp_path / "test.db", clock, admin_ids=[ADMIN_ID])
    await svc.start(DEMO)
    yield svc
    await svc.close()


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    emu = BotApiEmulator()
    await emu.start()
    yield emu
    await emu.stop()


@pytest.fixture
async def running_bot(services: Services, emulator: BotApiEmulator) -> AsyncIterator[BotRunner]:
    """The bot in this process, long-polling the emulator over loopback HTTP."""
    assert emulator.url is not None
    runner = BotRunner(services, TOKEN, emulator.url, concurrent_updates=8)
    await runner.start()
    yield runner
    await runner.stop()
