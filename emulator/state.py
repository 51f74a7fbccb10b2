"""In-memory world of the emulator: users, chats, messages, updates and logs.

Nothing here is async or does I/O.  Whoever needs to wait for a change passes a
``notify`` callback, called with a key naming what changed: ``"updates"``,
``"events"``, ``("chat", chat_id)`` or ``("callback", query_id)``.

Message dicts (``StoredMessage.data``) are replaced, never mutated, so that an
update already queued keeps the snapshot the learner saw, as in Telegram.
"""

from __future__ import annotations

import bisect
import itertools
import secrets
from collections import deque
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]
Clock = Callable[[], float]


@dataclass(slots=True)
class StoredMessage:
    chat_id: int
    message_id: int
    data: JSON
    from_bot: bool
    deleted: bool = False
    sent_reply_markup: JSON | None = None
    send_options: JSON = field(default_factory=dict)

    def view(self) -> JSON:
        """The Telegram Message plus what only the emulator knows about it."""
        return {
            **self.data,
            "deleted": self.deleted,
            "sent_reply_markup": self.sent_reply_markup,
            "send_options": self.send_options,
        }


@dataclass(slots=True)
class ChatState:
    chat: JSON
    chat_instance: str
    next_message_id: int = 1
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    bot_message_ids: list[int] = field(default_factory=list)
    reply_keyboard: JSON | None = None

    @property
    def id(self) -> int:
        chat_id: int = self.chat["id"]
        return chat_id


@dataclass(slots=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None
    data: bytes | None = None

    @property
    def size(self) -> int | None:
        return None if self.data is None else len(self.data)


@dataclass(slots=True)
class WebhookConfig:
    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass(slots=True)
class CallbackQueryRecord:
    query: JSON
    answer: JSON | None = None


class EmulatorState:
    def __init__(self, clock: Clock, notify: Callable[[Hashable], None] | None = None) -> None:
        self.clock = clock
        self._notify = notify or (lambda key: None)
        # Counters survive reset() so that ids seen by a running bot stay unique.
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._request_seq = itertools.count(1)
        self._event_seq = 0
        self._clear()

    def _clear(self) -> None:
        self.users: dict[int, JSON] = {}
        self.chats: dict[int, ChatState] = {}
        self.usernames: dict[str, int] = {}
        self.updates: deque[JSON] = deque()
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.callback_answers: list[JSON] = []
        # (scope key, language_code) -> {"scope": ..., "language_code": ..., "commands": [...]}
        self.commands: dict[tuple[str, str], JSON] = {}
        self.files: dict[str, StoredFile] = {}
        self.file_paths: dict[str, str] = {}
        self.requests: list[JSON] = []
        self.events: list[JSON] = []
        self.events_base = self._event_seq
        self.webhook = WebhookConfig()

    def reset(self) -> None:
        self._clear()
        self._notify("updates")
        self._notify("events")

    def now(self) -> int:
        return int(self.clock())

    # ------------------------------------------------------------ users and chats

    def ensure_private_chat(
        self,
        user_id: int,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> tuple[JSON, ChatState]:
        old = self.users.get(user_id, {})
        user: JSON = {"id": user_id, "is_bot": False, "first_name": "Learner", **old}
        for key, value in (
            ("first_name", first_name),
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
        ):
            if value is not None:
                user[key] = value
        user.setdefault("language_code", "lt")
        if user != old:
            self.users[user_id] = user
        chat_fields: JSON = {
            k: user[k] for k in ("first_name", "last_name", "username") if k in user
        }
        chat = self.register_chat({"id": user_id, "type": "private", **chat_fields})
        return self.users[user_id], chat

    def register_user(self, user: JSON) -> None:
        if not user.get("is_bot") and isinstance(user.get("id"), int):
            self.users[user["id"]] = {**self.users.get(user["id"], {}), **user}

    def register_chat(self, chat: JSON) -> ChatState:
        chat_id: int = chat["id"]
        state = self.chats.get(chat_id)
        if state is None:
            state = ChatState(chat=dict(chat), chat_instance=str(secrets.randbits(62)))
            self.chats[chat_id] = state
        elif any(state.chat.get(k) != v for k, v in chat.items()):
            state.chat = {**state.chat, **chat}
        if chat.get("username"):
            self.usernames[str(chat["username"]).lower()] = chat_id
        return state

    def find_chat(self, ref: int | str) -> ChatState | None:
        if isinstance(ref, str):
            chat_id = self.usernames.get(ref.removeprefix("@").lower())
            return None if chat_id is None else self.chats.get(chat_id)
        return self.chats.get(ref)

    # ------------------------------------------------------------ messages

    def allocate_message_id(self, chat: ChatState) -> int:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        return message_id

    def store_message(
        self,
        chat: ChatState,
        data: JSON,
        *,
        from_bot: bool,
        sent_reply_markup: JSON | None = None,
        send_options: JSON | None = None,
    ) -> StoredMessage:
        message = StoredMessage(
            chat_id=chat.id,
            message_id=data["message_id"],
            data=data,
            from_bot=from_bot,
            sent_reply_markup=sent_reply_markup,
            send_options=send_options or {},
        )
        chat.messages[message.message_id] = message
        if from_bot:
            chat.bot_message_ids.append(message.message_id)
            self.emit("sent", chat.id, message.message_id, message=message.view())
            self._notify(("chat", chat.id))
        return message

    def replace_message(self, message: StoredMessage, data: JSON) -> None:
        message.data = data
        self.emit("edited", message.chat_id, message.message_id, message=message.view())
        self._notify(("chat", message.chat_id))

    def delete_message(self, message: StoredMessage) -> None:
        message.deleted = True
        self.emit("deleted", message.chat_id, message.message_id)
        self._notify(("chat", message.chat_id))

    def bot_messages(self, chat_id: int, since: int = 0) -> list[StoredMessage]:
        """Bot messages with message_id > since, oldest first (ids only grow)."""
        chat = self.chats.get(chat_id)
        if chat is None:
            return []
        ids = chat.bot_message_ids
        return [chat.messages[i] for i in ids[bisect.bisect_right(ids, since) :]]

    def count_bot_messages(self, chat_id: int, since: int = 0) -> int:
        chat = self.chats.get(chat_id)
        if chat is None:
            return 0
        ids = chat.bot_message_ids
        return len(ids) - bisect.bisect_right(ids, since)

    # ------------------------------------------------------------ updates

    def push_update(self, body: JSON) -> JSON:
        wanted = body.get("update_id")
        if isinstance(wanted, int):
            self.reserve_update_id(wanted)
            update = dict(body)
        else:
            update = {"update_id": next(self._update_ids), **body}
        self.updates.append(update)
        self.emit("incoming", _update_chat_id(update), None, update=update)
        self._notify("updates")
        return update

    def reserve_update_id(self, wanted: int) -> None:
        """Keep generated ids above an id chosen by an injected update."""
        current = next(self._update_ids)
        self._update_ids = itertools.count(max(current, wanted + 1))

    def confirm_updates(self, offset: int) -> None:
        if offset < 0:
            while len(self.updates) > -offset:
                self.updates.popleft()
            return
        while self.updates and self.updates[0]["update_id"] < offset:
            self.updates.popleft()

    def drop_pending_updates(self) -> None:
        self.updates.clear()

    # ------------------------------------------------------------ callback queries

    def new_callback_query(self, user: JSON, chat: ChatState, message: JSON, data: str) -> JSON:
        query_id = str(4_000_000_000_000_000_000 + next(self._callback_ids))
        query: JSON = {
            "id": query_id,
            "from": user,
            "message": message,
            "chat_instance": chat.chat_instance,
            "data": data,
        }
        self.callback_queries[query_id] = CallbackQueryRecord(query)
        return query

    def record_callback_answer(self, record: CallbackQueryRecord, answer: JSON) -> None:
        record.answer = answer
        self.callback_answers.append(answer)
        message = record.query.get("message") or {}
        chat_id = (message.get("chat") or {}).get("id")
        self.emit("callback_answered", chat_id, message.get("message_id"), answer=answer)
        self._notify(("callback", answer["callback_query_id"]))

    # ------------------------------------------------------------ files

    def add_file(
        self,
        *,
        kind: str,
        file_name: str | None,
        mime_type: str | None,
        data: bytes | None,
    ) -> StoredFile:
        number = next(self._file_ids)
        token = secrets.token_hex(6)
        extension = file_name.rsplit(".", 1)[-1] if file_name and "." in file_name else "bin"
        stored = StoredFile(
            file_id=f"BQAC-{kind}-{number}-{token}",
            file_unique_id=f"AgAD{number}{token[:4]}",
            file_path=f"{kind}s/file_{number}.{extension}",
            file_name=file_name,
            mime_type=mime_type,
            data=data,
        )
        self.files[stored.file_id] = stored
        self.file_paths[stored.file_path] = stored.file_id
        return stored

    def file_by_path(self, path: str) -> StoredFile | None:
        file_id = self.file_paths.get(path)
        return None if file_id is None else self.files.get(file_id)

    # ------------------------------------------------------------ commands

    def set_commands(
        self, scope_key: str, scope: JSON, language_code: str, commands: list[JSON]
    ) -> None:
        key = (scope_key, language_code)
        if commands:
            self.commands[key] = {
                "scope": scope,
                "language_code": language_code,
                "commands": commands,
            }
        else:
            self.commands.pop(key, None)
        self._notify("commands")

    def get_commands(self, scope_key: str, language_code: str) -> list[JSON]:
        entry = self.commands.get((scope_key, language_code))
        return [] if entry is None else list(entry["commands"])

    # ------------------------------------------------------------ logs

    def log_request(self, record: JSON) -> JSON:
        entry = {"seq": next(self._request_seq), **record}
        self.requests.append(entry)
        return entry

    def emit(self, kind: str, chat_id: int | None, message_id: int | None, **payload: Any) -> None:
        self._event_seq += 1
        event = {
            "seq": self._event_seq,
            "kind": kind,
            "time": self.clock(),
            "chat_id": chat_id,
            "message_id": message_id,
            **payload,
        }
        self.events.append(event)
        self._notify("events")

    @property
    def last_event_seq(self) -> int:
        return self._event_seq

    def events_since(self, seq: int, limit: int | None = None) -> list[JSON]:
        # Sequence numbers are dense, so the list index is known without a scan.
        start = max(seq - self.events_base, 0)
        stop = None if limit is None else start + limit
        return self.events[start:stop]


def _update_chat_id(update: JSON) -> int | None:
    for key in ("message", "edited_message", "callback_query", "my_chat_member"):
        body = update.get(key)
        if isinstance(body, dict):
            if key == "callback_query":
                body = body.get("message") or {}
            chat = body.get("chat")
            if isinstance(chat, dict) and isinstance(chat.get("id"), int):
                chat_id: int = chat["id"]
                return chat_id
    return None


def registered_participants(update: JSON) -> Iterable[tuple[str, JSON]]:
    """Users and chats mentioned by an injected update, so later sends can reach them."""
    for body in update.values():
        if not isinstance(body, dict):
            continue
        for key in ("from", "chat", "user"):
            value = body.get(key)
            if isinstance(value, dict) and "id" in value:
                yield ("chat" if key == "chat" else "user"), value
        message = body.get("message")
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            yield "chat", message["chat"]
