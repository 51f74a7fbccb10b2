"""Broadcasts through the bot and the emulator: each recipient once, in their
language; a learner who blocked the bot is marked and skipped next time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulator import BotApiEmulator
from services.broadcasts import Audience
from services.clock import FixedClock
from services.container import Services
from services.roles import NotAllowed
from storage import learners_repo
from tests.conftest import ADMIN_ID, DEMO, TOKEN
from vtcbot.runner import BotRunner

LEARNERS = range(3000, 3020)
BLOCKED = {3003, 3011}
OPTED_OUT = 3005
ENGLISH = {3001, 3002, 3015}


@pytest.fixture
async def centre(
    tmp_path: Path, clock: FixedClock, emulator: BotApiEmulator
) -> AsyncIterator[tuple[Services, BotRunner]]:
    services = Services.create(tmp_path / "b.db", clock, admin_ids=[ADMIN_ID])
    await services.start(DEMO)
    async with services.db.transaction() as conn:
        for user in [*LEARNERS, ADMIN_ID]:
            await learners_repo.touch(conn, user, "en" if user in ENGLISH else "lt", "-")
    for user in [*LEARNERS, ADMIN_ID]:
        emulator.state.ensure_private_chat(user)
    for user in BLOCKED:
        emulator.block_user(user)
    await services.broadcasts.set_announcements(OPTED_OUT, False)
    assert emulator.url is not None
    runner = BotRunner(services, TOKEN, emulator.url, concurrent_updates=8)
    await runner.start()
    yield services, runner
    await runner.stop()
    await services.close()


async def _run(runner: BotRunner) -> None:
    """Until every broadcast due has been sent (the bot may have started it)."""
    for broadcast_id in await runner.broadcaster.start_due():
        await runner.broadcaster.run(broadcast_id)
    await runner.broadcaster.join()


async def test_everyone_once_in_their_language_and_blocked_skipped_next_time(
    centre: tuple[Services, BotRunner], emulator: BotApiEmulator
) -> None:
    services, runner = centre
    audience = Audience("everyone")
    counts = await services.broadcasts.count(ADMIN_ID, audience)
    # Everyone but the one who turned announcements off (and the admin, who
    # is a learner row too).
    assert sum(counts.values()) == len(LEARNERS) - 1 + 1
    first = await services.broadcasts.create(
        ADMIN_ID,
        "Rytoj pamoka <b>203</b> kabinete.",
        "Tomorrow's lesson is in room <b>203</b>.",
        audience,
    )
    await _run(runner)
    for user in LEARNERS:
        texts = [m.get("text", "") for m in emulator.messages(user)]
        if user in BLOCKED or user == OPTED_OUT:
            assert texts == []
        elif user in ENGLISH:
            assert texts == ["Tomorrow's lesson is in room 203."]
        else:
            assert texts == ["Rytoj pamoka 203 kabinete."]
    figures = await services.broadcasts.figures(first)
    assert figures == {"sent": len(LEARNERS) - 1 - len(BLOCKED) + 1, "blocked": len(BLOCKED)}
    report = emulator.messages(ADMIN_ID)
    assert any("Skelbimas Nr. 1: pristatymo ataskaita" in m.get("text", "") for m in report)
    assert (await services.broadcasts.get(first)).state == "done"  # type: ignore[union-attr]

    # The next broadcast does not try the learners who blocked the bot.
    second = await services.broadcasts.create(ADMIN_ID, "Antras", None, audience)
    await _run(runner)
    figures = await services.broadcasts.figures(second)
    assert figures == {"sent": len(LEARNERS) - 1 - len(BLOCKED) + 1}
    # Lithuanian text to everyone when there is no English one.
    assert emulator.messages(3001)[-1]["text"] == "Antras"


async def test_a_learner_cannot_broadcast_or_cancel(centre: tuple[Services, BotRunner]) -> None:
    services, _ = centre
    learner = 3000
    with pytest.raises(NotAllowed):
        await services.broadcasts.create(learner, "x", None, Audience("everyone"))
    broadcast_id = await services.broadcasts.create(ADMIN_ID, "x", None, Audience("staff"))
    with pytest.raises(NotAllowed):
        await services.broadcasts.cancel(learner, broadcast_id)
    assert (await services.broadcasts.get(broadcast_id)).state == "scheduled"  # type: ignore[union-attr]
