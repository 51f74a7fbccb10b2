"""The console served by uvicorn inside the bot's own event loop.

uvicorn's `serve()` would install its own signal handlers and take over
Ctrl-C; the bot already stops on SIGTERM and SIGINT, so the server's
start-up, main loop and shutdown are driven here instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

import uvicorn
from starlette.applications import Starlette

log = logging.getLogger(__name__)


class AdminServer:
    def __init__(
        self, app: Starlette, host: str, port: int, forwarded_allow_ips: Sequence[str] = ()
    ) -> None:
        trusted = [str(ip) for ip in forwarded_allow_ips]
        self.config = uvicorn.Config(
            app,
            host=host,
            port=port,
            lifespan="off",
            # None: uvicorn installs no handlers of its own; its records go to
            # the root handler, scrubbed like every other (vtcbot.logging_setup).
            log_config=None,
            log_level="warning",
            access_log=False,
            # Behind the centre's HTTPS proxy the scheme and client address
            # come from its X-Forwarded-* headers, but only when the request
            # comes from a proxy listed in FORWARDED_ALLOW_IPS: anyone else
            # (also on loopback) could otherwise pick the address the sign-in
            # throttle counts. Nothing listed: the headers are ignored.
            proxy_headers=bool(trusted),
            forwarded_allow_ips=trusted or None,
        )
        self.server = uvicorn.Server(self.config)
        self._task: asyncio.Task[None] | None = None
        self.port: int | None = None

    async def start(self) -> bool:
        """Listen; False (and a warning) if the address cannot be had: the bot
        runs on without its console rather than not at all."""
        if not self.config.loaded:
            self.config.load()
        self.server.lifespan = self.config.lifespan_class(self.config)
        try:
            await self.server.startup()
        except (OSError, SystemExit) as exc:
            log.warning(
                "the web console could not listen on %s:%s: %s",
                self.config.host,
                self.config.port,
                exc,
            )
            return False
        if self.server.should_exit:  # uvicorn reports a failed bind this way
            log.warning(
                "the web console could not listen on %s:%s", self.config.host, self.config.port
            )
            return False
        sockets = [s for server in self.server.servers for s in server.sockets]
        self.port = sockets[0].getsockname()[1] if sockets else self.config.port
        self._task = asyncio.create_task(self.server.main_loop(), name="admin-console")
        return True

    async def stop(self) -> None:
        if self._task is None:
            return
        self.server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        await self.server.shutdown()
        self._task = None
