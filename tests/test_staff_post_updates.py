"""The staff-chat post of an enquiry shows its status and who took it, and is
edited in place when either changes: a reply in the chat, the console, a
button, the learner's follow-up."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.transport.staff_posts import refresh_staff_post
from emulator import BotApiEmulator
from services.clock import FixedClock
from services.container import Services
from tests.conftest import ADMIN_ID
from tests.emu_helpers import (
    file_enquiry,
    next_message,
    reply_in_staff_chat,
    staffed_centre,
    wait_for_edit,
)
from texts.enquiries import staff_member
from vtcbot.runner import BotRunner

STAFF_CHAT = -1005555
STAFF = 3101
LEARNER = 2601


@pytest.fixture
async def running(
    tmp_path: Path, clock: FixedClock, emulator: BotApiEmulator
) -> AsyncIterator[tuple[Services, BotRunner]]:
    async with staffed_centre(tmp_path / "posts.db", clock, emulator, STAFF_CHAT, STAFF) as found:
        yield found


@pytest.fixture
def centre(running: tuple[Services, BotRunner]) -> Services:
    return running[0]


async def _post(emulator: BotApiEmulator) -> dict[str, Any]:
    emulator.send_text(LEARNER, "/start", language_code="lt")
    post = await file_enquiry(
        emulator, LEARNER, "Ar yra vakarinė grupė?", "Ona 8 612 34567", STAFF_CHAT
    )
    # The learner's updates are handled in order: once /help is answered, the
    # "Send" press has finished, the post's id recorded with it.
    emulator.send_text(LEARNER, "/help")
    await next_message(emulator, LEARNER)
    return post


async def test_the_post_follows_the_status_and_the_assignee(
    emulator: BotApiEmulator, centre: Services
) -> None:
    post = await _post(emulator)
    assert "Būsena: nauja · Atsakingas: kol kas niekas" in post["text"]

    # A staff member answers by replying: answered, and they hold it.
    seq = emulator.state.last_event_seq
    reply_in_staff_chat(emulator, STAFF_CHAT, STAFF, post, "Taip, nuo kovo.")
    edited = await wait_for_edit(emulator, STAFF_CHAT, post["message_id"], seq)
    # Named as Telegram gave their name when they replied (kept with the role).
    assert "Būsena: atsakyta · Atsakingas: Rūta" in edited["text"]
    assert str(STAFF) not in edited["text"]

    # Reassigned and closed in the console: the same post, edited again.
    seq = emulator.state.last_event_seq
    assert await centre.enquiry_console.assign(ADMIN_ID, 1, ADMIN_ID)
    edited = await wait_for_edit(emulator, STAFF_CHAT, post["message_id"], seq)
    assert f"Atsakingas: {ADMIN_ID}" in edited["text"]
    seq = emulator.state.last_event_seq
    assert await centre.enquiry_console.set_status(ADMIN_ID, 1, "closed")
    edited = await wait_for_edit(emulator, STAFF_CHAT, post["message_id"], seq)
    assert f"Būsena: uždaryta · Atsakingas: {ADMIN_ID}" in edited["text"]
    # The buttons carry the status now shown.
    datas = [b["callback_data"] for row in edited["reply_markup"]["inline_keyboard"] for b in row]
    assert datas[0] == "1|E|take|1|closed"


async def test_an_erased_learner_s_post_is_not_shown_again(
    emulator: BotApiEmulator, running: tuple[Services, BotRunner]
) -> None:
    centre, runner = running
    post = await _post(emulator)
    await centre.privacy.forget(LEARNER)
    edited = await wait_for_edit(emulator, STAFF_CHAT, post["message_id"], 0)
    assert "ištrinta besimokančiojo prašymu" in edited["text"]
    # A later status change does not bring the learner's words back.
    assert await centre.enquiry_console.set_status(ADMIN_ID, 1, "closed")
    lock = runner.erased_posts.lock
    assert not await refresh_staff_post(runner.app.bot, centre, 1, lock)
    shown = emulator.message(STAFF_CHAT, post["message_id"])
    assert "Ona" not in shown["text"] and "ištrinta" in shown["text"]


def test_a_staff_member_is_named_when_a_name_is_kept() -> None:
    assert staff_member(7001, None) == "7001"
    assert staff_member(7001, "Rūta Petraitė") == "Rūta Petraitė"
