"""python-telegram-bot's HTTP layer on aiohttp.

PTB ships an httpx backend; under load it costs about twice the CPU per Bot
API call of aiohttp's client, and the bot's one event loop is its bottleneck.
This implements PTB's documented extension point (BaseRequest) on aiohttp,
which the project already uses for the emulator and the webhook.
"""

from __future__ import annotations

import asyncio
import contextvars
import re
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from services import metrics

_BOT_URL = re.compile(r"/bot[^/]+")

# Awaited just before a request's first bytes are written to the socket;
# nothing else runs between its end and the write. The reply journal
# (bot/transport/intake.py) records there that a reply is leaving.
before_bytes_leave: contextvars.ContextVar[Callable[[], Awaitable[None]] | None] = (
    contextvars.ContextVar("vtcbot_before_bytes_leave", default=None)
)


async def _on_chunk(
    _session: aiohttp.ClientSession, _context: SimpleNamespace, _params: object
) -> None:
    # aiohttp awaits this in the request's writer before each body chunk
    # (the first carries the headers too) and writes right after it returns.
    step = before_bytes_leave.get()
    if step is not None:
        await step()


class ConnectionLost(NetworkError):
    """The connection failed once the request may have left: it may have arrived."""


class AiohttpRequest(BaseRequest):
    def __init__(
        self,
        connection_pool_size: int = 16,
        read_timeout: float = 5.0,
        write_timeout: float = 5.0,
        connect_timeout: float = 5.0,
        pool_timeout: float = 1.0,
        media_write_timeout: float = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            trace = aiohttp.TraceConfig()
            trace.on_request_chunk_sent.append(_on_chunk)
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
                trace_configs=[trace],
            )

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else {}
        data: Any = fields
        if files:
            # File names as written (UTF-8), as browsers and PTB's own httpx
            # transport send them: aiohttp would percent-encode them, and
            # Telegram would show "B%20kategorija.ics" to the learner.
            form = aiohttp.FormData(quote_fields=False)
            for name, value in fields.items():
                form.add_field(name, value)
            for name, (filename, content, mime) in files.items():
                payload = content if isinstance(content, bytes) else content.read()
                form.add_field(name, payload, filename=filename, content_type=mime)
            data = form
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = (
            self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        )
        pool = self._pool_timeout if isinstance(pool_timeout, DefaultValue) else pool_timeout
        write = self._write_timeout if isinstance(write_timeout, DefaultValue) else write_timeout
        if files and isinstance(write_timeout, DefaultValue):
            write = self._media_write_timeout
        # aiohttp has no separate write timeout: the whole request may take
        # the write and read budgets together.
        total = None if read is None or write is None else read + write + (connect or 0)
        timeout = aiohttp.ClientTimeout(
            total=total, connect=pool, sock_connect=connect, sock_read=read
        )
        try:
            async with self._session.request(method, url, data=data, timeout=timeout) as res:
                body = await res.read()
                metrics.telegram_answered(res.status)
                return res.status, body
        except TimeoutError as err:
            metrics.telegram_failed("timeout")
            raise TimedOut from err
        except asyncio.TimeoutError as err:  # noqa: UP041 (aiohttp may raise the alias)
            metrics.telegram_failed("timeout")
            raise TimedOut from err
        except aiohttp.ClientError as err:
            metrics.telegram_failed("network")
            # aiohttp's message quotes the URL, and the URL carries the token.
            detail = _BOT_URL.sub("/bot<token>", str(err))
            message = f"aiohttp.{err.__class__.__name__}: {detail}"
            if isinstance(err, aiohttp.ClientConnectorError):
                # No connection was made: the request never left.
                raise NetworkError(message) from None
            raise ConnectionLost(message) from None
