"""The bot side: Bot API methods with the real API's result shapes and errors."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

from .entities import Entity, EntityParseError, UnsupportedParseMode, parse, utf16_len
from .params import JSON, ApiError, Params, bad_request
from .state import ChatState, EmulatorState, StoredFile, StoredMessage, WebhookConfig
from .waiters import Waiters

MAX_TEXT = 4096
MAX_CAPTION = 1024
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
INVALID_QUERY = "query is too old and response timeout expired or query ID is invalid"
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
SCOPE_TYPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_TOKEN = re.compile(r"(\d+):\S+")

Handler = Callable[["BotContext", Params], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class BotContext:
    token: str
    bot_id: int
    bot_user: JSON


def scope_key(scope: JSON | None) -> tuple[str, JSON]:
    """A canonical key for a BotCommandScope; ids may arrive as strings from forms."""
    scope = scope or {"type": "default"}
    kind = scope.get("type")
    if kind not in SCOPE_TYPES:
        raise bad_request("wrong parameter scope type specified")
    canonical: JSON = {"type": kind}
    for field in ("chat_id", "user_id"):
        if field in scope:
            value = scope[field]
            canonical[field] = int(value) if str(value).lstrip("-").isdigit() else value
    key = "|".join(f"{k}={canonical[k]}" for k in sorted(canonical))
    return key, canonical


class BotApi:
    def __init__(
        self,
        state: EmulatorState,
        waiters: Waiters,
        *,
        bot_username: str,
        bot_first_name: str,
        on_webhook_change: Callable[[], None],
    ) -> None:
        self.state = state
        self.waiters = waiters
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.on_webhook_change = on_webhook_change
        self._poll_generation = 0
        handlers: dict[str, Handler] = {
            "getMe": self.get_me,
            "logOut": self.true,
            "close": self.true,
            "getUpdates": self.get_updates,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "sendMessage": self.send_message,
            "sendDocument": self.send_document,
            "sendPhoto": self.send_photo,
            "copyMessage": self.copy_message,
            "sendChatAction": self.send_chat_action,
            "editMessageText": self.edit_message_text,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "getChat": self.get_chat,
            "getFile": self.get_file,
        }
        # Telegram matches method names case-insensitively.
        self.methods = {name.lower(): (name, fn) for name, fn in handlers.items()}

    def resolve(self, method: str) -> tuple[str, Handler] | None:
        return self.methods.get(method.lower())

    def context_for(self, token: str) -> BotContext | None:
        match = _TOKEN.fullmatch(token)
        if match is None:
            return None
        bot_id = int(match.group(1))
        user = {
            "id": bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }
        return BotContext(token, bot_id, user)

    # ------------------------------------------------------------ helpers

    def _chat(self, p: Params) -> ChatState:
        ref = p.chat_ref()
        if ref is None:
            raise bad_request("chat_id is empty")
        chat = self.state.find_chat(ref)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _message(self, p: Params, missing: str) -> StoredMessage:
        if p.has("inline_message_id") and not p.has("chat_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._chat(p)
        message_id = p.int_("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = chat.messages.get(message_id)
        if message is None or message.deleted:
            raise bad_request(missing)
        return message

    def _render(
        self,
        text: str,
        p: Params,
        *,
        entities_field: str,
        limit: int,
        too_long: str,
        empty: str | None,
    ) -> tuple[str, list[Entity]]:
        given = p.list_(entities_field, "can't parse entities JSON object")
        if given is not None:
            plain, entities = text, [e for e in given if isinstance(e, dict)]
        else:
            try:
                plain, entities = parse(text, p.str_("parse_mode"))
            except EntityParseError as error:
                raise bad_request(f"can't parse entities: {error}") from None
            except UnsupportedParseMode:
                raise bad_request("unsupported parse_mode") from None
        if empty is not None and not plain.strip():
            raise bad_request(empty)
        # Telegram counts UTF-16 code units; being as strict keeps the bot safe.
        if utf16_len(plain) > limit:
            raise bad_request(too_long)
        return plain, entities

    def _reply_markup(self, p: Params, *, inline_only: bool = False) -> JSON | None:
        error = "can't parse reply keyboard markup JSON object"
        markup = p.obj("reply_markup", error)
        if markup is None:
            return None
        if "inline_keyboard" in markup:
            _check_inline_keyboard(markup["inline_keyboard"])
            return {"inline_keyboard": markup["inline_keyboard"]}
        if inline_only:
            raise bad_request("inline keyboard expected")
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise bad_request('field "keyboard" of the ReplyKeyboardMarkup should be an Array')
            # Plain strings are allowed as buttons; one shape is easier on consumers.
            normalized = [[b if isinstance(b, dict) else {"text": b} for b in row] for row in rows]
            for button in (b for row in normalized for b in row):
                if not isinstance(button.get("text"), str) or not button["text"]:
                    raise bad_request("can't parse keyboard button: Text must be non-empty")
            return {**markup, "keyboard": normalized}
        if markup.get("remove_keyboard") or markup.get("force_reply"):
            return markup
        raise bad_request(error)

    def _reply_target(self, chat: ChatState, p: Params) -> StoredMessage | None:
        reply = p.obj("reply_parameters", "can't parse reply parameters JSON object")
        if reply is not None:
            message_id = reply.get("message_id")
            allow = bool(reply.get("allow_sending_without_reply"))
            if reply.get("chat_id") not in (None, chat.id):
                other = self.state.find_chat(reply["chat_id"])
                chat = other if other is not None else chat
        elif p.has("reply_to_message_id"):
            message_id = p.int_("reply_to_message_id")
            allow = p.bool_("allow_sending_without_reply")
        else:
            return None
        target = chat.messages.get(int(message_id)) if message_id is not None else None
        if target is None or target.deleted:
            if allow:
                return None
            raise bad_request("message to be replied not found")
        return target

    def _link_preview(self, p: Params) -> JSON | None:
        options = p.obj("link_preview_options", "can't parse link preview options JSON object")
        if options is None and p.bool_("disable_web_page_preview"):
            options = {"is_disabled": True}
        return options

    def _new_message(
        self,
        ctx: BotContext,
        chat: ChatState,
        p: Params,
        content: JSON,
        markup: JSON | None,
    ) -> StoredMessage:
        reply_to = self._reply_target(chat, p)
        thread_id = p.int_("message_thread_id")
        link_preview = self._link_preview(p)
        data: JSON = {
            "message_id": self.state.allocate_message_id(chat),
            "from": ctx.bot_user,
            "chat": chat.chat,
            "date": self.state.now(),
        }
        if thread_id:
            data["message_thread_id"] = thread_id
        if reply_to is not None:
            # Telegram does not nest replies more than one level deep.
            data["reply_to_message"] = {
                k: v for k, v in reply_to.data.items() if k != "reply_to_message"
            }
        data.update(content)
        if markup is not None and "inline_keyboard" in markup:
            data["reply_markup"] = markup
        if p.bool_("protect_content"):
            data["has_protected_content"] = True
        if link_preview is not None and "text" in content:
            data["link_preview_options"] = link_preview
        options = {
            "parse_mode": p.str_("parse_mode"),
            "disable_notification": p.bool_("disable_notification"),
            "protect_content": p.bool_("protect_content"),
            "link_preview_options": link_preview,
            "message_thread_id": thread_id,
            "reply_to_message_id": None if reply_to is None else reply_to.message_id,
        }
        if markup is not None and "keyboard" in markup:
            chat.reply_keyboard = markup
        elif markup is not None and markup.get("remove_keyboard"):
            chat.reply_keyboard = None
        return self.state.store_message(
            chat,
            data,
            from_bot=True,
            sent_reply_markup=markup,
            send_options={k: v for k, v in options.items() if v not in (None, False)},
        )

    # ------------------------------------------------------------ methods

    async def true(self, ctx: BotContext, p: Params) -> Any:
        return True

    async def get_me(self, ctx: BotContext, p: Params) -> Any:
        return {
            **ctx.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def get_updates(self, ctx: BotContext, p: Params) -> Any:
        state = self.state
        if state.webhook.url:
            raise ApiError(409, WEBHOOK_CONFLICT)
        offset = p.int_("offset")
        if offset:
            state.confirm_updates(offset)
        limit = min(max(p.int_("limit") or 100, 1), 100)
        timeout = max(p.float_("timeout") or 0.0, 0.0)
        self._poll_generation += 1
        generation = self._poll_generation
        self.waiters.notify("updates")  # an older long poll must give way to this one
        if timeout > 0:
            await self.waiters.wait_for(
                "updates",
                lambda: (
                    bool(state.updates)
                    or self._poll_generation != generation
                    or bool(state.webhook.url)
                ),
                timeout,
            )
        if self._poll_generation != generation:
            raise ApiError(409, POLL_CONFLICT)
        if state.webhook.url:
            raise ApiError(409, WEBHOOK_CONFLICT)
        return list(islice(state.updates, limit))

    async def set_webhook(self, ctx: BotContext, p: Params) -> Any:
        url = p.str_("url") or ""
        secret = p.str_("secret_token") or None
        if secret is not None and not _SECRET_TOKEN.fullmatch(secret):
            raise bad_request("secret token contains unallowed characters")
        # Real Telegram insists on HTTPS; plain HTTP is what a loopback test can offer.
        if url and urlsplit(url).scheme not in ("http", "https"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if p.bool_("drop_pending_updates"):
            self.state.drop_pending_updates()
        allowed = p.list_("allowed_updates", "can't parse allowed updates JSON object")
        self.state.webhook = WebhookConfig(
            url=url,
            secret_token=secret,
            max_connections=p.int_("max_connections") or 40,
            allowed_updates=[str(a) for a in allowed] if allowed is not None else None,
        )
        self.on_webhook_change()
        return True

    async def delete_webhook(self, ctx: BotContext, p: Params) -> Any:
        if p.bool_("drop_pending_updates"):
            self.state.drop_pending_updates()
        self.state.webhook = WebhookConfig()
        self.on_webhook_change()
        return True

    async def get_webhook_info(self, ctx: BotContext, p: Params) -> Any:
        hook = self.state.webhook
        info: JSON = {
            "url": hook.url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.state.updates),
        }
        if hook.url:
            info["max_connections"] = hook.max_connections
            info["ip_address"] = "127.0.0.1"
            if hook.allowed_updates is not None:
                info["allowed_updates"] = hook.allowed_updates
            if hook.last_error_date is not None:
                info["last_error_date"] = hook.last_error_date
                info["last_error_message"] = hook.last_error_message
        return info

    async def send_message(self, ctx: BotContext, p: Params) -> Any:
        chat = self._chat(p)
        text, entities = self._render(
            p.str_("text") or "",
            p,
            entities_field="entities",
            limit=MAX_TEXT,
            too_long="message is too long",
            empty="message text is empty",
        )
        content: JSON = {"text": text}
        if entities:
            content["entities"] = entities
        markup = self._reply_markup(p)
        return self._new_message(ctx, chat, p, content, markup).data

    async def copy_message(self, ctx: BotContext, p: Params) -> Any:
        """A copy of any message (text, photo, document...) sent by the bot."""
        chat = self._chat(p)
        source_chat = self.state.chats.get(p.int_("from_chat_id") or 0)
        if source_chat is None:
            raise bad_request("chat not found")
        source = source_chat.messages.get(p.int_("message_id") or 0)
        if source is None or source.deleted:
            raise bad_request("message to copy not found")
        copied = (
            "text",
            "entities",
            "photo",
            "document",
            "caption",
            "caption_entities",
            "video",
            "voice",
            "audio",
            "sticker",
            "contact",
        )
        content: JSON = {k: v for k, v in source.data.items() if k in copied}
        if p.has("caption"):
            content["caption"] = p.str_("caption")
        message = self._new_message(ctx, chat, p, content, self._reply_markup(p))
        return {"message_id": message.message_id}

    async def send_document(self, ctx: BotContext, p: Params) -> Any:
        chat = self._chat(p)
        stored = self._input_document(p)
        document: JSON = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        if stored.file_name:
            document["file_name"] = stored.file_name
        if stored.mime_type:
            document["mime_type"] = stored.mime_type
        if stored.size is not None:
            document["file_size"] = stored.size
        content: JSON = {"document": document}
        self._caption(p, content)
        markup = self._reply_markup(p)
        return self._new_message(ctx, chat, p, content, markup).data

    async def send_photo(self, ctx: BotContext, p: Params) -> Any:
        """A photo by the file id of one Telegram already has, or uploaded."""
        chat = self._chat(p)
        upload = p.file("photo")
        if upload is not None:
            stored = self.state.add_file(
                kind="photo", file_name=None, mime_type="image/jpeg", data=upload.data
            )
        else:
            found = self.state.files.get(p.str_("photo") or "")
            if found is None:
                raise bad_request("wrong file identifier/HTTP URL specified")
            stored = found
        size: JSON = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": 800,
            "height": 600,
        }
        if stored.size is not None:
            size["file_size"] = stored.size
        content: JSON = {"photo": [size]}
        self._caption(p, content)
        return self._new_message(ctx, chat, p, content, self._reply_markup(p)).data

    def _caption(self, p: Params, content: JSON) -> None:
        caption = p.str_("caption")
        if not caption:
            return
        text, entities = self._render(
            caption,
            p,
            entities_field="caption_entities",
            limit=MAX_CAPTION,
            too_long="message caption is too long",
            empty=None,
        )
        if text:
            content["caption"] = text
        if entities:
            content["caption_entities"] = entities

    def _input_document(self, p: Params) -> StoredFile:
        upload = p.file("document")
        reference = p.str_("document")
        if upload is None and reference and reference.startswith("attach://"):
            upload = p.file(reference.removeprefix("attach://"))
        if upload is not None:
            mime = upload.content_type
            if not mime or mime == "application/octet-stream":
                mime = mimetypes.guess_type(upload.filename or "")[0] or mime
            return self.state.add_file(
                kind="document", file_name=upload.filename, mime_type=mime, data=upload.data
            )
        if not reference:
            raise bad_request("there is no document in the request")
        known = self.state.files.get(reference)
        if known is not None:
            return known
        if reference.startswith(("http://", "https://")):
            # Telegram would download it; the emulator never leaves loopback.
            name = urlsplit(reference).path.rsplit("/", 1)[-1] or "file"
            return self.state.add_file(
                kind="document",
                file_name=name,
                mime_type=mimetypes.guess_type(name)[0],
                data=None,
            )
        raise bad_request("wrong file identifier/HTTP URL specified")

    async def send_chat_action(self, ctx: BotContext, p: Params) -> Any:
        chat = self._chat(p)
        action = p.str_("action")
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.state.emit("chat_action", chat.id, None, action=action)
        return True

    async def edit_message_text(self, ctx: BotContext, p: Params) -> Any:
        message = self._message(p, "message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        if "text" not in message.data:
            raise bad_request("there is no text in the message to edit")
        text, entities = self._render(
            p.str_("text") or "",
            p,
            entities_field="entities",
            limit=MAX_TEXT,
            too_long="message is too long",
            empty="message text is empty",
        )
        markup = self._reply_markup(p, inline_only=True)
        data = _with(message.data, text=text, entities=entities or None, reply_markup=markup)
        link_preview = self._link_preview(p)
        if link_preview is not None:
            data["link_preview_options"] = link_preview
        return self._apply_edit(message, data, markup)

    async def edit_message_reply_markup(self, ctx: BotContext, p: Params) -> Any:
        message = self._message(p, "message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        markup = self._reply_markup(p, inline_only=True)
        return self._apply_edit(message, _with(message.data, reply_markup=markup), markup)

    def _apply_edit(self, message: StoredMessage, data: JSON, markup: JSON | None) -> JSON:
        keys = ("text", "entities", "caption", "caption_entities", "reply_markup")
        if all(data.get(k) == message.data.get(k) for k in keys):
            raise bad_request(NOT_MODIFIED)
        data["edit_date"] = self.state.now()
        message.sent_reply_markup = markup
        self.state.replace_message(message, data)
        return data

    async def delete_message(self, ctx: BotContext, p: Params) -> Any:
        message = self._message(p, "message to delete not found")
        self.state.delete_message(message)
        return True

    async def answer_callback_query(self, ctx: BotContext, p: Params) -> Any:
        query_id = p.str_("callback_query_id") or ""
        record = self.state.callback_queries.get(query_id)
        if record is None or record.answer is not None:
            raise bad_request(INVALID_QUERY)
        message = record.query.get("message") or {}
        answer: JSON = {
            "callback_query_id": query_id,
            "text": p.str_("text"),
            "show_alert": p.bool_("show_alert"),
            "url": p.str_("url"),
            "cache_time": p.int_("cache_time") or 0,
            "time": self.state.clock(),
            "user_id": record.query["from"]["id"],
            "chat_id": (message.get("chat") or {}).get("id"),
            "message_id": message.get("message_id"),
            "data": record.query.get("data"),
        }
        self.state.record_callback_answer(record, answer)
        return True

    async def set_my_commands(self, ctx: BotContext, p: Params) -> Any:
        commands = p.list_("commands", "can't parse commands JSON object")
        if commands is None:
            raise bad_request('parameter "commands" is required')
        if len(commands) > 100:
            raise bad_request("too many commands specified")
        cleaned: list[JSON] = []
        for item in commands:
            if not isinstance(item, dict):
                raise bad_request("can't parse BotCommand JSON object")
            name = str(item.get("command") or "").removeprefix("/")
            description = str(item.get("description") or "").strip()
            if not _COMMAND_NAME.fullmatch(name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not description or len(description) > 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key, scope = scope_key(p.obj("scope", "can't parse BotCommandScope JSON object"))
        self.state.set_commands(key, scope, p.str_("language_code") or "", cleaned)
        return True

    async def get_my_commands(self, ctx: BotContext, p: Params) -> Any:
        key, _ = scope_key(p.obj("scope", "can't parse BotCommandScope JSON object"))
        return self.state.get_commands(key, p.str_("language_code") or "")

    async def delete_my_commands(self, ctx: BotContext, p: Params) -> Any:
        key, scope = scope_key(p.obj("scope", "can't parse BotCommandScope JSON object"))
        self.state.set_commands(key, scope, p.str_("language_code") or "", [])
        return True

    async def get_chat(self, ctx: BotContext, p: Params) -> Any:
        chat = self._chat(p)
        # ChatFullInfo fields that python-telegram-bot requires.
        return {
            **chat.chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def get_file(self, ctx: BotContext, p: Params) -> Any:
        stored = self.state.files.get(p.str_("file_id") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        result: JSON = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_path": stored.file_path,
        }
        if stored.size is not None:
            result["file_size"] = stored.size
        return result


def _with(data: JSON, **changes: Any) -> JSON:
    """A copy of a message with fields set, or removed when the new value is None."""
    result = dict(data)
    for key, value in changes.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def _check_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    for button in (b for row in rows for b in row):
        if not isinstance(button, dict) or not button.get("text"):
            raise bad_request("can't parse inline keyboard button: Text must be non-empty")
        if not any(action in button for action in INLINE_BUTTON_ACTIONS):
            raise bad_request(
                "can't parse inline keyboard button: "
                "Text buttons are unallowed in the inline keyboard"
            )
        data = button.get("callback_data")
        if data is not None and (
            not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64
        ):
            raise bad_request("BUTTON_DATA_INVALID")
        if "url" in button and not button["url"]:
            raise bad_request("BUTTON_URL_INVALID")
