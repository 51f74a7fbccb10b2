"""Webhook intake: commit the update, then answer 200, then handle it."""

from __future__ import annotations

import hmac
import logging
from typing import Any

from aiohttp import web
from telegram import Update

from bot.app import VtcApplication

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookServer:
    def __init__(self, app: VtcApplication, path: str, secret: str, host: str, port: int) -> None:
        self.app = app
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
            payload: dict[str, Any] = await request.json()
            update_id = int(payload["update_id"])
        except (ValueError, KeyError, TypeError):
            return web.Response(status=400)
        try:
            fresh = await self.app.services.intake.store([payload])
        except Exception:
            log.exception("could not store update %s; Telegram will retry", update_id)
            return web.Response(status=500)
        if update_id in fresh:
            self.app.admit(update_id)
            await self.app.update_queue.put(Update.de_json(payload, self.app.bot))
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
