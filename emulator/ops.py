"""The learner and test side of the emulator, usable in-process.

``BotApiEmulator`` inherits these methods and the HTTP control API exposes them
by name, so ``EmulatorClient`` offers the same operations over HTTP.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from .botapi import scope_key
from .entities import detect_commands
from .faults import FaultInjector, FaultKind
from .state import JSON, ChatState, EmulatorState, StoredMessage, registered_participants
from .waiters import Waiters

_DEFAULT_FIRST_NAME = "Learner"


class EmulatorOps:
    def __init__(self, clock: Callable[[], float]) -> None:
        self.waiters = Waiters()
        self.state = EmulatorState(clock, notify=self.waiters.notify)
        self.faults = FaultInjector(clock)

    def _webhook_changed(self) -> None:
        """Overridden by the server, which owns webhook delivery."""

    # ------------------------------------------------------------ learner actions

    def _incoming(
        self,
        user_id: int,
        content: JSON,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> JSON:
        user, chat = self.state.ensure_private_chat(
            user_id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        data: JSON = {
            "message_id": self.state.allocate_message_id(chat),
            "from": user,
            "chat": chat.chat,
            "date": self.state.now(),
        }
        if reply_to_message_id is not None:
            target = self._find_message(chat, reply_to_message_id)
            data["reply_to_message"] = {
                k: v for k, v in target.data.items() if k != "reply_to_message"
            }
        data.update(content)
        self.state.store_message(chat, data, from_bot=False)
        return self.state.push_update({"message": data})

    def send_text(
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
        """A private text message from a learner (first_name defaults to "Learner",
        language_code to "lt"; given profile fields update the stored user)."""
        content: JSON = {"text": text}
        entities = detect_commands(text)
        if entities:
            content["entities"] = entities
        return self._incoming(
            user_id,
            content,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            reply_to_message_id=reply_to_message_id,
        )

    def send_contact(self, user_id: int, phone_number: str, first_name: str | None = None) -> JSON:
        known = self.state.users.get(user_id, {})
        contact = {
            "phone_number": phone_number,
            "first_name": first_name or known.get("first_name") or _DEFAULT_FIRST_NAME,
            "user_id": user_id,
        }
        return self._incoming(user_id, {"contact": contact})

    def send_sticker(self, user_id: int, emoji: str = "👍") -> JSON:
        stored = self.state.add_file(
            kind="sticker", file_name=None, mime_type="image/webp", data=b"RIFF\0\0\0\0WEBP"
        )
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": stored.size,
        }
        return self._incoming(user_id, {"sticker": sticker})

    def send_voice(self, user_id: int, duration: int = 3) -> JSON:
        stored = self.state.add_file(
            kind="voice", file_name=None, mime_type="audio/ogg", data=b"OggS" + bytes(60)
        )
        voice = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": stored.size,
        }
        return self._incoming(user_id, {"voice": voice})

    def send_photo(
        self, user_id: int, caption: str | None = None, data: bytes | None = None
    ) -> JSON:
        """A photo from the learner (`data`: its bytes; a tiny stand-in if none)."""
        sizes = []
        for width, height in ((90, 67), (800, 600)):
            stored = self.state.add_file(
                kind="photo",
                file_name=None,
                mime_type="image/jpeg",
                data=data if data is not None else b"\xff\xd8\xff" * 8,
            )
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": width,
                    "height": height,
                    "file_size": stored.size,
                }
            )
        content: JSON = {"photo": sizes}
        if caption:
            content["caption"] = caption
        return self._incoming(user_id, content)

    def send_document(
        self,
        user_id: int,
        file_name: str,
        data: bytes,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> JSON:
        """A file the learner sends (any kind: Telegram calls them documents)."""
        stored = self.state.add_file(
            kind="document", file_name=file_name, mime_type=mime_type, data=data
        )
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": file_name,
            "file_size": stored.size,
        }
        if mime_type:
            document["mime_type"] = mime_type
        content: JSON = {"document": document}
        if caption:
            content["caption"] = caption
        return self._incoming(user_id, content)

    def inject_update(self, update: JSON) -> JSON:
        """Queue any update; its users, chats and message become known to the emulator."""
        for kind, value in registered_participants(update):
            if kind == "chat":
                self.state.register_chat(value)
            else:
                self.state.register_user(value)
        message = update.get("message")
        if isinstance(message, dict) and isinstance(message.get("message_id"), int):
            chat = self.state.chats.get((message.get("chat") or {}).get("id", 0))
            if chat is not None and message["message_id"] not in chat.messages:
                chat.next_message_id = max(chat.next_message_id, message["message_id"] + 1)
                self.state.store_message(chat, message, from_bot=False)
        return self.state.push_update(update)

    def press_button(
        self, user_id: int, message_id: int, callback_data: str, chat_id: int | None = None
    ) -> JSON:
        """A callback_query from user_id; chat_id defaults to the user's private chat."""
        chat = self._chat(user_id if chat_id is None else chat_id)
        message = self._find_message(chat, message_id)
        if not message.from_bot:
            raise LookupError(f"message {message_id} in chat {chat.id} is not the bot's")
        user = self.state.users.get(user_id) or self.state.ensure_private_chat(user_id)[0]
        query = self.state.new_callback_query(user, chat, message.data, callback_data)
        return self.state.push_update({"callback_query": query})

    def press(
        self, user_id: int, message_id: int, button_text: str, chat_id: int | None = None
    ) -> JSON:
        """Press an inline button found by its text (exact, then case-insensitive)."""
        message = self._find_message(
            self._chat(user_id if chat_id is None else chat_id), message_id
        )
        buttons = [
            button
            for row in (message.data.get("reply_markup") or {}).get("inline_keyboard", [])
            for button in row
        ]
        match = next((b for b in buttons if b.get("text") == button_text), None)
        if match is None:
            wanted = button_text.casefold()
            match = next((b for b in buttons if str(b.get("text")).casefold() == wanted), None)
        if match is None:
            texts = [b.get("text") for b in buttons]
            raise LookupError(f"no button {button_text!r} in message {message_id}: {texts}")
        if "callback_data" not in match:
            raise ValueError(f"button {button_text!r} has no callback_data")
        return self.press_button(user_id, message_id, match["callback_data"], chat_id)

    # ------------------------------------------------------------ what the bot did

    def _chat(self, chat_id: int) -> ChatState:
        chat = self.state.chats.get(chat_id)
        if chat is None:
            raise LookupError(f"unknown chat {chat_id}")
        return chat

    def _find_message(self, chat: ChatState, message_id: int) -> StoredMessage:
        message = chat.messages.get(message_id)
        if message is None or message.deleted:
            raise LookupError(f"no message {message_id} in chat {chat.id}")
        return message

    def messages(self, chat_id: int, since: int = 0) -> list[JSON]:
        """The bot's messages in a chat with message_id > since, current state, oldest first."""
        return [m.view() for m in self.state.bot_messages(chat_id, since)]

    def message(self, chat_id: int, message_id: int) -> JSON:
        message = self._chat(chat_id).messages.get(message_id)
        if message is None:
            raise LookupError(f"no message {message_id} in chat {chat_id}")
        return message.view()

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int,
        since: int = 0,
        timeout: float = 5.0,
    ) -> list[JSON]:
        state = self.state
        reached = await self.waiters.wait_for(
            ("chat", chat_id), lambda: state.count_bot_messages(chat_id, since) >= count, timeout
        )
        if not reached:
            got = [m.data.get("text", "<no text>") for m in state.bot_messages(chat_id, since)]
            raise TimeoutError(
                f"chat {chat_id}: wanted {count} bot messages after #{since} within "
                f"{timeout}s, got {len(got)}: {got}"
            )
        return self.messages(chat_id, since)

    def events(self, since_seq: int = 0, limit: int | None = None) -> list[JSON]:
        return self.state.events_since(since_seq, limit)

    async def wait_for_events(
        self,
        since_seq: int = 0,
        timeout: float = 30.0,
        limit: int | None = None,
    ) -> list[JSON]:
        """Events after since_seq, waiting up to timeout for the first; [] on timeout."""
        state = self.state
        await self.waiters.wait_for("events", lambda: state.last_event_seq > since_seq, timeout)
        return state.events_since(since_seq, limit)

    def callback_answers(self, callback_query_id: str | None = None) -> list[JSON]:
        answers = self.state.callback_answers
        if callback_query_id is None:
            return list(answers)
        return [a for a in answers if a["callback_query_id"] == callback_query_id]

    async def wait_for_callback_answer(
        self,
        callback_query_id: str,
        timeout: float = 5.0,
    ) -> JSON:
        record = self.state.callback_queries.get(callback_query_id)
        if record is None:
            raise LookupError(f"unknown callback query {callback_query_id}")
        await self.waiters.wait_for(
            ("callback", callback_query_id), lambda: record.answer is not None, timeout
        )
        if record.answer is None:
            raise TimeoutError(f"callback query {callback_query_id} not answered in {timeout}s")
        return record.answer

    def commands(self, language_code: str | None = None, scope: JSON | None = None) -> list[JSON]:
        """What getMyCommands would return for that scope (default) and language ("")."""
        key, _ = scope_key(scope)
        return self.state.get_commands(key, language_code or "")

    async def wait_for_commands(
        self,
        predicate: Callable[[list[JSON]], bool],
        language_code: str | None = None,
        scope: JSON | None = None,
        timeout: float = 5.0,
    ) -> list[JSON]:
        """The commands of a scope and language once ``predicate`` holds for them."""
        key, _ = scope_key(scope)
        lang = language_code or ""
        state = self.state
        reached = await self.waiters.wait_for(
            "commands", lambda: predicate(state.get_commands(key, lang)), timeout
        )
        if not reached:
            raise TimeoutError(f"the commands of {key} ({lang or 'any language'}) did not change")
        return state.get_commands(key, lang)

    def command_sets(self) -> list[JSON]:
        return list(self.state.commands.values())

    def requests(self, method: str | None = None, chat_id: int | None = None) -> list[JSON]:
        wanted = None if method is None else method.lower()
        return [
            r
            for r in self.state.requests
            if (wanted is None or r["method"].lower() == wanted)
            and (chat_id is None or r["chat_id"] == chat_id)
        ]

    def documents(self, chat_id: int) -> list[JSON]:
        """Documents the bot sent to a chat, with their bytes base64-encoded."""
        result = []
        for message in self.state.bot_messages(chat_id):
            document = message.data.get("document")
            if document is None:
                continue
            stored = self.state.files.get(document["file_id"])
            data = stored.data if stored is not None else None
            result.append(
                {
                    **document,
                    "message_id": message.message_id,
                    "caption": message.data.get("caption"),
                    "deleted": message.deleted,
                    "data_base64": None if data is None else base64.b64encode(data).decode(),
                }
            )
        return result

    def file_bytes(self, file_id: str) -> bytes:
        stored = self.state.files.get(file_id)
        if stored is None or stored.data is None:
            raise LookupError(f"no content for file {file_id}")
        return stored.data

    def reply_keyboard(self, chat_id: int) -> JSON | None:
        """The reply keyboard the learner currently sees in that chat, if any."""
        return self._chat(chat_id).reply_keyboard

    def chats(self) -> list[JSON]:
        return [chat.chat for chat in self.state.chats.values()]

    def pending_updates(self) -> list[JSON]:
        return list(self.state.updates)

    def webhook_info(self) -> JSON:
        hook = self.state.webhook
        return {
            "url": hook.url,
            "has_secret_token": hook.secret_token is not None,
            "pending_update_count": len(self.state.updates),
            "last_error_date": hook.last_error_date,
            "last_error_message": hook.last_error_message,
        }

    def reset(self) -> None:
        """Forget everything (chats, messages, updates, logs, faults, webhook, blocks)."""
        self.state.reset()
        self.faults.clear()
        self.faults.blocked.user_ids.clear()
        self._webhook_changed()

    # ------------------------------------------------------------ faults

    def add_fault(
        self,
        method: str | None = None,
        chat_id: int | None = None,
        kind: FaultKind = "5xx",
        times: int | None = 1,
        retry_after: int = 1,
        delay: float | None = None,
    ) -> dict[str, Any]:
        """Fail matching calls; method=None matches every method, getUpdates included."""
        return self.faults.add_fault(method, chat_id, kind, times, retry_after, delay).describe()

    def remove_fault(self, rule_id: int) -> bool:
        return self.faults.remove(rule_id)

    def clear_faults(self) -> None:
        self.faults.clear()

    def fault_rules(self) -> list[dict[str, Any]]:
        return self.faults.describe()

    def block_user(self, user_id: int) -> None:
        self.faults.blocked.user_ids.add(user_id)

    def unblock_user(self, user_id: int) -> None:
        self.faults.blocked.user_ids.discard(user_id)

    def set_strict_rate_limits(
        self, enabled: bool = True, overall: int = 30, per_chat: int = 1
    ) -> None:
        self.faults.set_strict_rate_limits(enabled, overall, per_chat)
