"""The emulator's HTTP server: Bot API routes, file downloads, control API, webhooks."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import inspect
import json
import time
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

from .botapi import BotApi
from .faults import Fault
from .ops import EmulatorOps
from .params import JSON, ApiError, Params, UploadedFile
from .state import WebhookConfig

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPLOAD = 64 * 1024 * 1024  # above Telegram's 50 MB so oversized uploads are the bot's bug

# Operations of EmulatorOps reachable under /_emulator/{op}.
CONTROL_OPS = frozenset(
    {
        "send_text",
        "send_contact",
        "send_sticker",
        "send_voice",
        "send_photo",
        "inject_update",
        "press_button",
        "press",
        "messages",
        "message",
        "wait_for_messages",
        "events",
        "wait_for_events",
        "callback_answers",
        "wait_for_callback_answer",
        "commands",
        "command_sets",
        "requests",
        "documents",
        "file_bytes",
        "reply_keyboard",
        "chats",
        "pending_updates",
        "webhook_info",
        "reset",
        "add_fault",
        "remove_fault",
        "clear_faults",
        "fault_rules",
        "block_user",
        "unblock_user",
        "set_strict_rate_limits",
    }
)

_dumps = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))


def _json(body: Any, status: int = 200) -> web.Response:
    return web.json_response(body, status=status, dumps=_dumps)


async def read_params(request: web.Request) -> Params:
    values: JSON = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if request.body_exists:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise ApiError(400, "Bad Request: can't parse JSON encoded request") from None
            if isinstance(body, dict):
                values.update(body)
        else:
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    data = value.file.read()
                    files[name] = UploadedFile(value.filename, value.content_type, data)
                elif isinstance(value, str):
                    values[name] = value
                else:
                    values[name] = bytes(value).decode("utf-8", "replace")
    return Params(values, files)


def _query_value(value: str) -> Any:
    """GET convenience for the control API; POST JSON is the typed way."""
    lowered = value.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("null", "none"):
        return None
    try:
        return int(value)
    except ValueError:
        return value


class BotApiEmulator(EmulatorOps):
    """A Telegram Bot API look-alike on loopback plus the learner's side of the chat."""

    def __init__(
        self,
        bot_username: str = "vtc_demo_bot",
        clock: Callable[[], float] = time.time,
        *,
        bot_first_name: str = "VTC Demo Bot",
        valid_tokens: Iterable[str] | None = None,
        strict_rate_limits: bool = False,
        fault_timeout_delay: float = 10.0,
        webhook_retry_delay: float = 0.05,
        webhook_max_retry_delay: float = 2.0,
        webhook_timeout: float = 10.0,
    ) -> None:
        super().__init__(clock)
        self.api = BotApi(
            self.state,
            self.waiters,
            bot_username=bot_username,
            bot_first_name=bot_first_name,
            on_webhook_change=self._webhook_changed,
        )
        self.valid_tokens = None if valid_tokens is None else frozenset(valid_tokens)
        self.fault_timeout_delay = fault_timeout_delay
        self.webhook_retry_delay = webhook_retry_delay
        self.webhook_max_retry_delay = webhook_max_retry_delay
        self.webhook_timeout = webhook_timeout
        if strict_rate_limits:
            self.set_strict_rate_limits(True)
        self.url: str | None = None
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._delivery: asyncio.Task[None] | None = None

    # ------------------------------------------------------------ lifecycle

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_bot_api)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/_emulator/{op}", self._handle_control)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        if self._runner is not None:
            raise RuntimeError("emulator already started")
        # Cancelling handlers of vanished clients frees abandoned long polls at once.
        runner = web.AppRunner(
            self.make_app(), handler_cancellation=True, access_log=None, shutdown_timeout=0.25
        )
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        bound_port = runner.addresses[0][1]
        shown_host = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown_host}:{bound_port}"
        self._session = aiohttp.ClientSession()
        self._webhook_changed()
        return self.url

    async def stop(self) -> None:
        await self._stop_delivery()
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self.url = None

    async def __aenter__(self) -> BotApiEmulator:
        if self._runner is None:
            await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    # ------------------------------------------------------------ Bot API

    async def _handle_bot_api(self, request: web.Request) -> web.Response:
        started = self.state.clock()
        token = request.match_info["token"]
        name = request.match_info["method"]
        context = self.api.context_for(token)
        if context is None or (self.valid_tokens is not None and token not in self.valid_tokens):
            return self._answer(started, name, None, ApiError(401, "Unauthorized"))
        resolved = self.api.resolve(name)
        if resolved is None:
            return self._answer(started, name, None, ApiError(404, "Not Found"))
        method, handler = resolved
        work = self._call(request, context, method, handler, started)
        if method == "getUpdates":
            # A long poll of a vanished client is dropped at once.
            return await work
        # Like Telegram, a request that arrived is carried out even when its
        # client dies before reading the answer (a bot killed mid-request):
        # the answer is lost, the message is not.
        task = asyncio.ensure_future(work)
        task.add_done_callback(_consume)
        return await asyncio.shield(task)

    async def _call(
        self,
        request: web.Request,
        context: Any,
        method: str,
        handler: Any,
        started: float,
    ) -> web.Response:
        chat_id: int | None = None
        fault: Fault | None = None
        try:
            params = await read_params(request)
            ref = params.chat_ref()
            chat_id = ref if isinstance(ref, int) else None
            fault = self.faults.check(method, chat_id)
            if fault is not None:
                await self._apply_fault(fault, started, method, chat_id)
            result = await handler(context, params)
        except ApiError as error:
            kind = None if fault is None else fault.kind
            return self._answer(started, method, chat_id, error, fault=kind)
        return self._answer(started, method, chat_id, result)

    async def _apply_fault(
        self, fault: Fault, started: float, method: str, chat_id: int | None
    ) -> None:
        if fault.kind == "429":
            raise ApiError(
                429,
                f"Too Many Requests: retry after {fault.retry_after}",
                retry_after=fault.retry_after,
            )
        if fault.kind == "403":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if fault.kind == "5xx":
            raise ApiError(502, "Bad Gateway")
        # A timeout is logged up front: the client usually gives up and the handler is
        # cancelled before it could log anything.
        self._log(started, method, chat_id, "timeout", None, "held open", "timeout")
        await asyncio.sleep(self.fault_timeout_delay if fault.delay is None else fault.delay)
        raise ApiError(504, "Gateway Timeout")

    def _answer(
        self,
        started: float,
        method: str,
        chat_id: int | None,
        outcome: Any,
        *,
        fault: str | None = None,
    ) -> web.Response:
        if isinstance(outcome, ApiError):
            if outcome.code != 504 or fault != "timeout":
                self._log(
                    started, method, chat_id, "error", outcome.code, outcome.description, fault
                )
            return _json(outcome.payload(), status=outcome.code)
        message_id = outcome.get("message_id") if isinstance(outcome, dict) else None
        self._log(started, method, chat_id, "ok", None, None, None, message_id)
        return _json({"ok": True, "result": outcome})

    def _log(
        self,
        started: float,
        method: str,
        chat_id: int | None,
        outcome: str,
        error_code: int | None,
        description: str | None,
        fault: str | None,
        message_id: int | None = None,
    ) -> None:
        self.state.log_request(
            {
                "time": started,
                "method": method,
                "chat_id": chat_id,
                "outcome": outcome,
                "error_code": error_code,
                "description": description,
                "fault": fault,
                "message_id": message_id,
            }
        )

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if self.api.context_for(request.match_info["token"]) is None:
            return _json(ApiError(401, "Unauthorized").payload(), status=401)
        stored = self.state.file_by_path(request.match_info["path"])
        if stored is None or stored.data is None:
            return _json(ApiError(404, "Not Found").payload(), status=404)
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    async def _handle_unknown(self, request: web.Request) -> web.Response:
        return _json(ApiError(404, "Not Found").payload(), status=404)

    # ------------------------------------------------------------ control API

    async def _handle_control(self, request: web.Request) -> web.Response:
        op = request.match_info["op"]
        if op not in CONTROL_OPS:
            return _control_error(404, LookupError(f"unknown operation {op!r}"))
        kwargs: JSON = {k: _query_value(v) for k, v in request.query.items()}
        if request.body_exists:
            try:
                body = await request.json()
            except ValueError as error:
                return _control_error(400, error)
            if not isinstance(body, dict):
                return _control_error(400, ValueError("body must be a JSON object"))
            kwargs.update(body)
        try:
            result = getattr(self, op)(**kwargs)
            if inspect.isawaitable(result):
                result = await result
        except TimeoutError as error:
            return _control_error(408, error)
        except LookupError as error:
            return _control_error(404, error)
        except (ValueError, TypeError) as error:
            return _control_error(400, error)
        except ApiError as error:
            return _control_error(400, ValueError(error.description))
        if isinstance(result, bytes):
            result = base64.b64encode(result).decode()
        return _json({"ok": True, "result": result})

    # ------------------------------------------------------------ webhooks

    def _webhook_changed(self) -> None:
        if self._delivery is not None:
            self._delivery.cancel()
            self._delivery = None
        if self.state.webhook.url and self._session is not None:
            self._delivery = asyncio.get_running_loop().create_task(
                self._deliver(self.state.webhook)
            )
        # A long poll in progress has to notice the webhook and fail with 409.
        self.waiters.notify("updates")

    async def _stop_delivery(self) -> None:
        task, self._delivery = self._delivery, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _deliver(self, hook: WebhookConfig) -> None:
        """POST queued updates one at a time, in order, retrying with backoff like Telegram."""
        assert self._session is not None
        session = self._session
        state = self.state
        delay = self.webhook_retry_delay
        headers = {"Content-Type": "application/json"}
        if hook.secret_token:
            headers[SECRET_HEADER] = hook.secret_token
        timeout = aiohttp.ClientTimeout(total=self.webhook_timeout)
        while True:
            if not await self.waiters.wait_for("updates", lambda: bool(state.updates), 3600.0):
                continue
            update = state.updates[0]
            error: str | None = None
            try:
                async with session.post(
                    hook.url, data=_dumps(update), headers=headers, timeout=timeout
                ) as response:
                    if not 200 <= response.status < 300:
                        error = (
                            f"Wrong response from the webhook: {response.status} {response.reason}"
                        )
            except TimeoutError:
                error = "Read timeout expired"
            except aiohttp.ClientError as exc:
                error = f"Connection failed: {exc}"
            if error is None:
                if state.updates and state.updates[0] is update:
                    state.updates.popleft()
                delay = self.webhook_retry_delay
                continue
            hook.last_error_date = state.now()
            hook.last_error_message = error
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.webhook_max_retry_delay)


def _control_error(status: int, error: BaseException) -> web.Response:
    body = {"ok": False, "error": type(error).__name__, "description": str(error)}
    return _json(body, status=status)


def _consume(task: asyncio.Future[Any]) -> None:
    """A carried-out request whose client is gone: its outcome has no reader."""
    if not task.cancelled():
        task.exception()
