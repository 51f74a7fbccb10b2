"""Webhook intake: commit the update, then answer 200, then handle it."""

from __future__ import annotations

import hmac
import logging
from typing import Any, cast

from aiohttp import web
from telegram.ext import Application

from bot.transport.intake import DurableBot
from services.intake import IntakeService, update_id_of

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookServer:
    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        intake: IntakeService,
        path: str,
        secret: str,
        host: str,
        port: int,
    ) -> None:
        self.app = app
        self.intake = intake
        self.path = path
        self.secret = secret
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        # Constant-time comparison: the secret is what proves the caller is Telegram.
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning("webhook call with a wrong secret token refused")
            return web.Response(status=403)
        try:
            payload = await request.json()
        except (ValueError, RecursionError):  # not JSON, or nested past any update
            return web.Response(status=400)
        if not isinstance(payload, dict) or update_id_of(payload) is None:
            return web.Response(status=400)
        bot = cast(DurableBot, self.app.bot)
        try:
            [inbox_id] = await self.intake.store([payload])
        except Exception:
            log.exception("could not store an update; Telegram will retry")
            return web.Response(status=500)
        # Stored: from here on the update is ours, so Telegram gets its 200
        # whatever happens to it. One that cannot be parsed is tried again
        # and then set aside (bot.admit), never answered 500 in a loop.
        if inbox_id is not None:
            update = await bot.admit(inbox_id, payload)
            if update is not None:
                await self.app.update_queue.put(update)
        return web.Response(text="ok")

    async def start(self) -> None:
        web_app = web.Application()
        web_app.router.add_post(self.path, self._receive)
        self._runner = web.AppRunner(web_app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        log.info("webhook listening on %s:%s%s", self.host, self.port, self.path)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
