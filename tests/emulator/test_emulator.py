"""The emulator, driven by python-telegram-bot's own Bot so every shape is parsed by PTB."""

from __future__ import annotations

import asyncio
import base64
import datetime as dtm
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import telegram
from aiohttp import web
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from emulator import BotApiEmulator, EmulatorClient
from emulator.botapi import scope_key

TOKEN = "123456:TEST-token-for-the-emulator"
LEARNER = 1001

# PTB warns that RetryAfter.retry_after will become a timedelta; seconds() handles both.
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(fault_timeout_delay=0.2, webhook_retry_delay=0.01) as emu:
        yield emu


def make_bot(emulator: BotApiEmulator, token: str = TOKEN) -> telegram.Bot:
    root = emulator.url
    return telegram.Bot(token, base_url=f"{root}/bot", base_file_url=f"{root}/file/bot")


@pytest.fixture
async def bot(emulator: BotApiEmulator) -> AsyncIterator[telegram.Bot]:
    async with make_bot(emulator) as tg_bot:
        yield tg_bot


async def _noop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    return None


def seconds(value: int | dtm.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


async def test_get_me(bot: telegram.Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "vtc_demo_bot", True)


async def test_text_arrives_by_long_poll_and_offset_confirms(
    emulator: BotApiEmulator, bot: telegram.Bot
) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    emulator.send_text(LEARNER, "/start hello", first_name="Ona", username="ona_l")
    updates = await poll
    assert loop.time() - started < 1.0
    [update] = updates
    message = update.message
    assert message is not None and message.text == "/start hello"
    assert message.chat.type == "private" and message.chat.id == LEARNER
    assert message.from_user is not None and message.from_user.first_name == "Ona"
    assert message.from_user.language_code == "lt"
    assert CommandHandler("start", _noop).check_update(update)
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
    assert emulator.pending_updates() == []


async def test_second_long_poll_terminates_first(
    emulator: BotApiEmulator, bot: telegram.Bot
) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    # A second bot process with the same token, as when an old instance is still running.
    async with make_bot(emulator) as other:
        assert await other.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match=r"(?i)terminated by other getUpdates"):
        await first


async def test_inline_keyboard_press_and_answer(
    emulator: BotApiEmulator, bot: telegram.Bot
) -> None:
    emulator.send_text(LEARNER, "hi")
    [hello] = await bot.get_updates()
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Taip", callback_data="yes"),
                InlineKeyboardButton("Ne", callback_data="no"),
            ]
        ]
    )
    sent = await bot.send_message(
        LEARNER,
        "<b>Ar tęsti?</b>",
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
        reply_to_message_id=hello.message.message_id if hello.message else None,
    )
    assert sent.text == "Ar tęsti?" and sent.entities[0].type == "bold"
    assert sent.reply_markup == keyboard
    assert sent.reply_to_message is not None and sent.reply_to_message.text == "hi"
    assert sent.from_user is not None and sent.from_user.id == 123456

    pressed = emulator.press(LEARNER, sent.message_id, "Taip")
    updates = await bot.get_updates(offset=hello.update_id + 1, timeout=1)
    [update] = updates
    query = update.callback_query
    assert isinstance(query, CallbackQuery) and query.data == "yes"
    assert query.id == pressed["callback_query"]["id"]
    assert isinstance(query.message, telegram.Message)
    assert query.message.message_id == sent.message_id and query.message.text == "Ar tęsti?"

    assert await bot.answer_callback_query(query.id, text="Gerai")
    [answer] = emulator.callback_answers(query.id)
    assert answer["text"] == "Gerai" and answer["message_id"] == sent.message_id
    with pytest.raises(BadRequest, match=r"(?i)query ID is invalid"):
        await bot.answer_callback_query(query.id)
    with pytest.raises(LookupError):
        emulator.press(LEARNER, sent.message_id, "Gal")


async def test_edit_and_delete(emulator: BotApiEmulator, bot: telegram.Bot) -> None:
    emulator.send_text(LEARNER, "hi")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    sent = await bot.send_message(LEARNER, "one", reply_markup=keyboard)
    edited = await bot.edit_message_text("two", LEARNER, sent.message_id, reply_markup=keyboard)
    assert isinstance(edited, telegram.Message) and edited.text == "two"
    assert edited.edit_date is not None
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("two", LEARNER, sent.message_id, reply_markup=keyboard)
    # Without reply_markup Telegram drops the keyboard, so this is a real change.
    plain = await bot.edit_message_text("two", LEARNER, sent.message_id)
    assert isinstance(plain, telegram.Message) and plain.reply_markup is None
    again = await bot.edit_message_reply_markup(LEARNER, sent.message_id, reply_markup=keyboard)
    assert isinstance(again, telegram.Message) and again.reply_markup == keyboard

    [view] = emulator.messages(LEARNER)
    assert view["text"] == "two" and not view["deleted"]
    assert await bot.delete_message(LEARNER, sent.message_id)
    assert emulator.messages(LEARNER)[0]["deleted"] is True
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(LEARNER, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", LEARNER, 999)
    kinds = [e["kind"] for e in emulator.events()]
    assert kinds == ["incoming", "sent", "edited", "edited", "edited", "deleted"]


async def test_reply_keyboard_and_parse_errors(emulator: BotApiEmulator, bot: telegram.Bot) -> None:
    emulator.send_text(LEARNER, "hi")
    await bot.send_message(
        LEARNER, "Pasirinkite", reply_markup=ReplyKeyboardMarkup([["Kursai", "Kontaktai"]])
    )
    keyboard = emulator.reply_keyboard(LEARNER)
    assert keyboard is not None and keyboard["keyboard"][0][0]["text"] == "Kursai"
    await bot.send_message(LEARNER, "Ok", reply_markup=ReplyKeyboardRemove())
    assert emulator.reply_keyboard(LEARNER) is None
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(LEARNER, "<b>bold", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(LEARNER, "<br>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)must be escaped"):
        await bot.send_message(LEARNER, "Sveiki.", parse_mode=ParseMode.MARKDOWN_V2)
    md = await bot.send_message(LEARNER, "*Sveiki*\\!", parse_mode=ParseMode.MARKDOWN_V2)
    assert md.text == "Sveiki!" and md.entities[0].type == "bold"


async def test_send_document_bytes_and_file_id(emulator: BotApiEmulator, bot: telegram.Bot) -> None:
    emulator.send_text(LEARNER, "hi")
    payload = b"%PDF-1.4 tvarkarastis"
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Atsisiųsta", callback_data="ok")]])
    sent = await bot.send_document(
        LEARNER,
        document=payload,
        filename="tvarkarastis.pdf",
        caption="<i>Tvarkaraštis</i>",
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
    )
    document = sent.document
    assert document is not None and document.file_name == "tvarkarastis.pdf"
    assert document.mime_type == "application/pdf" and document.file_size == len(payload)
    assert sent.caption == "Tvarkaraštis" and sent.reply_markup == keyboard
    [stored] = emulator.documents(LEARNER)
    assert base64.b64decode(stored["data_base64"]) == payload
    downloaded = await (await bot.get_file(document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == payload
    resent = await bot.send_document(LEARNER, document=document.file_id)
    assert resent.document is not None and resent.document.file_id == document.file_id
    assert len(emulator.documents(LEARNER)) == 2


async def test_commands_per_language_and_scope(emulator: BotApiEmulator, bot: telegram.Bot) -> None:
    assert await bot.set_my_commands([BotCommand("start", "Pradėti")], language_code="lt")
    assert await bot.set_my_commands([BotCommand("start", "Start"), BotCommand("help", "Help")])
    scope = BotCommandScopeChat(LEARNER)
    assert await bot.set_my_commands([BotCommand("admin", "Admin")], scope=scope)
    lt = await bot.get_my_commands(language_code="lt")
    assert [(c.command, c.description) for c in lt] == [("start", "Pradėti")]
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    assert [c.command for c in await bot.get_my_commands(scope=scope)] == ["admin"]
    assert emulator.commands("lt") == [{"command": "start", "description": "Pradėti"}]
    assert emulator.commands(scope={"type": "chat", "chat_id": LEARNER})[0]["command"] == "admin"
    assert await bot.delete_my_commands(language_code="lt")
    assert await bot.get_my_commands(language_code="lt") == ()
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])


async def test_errors_map_to_ptb_exceptions(emulator: BotApiEmulator, bot: telegram.Bot) -> None:
    emulator.send_text(LEARNER, "hi")
    with pytest.raises(BadRequest, match=r"(?i)too long"):
        await bot.send_message(LEARNER, "x" * 4097)
    assert (await bot.send_message(LEARNER, "<b>x</b>" + "y" * 4094, parse_mode="HTML")).text
    with pytest.raises(BadRequest, match=r"(?i)text is empty"):
        await bot.send_message(LEARNER, "   ")
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(LEARNER, "x", reply_markup=too_long)
    with pytest.raises(BadRequest, match=r"(?i)not found"):
        await bot.send_message(424242, "x")
    emulator.block_user(LEARNER)
    with pytest.raises(Forbidden, match=r"(?i)blocked by the user"):
        await bot.send_message(LEARNER, "x")
    emulator.unblock_user(LEARNER)
    emulator.add_fault("sendMessage", LEARNER, kind="429", retry_after=7)
    with pytest.raises(RetryAfter) as retry:
        await bot.send_message(LEARNER, "x")
    assert seconds(retry.value.retry_after) == 7
    emulator.add_fault("sendMessage", kind="5xx")
    with pytest.raises(NetworkError, match=r"(?i)Bad Gateway"):
        await bot.send_message(LEARNER, "x")
    emulator.add_fault(kind="timeout", delay=0.1)
    with pytest.raises(NetworkError):
        await bot.send_chat_action(LEARNER, "typing")
    assert await bot.send_chat_action(LEARNER, "typing")
    outcomes = [(r["method"], r["outcome"], r["error_code"]) for r in emulator.requests()]
    assert ("sendMessage", "error", 429) in outcomes
    assert ("sendChatAction", "timeout", None) in outcomes
    assert outcomes[-1] == ("sendChatAction", "ok", None)
    assert {r["chat_id"] for r in emulator.requests("sendMessage")} == {LEARNER, 424242}


async def test_strict_rate_limit_uses_injected_clock() -> None:
    now = [1000.0]
    emu = BotApiEmulator(clock=lambda: now[0], strict_rate_limits=True)
    async with emu, make_bot(emu) as tg_bot:
        emu.send_text(LEARNER, "hi")
        await tg_bot.send_message(LEARNER, "one")
        with pytest.raises(RetryAfter):
            await tg_bot.send_message(LEARNER, "two")
        now[0] += 1.0
        assert (await tg_bot.send_message(LEARNER, "two")).text == "two"


async def test_unknown_token_method_and_raw_requests(emulator: BotApiEmulator) -> None:
    strict = BotApiEmulator(valid_tokens=[TOKEN])
    async with strict:
        with pytest.raises(InvalidToken):
            async with make_bot(strict, "999:wrong"):
                pass
    async with httpx.AsyncClient(base_url=emulator.url or "", trust_env=False) as http:
        missing = await http.post(f"/bot{TOKEN}/noSuchMethod")
        assert missing.status_code == 404 and missing.json()["description"] == "Not Found"
        emulator.send_text(LEARNER, "hi")
        markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
        sent = await http.post(
            f"/bot{TOKEN}/sendMessage",
            json={"chat_id": LEARNER, "text": "json", "reply_markup": markup},
        )
        assert sent.json()["result"]["reply_markup"] == markup
        form = await http.get(f"/bot{TOKEN}/getChat", params={"chat_id": str(LEARNER)})
        assert form.json()["result"]["type"] == "private"


async def test_get_chat_parses(emulator: BotApiEmulator, bot: telegram.Bot) -> None:
    emulator.send_text(LEARNER, "hi", first_name="Jonas", last_name="Jonaitis")
    chat = await bot.get_chat(LEARNER)
    assert chat.first_name == "Jonas" and chat.last_name == "Jonaitis"
    with pytest.raises(BadRequest, match=r"(?i)Chat not found"):
        await bot.get_chat(5)


async def test_webhook_delivery_with_secret_and_retry(
    emulator: BotApiEmulator, bot: telegram.Bot
) -> None:
    received: list[tuple[dict[str, Any], str | None]] = []
    arrived = asyncio.Event()
    failures = [1]

    async def hook(request: web.Request) -> web.Response:
        if failures[0]:
            failures[0] -= 1
            return web.Response(status=500)
        received.append(
            (await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        )
        if len(received) == 2:
            arrived.set()
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        assert await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
        with pytest.raises(Conflict, match=r"(?i)webhook is active"):
            await bot.get_updates()
        emulator.send_text(LEARNER, "first")
        emulator.send_text(LEARNER, "second")
        await asyncio.wait_for(arrived.wait(), 3)
        assert [u["message"]["text"] for u, _ in received] == ["first", "second"]
        assert {secret for _, secret in received} == {"s3cret"}
        assert Update.de_json(received[0][0], bot).message is not None
        info = await bot.get_webhook_info()
        assert info.url.endswith("/hook") and info.pending_update_count == 0
        assert info.last_error_message and "500" in info.last_error_message
        assert await bot.delete_webhook()
        emulator.send_text(LEARNER, "third")
        [update] = await bot.get_updates()
        assert update.message is not None and update.message.text == "third"
    finally:
        await runner.cleanup()


async def test_wait_for_messages_wakes_on_send(emulator: BotApiEmulator, bot: telegram.Bot) -> None:
    emulator.send_text(LEARNER, "hi")
    waiter = asyncio.create_task(emulator.wait_for_messages(LEARNER, 2, since=1))
    await bot.send_message(LEARNER, "a")
    assert not waiter.done()
    await bot.send_message(LEARNER, "b")
    got = await asyncio.wait_for(waiter, 1)
    assert [m["text"] for m in got] == ["a", "b"]
    with pytest.raises(TimeoutError):
        await emulator.wait_for_messages(LEARNER, 3, timeout=0.05)


async def test_other_learner_inputs_parse(emulator: BotApiEmulator, bot: telegram.Bot) -> None:
    emulator.send_contact(LEARNER, "+37060000000")
    emulator.send_sticker(LEARNER)
    emulator.send_voice(LEARNER)
    emulator.send_photo(LEARNER, caption="nuotrauka")
    emulator.inject_update(
        {
            "message": {
                "message_id": 50,
                "date": 0,
                "chat": {"id": -100, "type": "group", "title": "Grupė"},
                "from": {"id": 7, "is_bot": False, "first_name": "G"},
                "text": "group hi",
            }
        }
    )
    messages = [u.message for u in await bot.get_updates()]
    assert all(m is not None for m in messages)
    contact, sticker, voice, photo, group = messages
    assert contact and contact.contact and contact.contact.user_id == LEARNER
    assert sticker and sticker.sticker and voice and voice.voice
    assert photo and photo.photo and photo.caption == "nuotrauka"
    assert group and group.chat.title == "Grupė"
    reply = await bot.send_message(-100, "hello group", reply_to_message_id=50)
    assert reply.reply_to_message is not None and reply.reply_to_message.text == "group hi"


async def test_http_client_against_started_server(
    emulator: BotApiEmulator, bot: telegram.Bot
) -> None:
    assert emulator.url is not None
    async with EmulatorClient(emulator.url) as client:
        update = await client.send_text(LEARNER, "/start")
        assert update["message"]["entities"][0]["type"] == "bot_command"
        waiter = asyncio.create_task(client.wait_for_messages(LEARNER, 1, since=1))
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Kursai", callback_data="courses")]])
        sent = await bot.send_message(LEARNER, "Sveiki", reply_markup=keyboard)
        [seen] = await asyncio.wait_for(waiter, 2)
        assert seen["message_id"] == sent.message_id and seen["text"] == "Sveiki"
        assert (await client.message(LEARNER, sent.message_id))["text"] == "Sveiki"
        pressed = await client.press(LEARNER, sent.message_id, "Kursai")
        assert pressed["callback_query"]["data"] == "courses"
        await bot.answer_callback_query(pressed["callback_query"]["id"], text="ok")
        answer = await client.wait_for_callback_answer(pressed["callback_query"]["id"], timeout=1)
        assert answer["text"] == "ok"
        await bot.send_document(LEARNER, document=b"abc", filename="a.txt")
        [doc] = await client.documents(LEARNER)
        assert await client.file_bytes(doc["file_id"]) == b"abc"
        events = await client.wait_for_events(since_seq=0, timeout=1)
        assert {"incoming", "sent", "callback_answered"} <= {e["kind"] for e in events}
        last = events[-1]["seq"]
        assert await client.wait_for_events(since_seq=last, timeout=0.05) == []
        rule = await client.add_fault("sendMessage", kind="403")
        assert rule["kind"] == "403"
        with pytest.raises(Forbidden):
            await bot.send_message(LEARNER, "x")
        assert (await client.requests("sendMessage"))[-1]["error_code"] == 403
        with pytest.raises(TimeoutError):
            await client.wait_for_messages(LEARNER, 10, timeout=0.05)
        with pytest.raises(LookupError):
            await client.message(999, 1)
        await client.reset()
        assert await client.messages(LEARNER) == []


async def test_ptb_application_polling_end_to_end(emulator: BotApiEmulator) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Kursai", callback_data="c")]])
        await update.effective_message.reply_text("Sveiki!", reply_markup=keyboard, do_quote=True)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Renkamės")
        await query.edit_message_text("Kursų sąrašas")

    root = emulator.url
    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=5)
        try:
            emulator.send_text(LEARNER, "/start")
            [greeting] = await emulator.wait_for_messages(LEARNER, 1, since=1, timeout=3)
            assert greeting["text"] == "Sveiki!"
            assert greeting["send_options"]["reply_to_message_id"] == 1
            query = emulator.press(LEARNER, greeting["message_id"], "Kursai")
            answer = await emulator.wait_for_callback_answer(query["callback_query"]["id"], 3)
            assert answer["text"] == "Renkamės"
            events = await emulator.wait_for_events(since_seq=0, timeout=3)
            while not any(e["kind"] == "edited" for e in events):
                events += await emulator.wait_for_events(events[-1]["seq"], timeout=3)
            assert emulator.message(LEARNER, greeting["message_id"])["text"] == "Kursų sąrašas"
        finally:
            await app.updater.stop()
            await app.stop()


async def test_waiting_for_a_scope_s_commands(emulator: BotApiEmulator) -> None:
    scope = {"type": "chat", "chat_id": 5}
    waiting = asyncio.ensure_future(emulator.wait_for_commands(bool, "en", scope, timeout=5))
    await asyncio.sleep(0)
    assert not waiting.done()
    key, canonical = scope_key(scope)
    emulator.state.set_commands(key, canonical, "en", [{"command": "a"}])
    assert await waiting == [{"command": "a"}]
    with pytest.raises(TimeoutError):
        await emulator.wait_for_commands(lambda c: c == [], "en", scope, timeout=0.01)
