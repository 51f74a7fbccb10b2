"""An offline bot for handler tests: Bot API calls go straight to the
emulator's in-memory Bot API, with no socket and no network at all."""

from __future__ import annotations

import json
from typing import Any

from telegram.request import BaseRequest, RequestData

from bot.app import PacingSettings, build_application
from bot.application import VtcApplication
from bot.transport.http import before_bytes_leave
from emulator import BotApiEmulator
from emulator.params import ApiError, Params, UploadedFile
from services.container import Services
from tests.conftest import TOKEN


class OfflineRequest(BaseRequest):
    def __init__(self, emulator: BotApiEmulator) -> None:
        self.emulator = emulator

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        # As AiohttpRequest does just before the bytes leave: the reply journal's step.
        step = before_bytes_leave.get()
        if step is not None:
            await step()
        token, name = url.rsplit("/bot", 1)[1].split("/", 1)
        values: dict[str, Any] = {}
        files: dict[str, UploadedFile] = {}
        if request_data is not None:
            values.update(request_data.json_parameters)
            if request_data.multipart_data:
                for field, (filename, content, mime) in request_data.multipart_data.items():
                    data = content if isinstance(content, bytes) else content.read()
                    files[field] = UploadedFile(filename, mime, data)
        api = self.emulator.api
        resolved = api.resolve(name)
        context = api.context_for(token)
        if resolved is None or context is None:
            return 404, json.dumps(
                {"ok": False, "error_code": 404, "description": "Not Found"}
            ).encode()
        _method, handler = resolved
        try:
            result = await handler(context, Params(values, files))
        except ApiError as error:
            return error.code, json.dumps(error.payload()).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()


async def offline_application(services: Services) -> tuple[VtcApplication, BotApiEmulator]:
    """The bot's application, initialised, before a fresh emulator that is
    never started (each one counts its ids from 1). Handler tests check what
    the learner is told, not the pace (that is tests/test_pacing.py and the
    end-to-end tests): no wait between two messages to one chat."""
    emu = BotApiEmulator()
    app = build_application(
        services,
        TOKEN,
        "http://offline.invalid",
        request=OfflineRequest(emu),
        pacing=PacingSettings(chat_interval=0),
    )
    await app.initialize()
    return app, emu
