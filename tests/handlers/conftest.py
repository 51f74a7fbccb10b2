"""Handler tests: Application.process_update with an offline bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Update

from bot.app import PacingSettings, VtcApplication, build_application
from emulator import BotApiEmulator
from services.container import Services
from tests.conftest import TOKEN
from tests.offline import OfflineRequest


class Chat:
    """A learner talking to the bot; each call runs the update through the handlers."""

    def __init__(
        self, app: VtcApplication, emu: BotApiEmulator, user_id: int, language_code: str
    ) -> None:
        self.app = app
        self.emu = emu
        self.user_id = user_id
        self.language_code = language_code

    async def _process(self, raw: dict[str, Any]) -> list[dict[str, Any]]:
        before = self.emu.state.last_event_seq
        self.app.admit(raw["update_id"])  # as the intake does for a fresh update
        await self.app.process_update(Update.de_json(raw, self.app.bot))
        return [
            e
            for e in self.emu.events(before)
            if e["kind"] in ("sent", "edited") and e["chat_id"] == self.user_id
        ]

    async def say(self, text: str) -> list[dict[str, Any]]:
        """What the bot sent or edited in answer to a text message."""
        raw = self.emu.send_text(self.user_id, text, language_code=self.language_code)
        return [e["message"] for e in await self._process(raw)]

    async def press(self, message: dict[str, Any], label: str) -> list[dict[str, Any]]:
        raw = self.emu.press(self.user_id, message["message_id"], label)
        return [e["message"] for e in await self._process(raw)]

    async def press_data(self, message_id: int, data: str) -> list[dict[str, Any]]:
        raw = self.emu.press_button(self.user_id, message_id, data)
        return [e["message"] for e in await self._process(raw)]

    async def send(self, raw: dict[str, Any]) -> list[dict[str, Any]]:
        return [e["message"] for e in await self._process(raw)]


def buttons(message: dict[str, Any]) -> list[str]:
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [b["text"] for row in keyboard for b in row]


def callback_data(message: dict[str, Any]) -> list[str]:
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [b["callback_data"] for row in keyboard for b in row if "callback_data" in b]


@pytest.fixture
async def offline_app(services: Services) -> AsyncIterator[tuple[VtcApplication, BotApiEmulator]]:
    emu = BotApiEmulator()  # never started: no socket, the offline request calls it directly
    # Handler tests check what the learner is told, not the pace (that is
    # tests/test_pacing.py and the end-to-end tests): no wait between two
    # messages to one chat.
    app = build_application(
        services,
        TOKEN,
        "http://offline.invalid",
        request=OfflineRequest(emu),
        pacing=PacingSettings(chat_interval=0),
    )
    await app.initialize()
    yield app, emu
    await app.shutdown()


@pytest.fixture
def learner(offline_app: tuple[VtcApplication, BotApiEmulator]) -> Chat:
    app, emu = offline_app
    return Chat(app, emu, 2001, "lt")


@pytest.fixture
def english_learner(offline_app: tuple[VtcApplication, BotApiEmulator]) -> Chat:
    app, emu = offline_app
    return Chat(app, emu, 2002, "en")
