"""GET /healthz and GET /metrics for the operator's monitoring, on their own
address (METRICS_HOST, METRICS_PORT; loopback by default), served by aiohttp
in the bot's own event loop: a stuck loop answers neither, which is the point.

A watcher beside them writes a heartbeat every minute (so a quiet night
still gives Litestream something to replicate) and reads how fresh the
replica is, for vtcbot_backup_last_success_timestamp_seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import subprocess
from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from services import health, metrics
from services.clock import Clock
from storage import ops_repo, replica
from storage.backup import BackupError
from storage.database import Database

log = logging.getLogger(__name__)

# Polling asks Telegram every 25 s at most; a webhook bot is asked to prove
# itself with a cheap call every PROBE_SECONDS.
TELEGRAM_MAX_AGE = 120.0
WATCH_SECONDS = 60.0


class OpsServer:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        host: str,
        port: int,
        replica_url: str | None = None,
        telegram_probe: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.host = host
        self.port = port
        self.replica_url = replica_url
        # A cheap Bot API call for when the bot has nothing else to ask
        # Telegram (webhook mode): proves the token and the network work.
        self.telegram_probe = telegram_probe
        self._runner: web.AppRunner | None = None
        self._watcher: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> bool:
        """Listen; False (and a warning) if the address cannot be had: the bot
        runs on without its monitoring endpoints rather than not at all."""
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except OSError as exc:
            log.warning(
                "health and metrics could not listen on %s:%s: %s", self.host, self.port, exc
            )
            await runner.cleanup()
            return False
        self._runner = runner
        server = site._server  # the bound socket tells the port taken for 0
        sockets = getattr(server, "sockets", None) or []
        if sockets:
            self.port = int(sockets[0].getsockname()[1])
        self._watcher = asyncio.create_task(self._watch(), name="ops-watcher")
        log.info("health and metrics at %s", self.url)
        return True

    async def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
            self._watcher = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, _request: web.Request) -> web.Response:
        result = await health.check(self.db, self.clock, TELEGRAM_MAX_AGE)
        body = {"status": "ok" if result.ok else "unhealthy", "checks": result.checks}
        return web.Response(
            status=200 if result.ok else 503,
            text=json.dumps(body),
            content_type="application/json",
        )

    async def _metrics(self, _request: web.Request) -> web.Response:
        await metrics.refresh(self.db, self.clock.now())
        response = web.Response(body=metrics.render())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    async def _watch(self) -> None:
        while True:
            await self._watch_once()
            await asyncio.sleep(WATCH_SECONDS)

    async def _watch_once(self) -> None:
        if self.telegram_probe is not None:
            try:
                await self.telegram_probe()
            except Exception as exc:  # counted by the HTTP layer; logged here
                log.warning("Telegram did not answer the health probe: %s", type(exc).__name__)
        if not self.replica_url:
            return
        try:
            async with self.db.transaction() as conn:
                await ops_repo.probe_write(conn, self.clock.now())
            metrics.replica_seen(await asyncio.to_thread(replica.newest, self.replica_url))
        except (BackupError, OSError, subprocess.SubprocessError) as exc:
            log.warning("the replica could not be read: %s", exc)
        except Exception:
            log.exception("the replica could not be read")
