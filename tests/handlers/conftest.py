"""Handler tests: Application.process_update with an offline bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, cast

import pytest

from bot.application import VtcApplication
from bot.transport.intake import DurableBot
from emulator import BotApiEmulator
from services.container import Services
from tests.offline import offline_application


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
        # As the intake does: stored, parsed with its inbox id, then handled.
        [inbox_id] = await self.app.services.intake.store([raw])
        assert inbox_id is not None, "the emulator gave an update seen before"
        update = await cast(DurableBot, self.app.bot).admit(inbox_id, raw)
        assert update is not None, "the update could not be parsed"
        await self.app.process_update(update)
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
    app, emu = await offline_application(services)
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
