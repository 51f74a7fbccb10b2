"""HTTP client for the emulator's control API (``/_emulator/{op}``).

Mirrors the in-process methods of ``BotApiEmulator`` so tests, the terminal chat
and benchmarks can drive an emulator running in another process.
"""

from __future__ import annotations

import base64
from types import TracebackType
from typing import Any

import httpx

from .faults import FaultKind

JSON = dict[str, Any]

_ERRORS: dict[int, type[Exception]] = {400: ValueError, 404: LookupError, 408: TimeoutError}


class EmulatorClient:
    def __init__(self, root_url: str, *, timeout: float = 10.0) -> None:
        self.root_url = root_url.rstrip("/")
        self._timeout = timeout
        # trust_env=False: a proxy configured in the environment must not see loopback calls.
        self._http = httpx.AsyncClient(base_url=self.root_url, timeout=timeout, trust_env=False)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> EmulatorClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def call(self, op: str, *, wait: float = 0.0, **kwargs: Any) -> Any:
        """Run one control operation; ``wait`` extends the HTTP timeout for long polls."""
        response = await self._http.post(
            f"/_emulator/{op}", json=kwargs, timeout=self._timeout + wait
        )
        body = response.json()
        if response.status_code == 200 and body.get("ok"):
            return body["result"]
        error = _ERRORS.get(response.status_code, RuntimeError)
        raise error(body.get("description") or f"HTTP {response.status_code}")

    # ------------------------------------------------------------ learner actions

    async def send_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> JSON:
        result: JSON = await self.call(
            "send_text",
            user_id=user_id,
            text=text,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            reply_to_message_id=reply_to_message_id,
        )
        return result

    async def send_contact(
        self, user_id: int, phone_number: str, first_name: str | None = None
    ) -> JSON:
        result: JSON = await self.call(
            "send_contact", user_id=user_id, phone_number=phone_number, first_name=first_name
        )
        return result

    async def send_sticker(self, user_id: int, emoji: str = "👍") -> JSON:
        result: JSON = await self.call("send_sticker", user_id=user_id, emoji=emoji)
        return result

    async def send_voice(self, user_id: int, duration: int = 3) -> JSON:
        result: JSON = await self.call("send_voice", user_id=user_id, duration=duration)
        return result

    async def send_photo(self, user_id: int, caption: str | None = None) -> JSON:
        result: JSON = await self.call("send_photo", user_id=user_id, caption=caption)
        return result

    async def inject_update(self, update: JSON) -> JSON:
        result: JSON = await self.call("inject_update", update=update)
        return result

    async def press_button(
        self, user_id: int, message_id: int, callback_data: str, chat_id: int | None = None
    ) -> JSON:
        result: JSON = await self.call(
            "press_button",
            user_id=user_id,
            message_id=message_id,
            callback_data=callback_data,
            chat_id=chat_id,
        )
        return result

    async def press(
        self, user_id: int, message_id: int, button_text: str, chat_id: int | None = None
    ) -> JSON:
        result: JSON = await self.call(
            "press",
            user_id=user_id,
            message_id=message_id,
            button_text=button_text,
            chat_id=chat_id,
        )
        return result

    # ------------------------------------------------------------ what the bot did

    async def messages(self, chat_id: int, since: int = 0) -> list[JSON]:
        result: list[JSON] = await self.call("messages", chat_id=chat_id, since=since)
        return result

    async def message(self, chat_id: int, message_id: int) -> JSON:
        result: JSON = await self.call("message", chat_id=chat_id, message_id=message_id)
        return result

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int,
        since: int = 0,
        timeout: float = 5.0,
    ) -> list[JSON]:
        result: list[JSON] = await self.call(
            "wait_for_messages",
            wait=timeout,
            chat_id=chat_id,
            count=count,
            since=since,
            timeout=timeout,
        )
        return result

    async def events(self, since_seq: int = 0, limit: int | None = None) -> list[JSON]:
        result: list[JSON] = await self.call("events", since_seq=since_seq, limit=limit)
        return result

    async def wait_for_events(
        self,
        since_seq: int = 0,
        timeout: float = 30.0,
        limit: int | None = None,
    ) -> list[JSON]:
        result: list[JSON] = await self.call(
            "wait_for_events", wait=timeout, since_seq=since_seq, timeout=timeout, limit=limit
        )
        return result

    async def callback_answers(self, callback_query_id: str | None = None) -> list[JSON]:
        result: list[JSON] = await self.call(
            "callback_answers", callback_query_id=callback_query_id
        )
        return result

    async def wait_for_callback_answer(
        self,
        callback_query_id: str,
        timeout: float = 5.0,
    ) -> JSON:
        result: JSON = await self.call(
            "wait_for_callback_answer",
            wait=timeout,
            callback_query_id=callback_query_id,
            timeout=timeout,
        )
        return result

    async def commands(
        self, language_code: str | None = None, scope: JSON | None = None
    ) -> list[JSON]:
        result: list[JSON] = await self.call("commands", language_code=language_code, scope=scope)
        return result

    async def command_sets(self) -> list[JSON]:
        result: list[JSON] = await self.call("command_sets")
        return result

    async def requests(self, method: str | None = None, chat_id: int | None = None) -> list[JSON]:
        result: list[JSON] = await self.call("requests", method=method, chat_id=chat_id)
        return result

    async def documents(self, chat_id: int) -> list[JSON]:
        result: list[JSON] = await self.call("documents", chat_id=chat_id)
        return result

    async def file_bytes(self, file_id: str) -> bytes:
        encoded: str = await self.call("file_bytes", file_id=file_id)
        return base64.b64decode(encoded)

    async def reply_keyboard(self, chat_id: int) -> JSON | None:
        result: JSON | None = await self.call("reply_keyboard", chat_id=chat_id)
        return result

    async def chats(self) -> list[JSON]:
        result: list[JSON] = await self.call("chats")
        return result

    async def pending_updates(self) -> list[JSON]:
        result: list[JSON] = await self.call("pending_updates")
        return result

    async def webhook_info(self) -> JSON:
        result: JSON = await self.call("webhook_info")
        return result

    async def reset(self) -> None:
        await self.call("reset")

    # ------------------------------------------------------------ faults

    async def add_fault(
        self,
        method: str | None = None,
        chat_id: int | None = None,
        kind: FaultKind = "5xx",
        times: int | None = 1,
        retry_after: int = 1,
        delay: float | None = None,
    ) -> JSON:
        result: JSON = await self.call(
            "add_fault",
            method=method,
            chat_id=chat_id,
            kind=kind,
            times=times,
            retry_after=retry_after,
            delay=delay,
        )
        return result

    async def remove_fault(self, rule_id: int) -> bool:
        return bool(await self.call("remove_fault", rule_id=rule_id))

    async def clear_faults(self) -> None:
        await self.call("clear_faults")

    async def fault_rules(self) -> list[JSON]:
        result: list[JSON] = await self.call("fault_rules")
        return result

    async def block_user(self, user_id: int) -> None:
        await self.call("block_user", user_id=user_id)

    async def unblock_user(self, user_id: int) -> None:
        await self.call("unblock_user", user_id=user_id)

    async def set_strict_rate_limits(
        self, enabled: bool = True, overall: int = 30, per_chat: int = 1
    ) -> None:
        await self.call(
            "set_strict_rate_limits", enabled=enabled, overall=overall, per_chat=per_chat
        )
