"""Erased means erased: after /forget or the console's erase, neither the
database file nor its write-ahead log holds the learner's name, phone or
words, and the bot's posts in the staff chat no longer show them."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram.ext import ExtBot

from admin.app import create_app
from bot.transport.erased_posts import ErasedPostEditor
from domain.enquiries import Enquiry
from emulator import BotApiEmulator
from services.clock import FixedClock
from services.container import Services
from tests.admin.conftest import once, sign_in
from tests.conftest import ADMIN_ID, TOKEN
from tests.emu_helpers import (
    file_enquiry,
    next_message,
    reply_in_staff_chat,
    staffed_centre,
    wait_for_edit,
)
from vtcbot.runner import BotRunner

STAFF_CHAT = -1004321
STAFF = 3002
LEARNER = 2600
NAME = "Dalytė Vėjūnaitė"
TYPED_PHONE = "8 645 97213"
PHONE = "+37064597213"
# Unusual words, so that finding one in the file can only mean a copy of them.
ENQUIRY = "Ar Žuikiakalnio kvarcofonų kursai vyksta vakarais?"
FOLLOW_UP = "Ir ar reikia atsinešti savo Ąžuolbražių?"
ANSWER = "Taip, vakarais nuo šeštos."
SECRETS = ("Dalytė", "Vėjūnaitė", "Žuikiakalnio", "kvarcofonų", "Ąžuolbražių", PHONE)


def _fold(text: str) -> str:
    """What the FTS tokenizer stores: lower case, diacritics removed."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _forms(secret: str) -> set[bytes]:
    """Every way the secret may be written in the file."""
    texts = {secret, secret.lower(), _fold(secret), secret.upper()}
    if len(secret) >= 9 and secret != PHONE:
        # FTS5 stores a term after the first on its page as the part that
        # differs from the term before it: the tail of the folded word.
        texts.add(_fold(secret)[-7:])
    # JSON written with ensure_ascii (\u017d...), as some stored results are.
    texts |= {json.dumps(t)[1:-1] for t in list(texts)}
    if secret == PHONE:
        texts |= {PHONE[1:], PHONE[4:], TYPED_PHONE, TYPED_PHONE.replace(" ", "")}
    return {t.encode() for t in texts}


def _stored(db: Path) -> bytes:
    """The database file and its write-ahead log, as bytes on disk."""
    wal = db.with_name(db.name + "-wal")
    return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _found(db: Path) -> set[bytes]:
    stored = _stored(db)
    return {form for secret in SECRETS for form in _forms(secret) if form in stored}


@dataclass
class Centre:
    services: Services
    runner: BotRunner


@pytest.fixture
async def centre(
    tmp_path: Path, clock: FixedClock, emulator: BotApiEmulator
) -> AsyncIterator[Centre]:
    async with staffed_centre(tmp_path / "erasure.db", clock, emulator, STAFF_CHAT, STAFF) as (
        services,
        runner,
    ):
        centre = Centre(services, runner)
        yield centre
        if centre.runner is not runner:  # a test restarted the bot
            await centre.runner.stop()


def _staff_reply(emulator: BotApiEmulator, to: dict[str, Any], text: str) -> None:
    reply_in_staff_chat(emulator, STAFF_CHAT, STAFF, to, text)


async def _answered_enquiry(emulator: BotApiEmulator) -> tuple[int, int]:
    """The learner files an enquiry through the bot, staff answer it in the
    staff chat and the learner writes a follow-up: the staff chat's post and
    follow-up message ids."""
    emulator.send_text(LEARNER, "/start", first_name=NAME, language_code="lt")
    post = await file_enquiry(emulator, LEARNER, ENQUIRY, f"{NAME} {TYPED_PHONE}", STAFF_CHAT)
    assert NAME in post["text"] and PHONE in post["text"] and ENQUIRY in post["text"]
    # The learner's chat is handled in order: this is answered once "Send"
    # is finished, the post's message id recorded.
    count = len(emulator.messages(LEARNER))
    emulator.send_text(LEARNER, "/my_enquiries")
    listing = (await emulator.wait_for_messages(LEARNER, count + 1))[-1]
    assert "Užklausa Nr. 1, išsiųsta" in listing["text"]

    _staff_reply(emulator, post, ANSWER)
    answer = await next_message(emulator, LEARNER)
    assert ANSWER in answer["text"]
    assert (await next_message(emulator, STAFF_CHAT))["text"] == "Pristatyta besimokančiajam."

    emulator.send_text(LEARNER, FOLLOW_UP, reply_to_message_id=answer["message_id"])
    follow_up = await next_message(emulator, STAFF_CHAT)
    assert FOLLOW_UP in follow_up["text"]
    await next_message(emulator, LEARNER)  # "your message was added"
    return post["message_id"], follow_up["message_id"]


def _assert_present_before(db: Path) -> None:
    """The check below can fail: every form it looks for is in the file now,
    the folded one (only the search index keeps it) included."""
    found = _found(db)
    for secret in SECRETS:
        assert secret.encode() in found, secret
    assert _fold("Žuikiakalnio").encode() in found


async def _assert_erased_everywhere(
    emulator: BotApiEmulator, centre: Centre, post_id: int, follow_up_id: int, since: int
) -> None:
    post = await wait_for_edit(emulator, STAFF_CHAT, post_id, since)
    follow_up = await wait_for_edit(emulator, STAFF_CHAT, follow_up_id, since)
    for shown in (post, follow_up, emulator.message(STAFF_CHAT, post_id)):
        assert not any(form.decode() in shown["text"] for s in SECRETS for form in _forms(s))
    assert emulator.message(STAFF_CHAT, post_id)["text"] == (
        "Užklausa Nr. 1 ištrinta besimokančiojo prašymu."
    )
    assert not emulator.message(STAFF_CHAT, post_id).get("reply_markup")
    await centre.runner.stop()  # nothing more is written
    db = Path(centre.services.db.path)
    assert _found(db) == set()
    # The enquiry stays counted, without its words or its person.
    enquiry = await centre.services.enquiries.get(1)
    assert isinstance(enquiry, Enquiry) and enquiry.user_id is None and enquiry.text == ""


async def test_forget_in_the_bot_leaves_no_copy(emulator: BotApiEmulator, centre: Centre) -> None:
    post_id, follow_up_id = await _answered_enquiry(emulator)
    db = Path(centre.services.db.path)
    _assert_present_before(db)

    emulator.send_text(LEARNER, "/forget")
    confirm = await next_message(emulator, LEARNER)
    seq = emulator.state.last_event_seq
    emulator.press(LEARNER, confirm["message_id"], "Taip, ištrinti mano duomenis")
    done = await wait_for_edit(emulator, LEARNER, confirm["message_id"], seq)
    assert done["text"] == "Atlikta: jūsų duomenys ištrinti."
    await _assert_erased_everywhere(emulator, centre, post_id, follow_up_id, seq)


async def test_the_consoles_erase_leaves_no_copy(emulator: BotApiEmulator, centre: Centre) -> None:
    post_id, follow_up_id = await _answered_enquiry(emulator)
    db = Path(centre.services.db.path)
    _assert_present_before(db)

    async def deliver(enquiry: Enquiry, row: int, text: str) -> str:
        raise AssertionError("nothing is delivered here")

    app = create_app(centre.services, deliver)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 5000))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://console.test", headers={"Accept-Language": "en"}
    ) as console:
        csrf = await sign_in(console, centre.services, ADMIN_ID)
        seq = emulator.state.last_event_seq
        erased = await console.post(
            f"/people/{LEARNER}/erase", data={"csrf": csrf, "once": once(csrf), "confirm": "yes"}
        )
    assert erased.headers["location"] == f"/people/{LEARNER}?done=erased"
    await _assert_erased_everywhere(emulator, centre, post_id, follow_up_id, seq)


async def test_the_staff_post_is_edited_after_a_restart(
    emulator: BotApiEmulator, centre: Centre
) -> None:
    """The bot stopped between the erase and the edit: the next start edits it."""
    post_id, follow_up_id = await _answered_enquiry(emulator)
    await centre.runner.stop()
    await centre.services.privacy.forget(LEARNER)
    seq = emulator.state.last_event_seq
    assert emulator.message(STAFF_CHAT, post_id)["text"].startswith("Užklausa Nr. 1")
    assert NAME in emulator.message(STAFF_CHAT, post_id)["text"]

    assert emulator.url is not None
    centre.runner = BotRunner(centre.services, TOKEN, emulator.url, concurrent_updates=8)
    await centre.runner.start()
    await _assert_erased_everywhere(emulator, centre, post_id, follow_up_id, seq)
    edits = [e for e in emulator.events(seq) if e["kind"] == "edited"]
    assert len(edits) == 2  # each post once


async def test_stored_updates_quoting_the_learner_are_scrubbed_and_no_more(
    services: Services,
) -> None:
    """A staff member's press on the post (the callback carries the post), a
    reply quoting part of it, and the bot's journalled answer to the learner
    lose what shows the learner; the staff chat's other talk stays as it was."""
    enquiries = services.enquiries
    draft = await enquiries.start(LEARNER, "lt", ENQUIRY)
    draft = await enquiries.set_contact(LEARNER, draft, TYPED_PHONE, NAME)
    draft = await enquiries.consent(LEARNER, draft)
    enquiry = await enquiries.submit(LEARNER, draft.nonce)
    assert enquiry is not None
    await enquiries.posted_to_staff(enquiry.id, STAFF_CHAT, 50)
    chat = {"id": STAFF_CHAT, "type": "supergroup", "title": "Staff"}
    staff = {"id": STAFF, "is_bot": False, "first_name": "Rūta"}
    post = {"message_id": 50, "date": 1, "chat": chat, "text": f"{NAME} {PHONE} {ENQUIRY}"}
    unrelated = {"message_id": 60, "date": 3, "chat": chat, "from": staff, "text": "Kava virtuvėje"}
    press = {
        "update_id": 10,
        "callback_query": {
            "id": "c1",
            "from": staff,
            "chat_instance": "s",
            "data": "1|E|take|1|new",
            "message": post,
        },
    }
    reply = {
        "update_id": 11,
        "message": {
            "message_id": 51,
            "date": 2,
            "chat": chat,
            "from": staff,
            "text": ANSWER,
            "reply_to_message": post,
            "quote": {"text": NAME, "position": 0},
        },
    }
    [press_id, reply_id, unrelated_id] = await services.intake.store(
        [press, reply, {"update_id": 12, "message": unrelated}]
    )
    assert press_id and reply_id and unrelated_id
    learner_chat = {"id": LEARNER, "type": "private", "first_name": NAME}
    answer = {"message_id": 7, "date": 2, "chat": learner_chat, "text": ANSWER}
    await services.intake.sending(reply_id, 0, "sendMessage", [])
    await services.intake.sending(reply_id, 1, "sendMessage", [(0, json.dumps(answer))])
    db = Path(services.db.path)
    assert NAME.encode() in _stored(db) and b"kvarcofon" in _stored(db)

    counts = await services.privacy.forget(LEARNER)
    assert counts["staff_posts"] == 1 and counts["quoting_updates"] == 3
    assert _found(db) == set()
    async with services.db.reader.execute("SELECT id, payload FROM inbox ORDER BY id") as cur:
        stored = {int(r[0]): json.loads(r[1]) for r in await cur.fetchall()}
    pressed = stored[press_id]["callback_query"]
    assert pressed["message"] == {
        "message_id": 50,
        "date": 1,
        "chat": {"id": STAFF_CHAT, "type": "supergroup"},
    }
    assert pressed["data"] == "1|E|take|1|new" and pressed["from"] == staff
    replied = stored[reply_id]["message"]
    assert "text" not in replied and "quote" not in replied and "reply_to_message" not in replied
    assert stored[unrelated_id] == {"update_id": 12, "message": unrelated}
    journal = await services.intake.journal(reply_id)
    assert json.loads(journal[0][1] or "null") == {
        "message_id": 7,
        "date": 2,
        "chat": {"id": 0, "type": "private"},
    }
    # The post waits to be edited by the bot.
    [queued] = await services.privacy.staff_posts_to_erase()
    assert (queued.chat_id, queued.message_id, queued.kind) == (STAFF_CHAT, 50, "post")


async def test_an_edit_telegram_refused_for_now_is_retried_and_a_deleted_post_dropped(
    emulator: BotApiEmulator, centre: Centre
) -> None:
    post_id, follow_up_id = await _answered_enquiry(emulator)
    await centre.runner.stop()
    await centre.services.privacy.forget(LEARNER)
    privacy = centre.services.privacy
    emulator.add_fault("editMessageText", STAFF_CHAT, kind="5xx", times=1)
    assert emulator.url is not None
    async with ExtBot(TOKEN, base_url=f"{emulator.url}/bot") as bot:
        # The follow-up's message was deleted meanwhile: nothing is left to edit there.
        assert await bot.delete_message(STAFF_CHAT, follow_up_id)
        editor = ErasedPostEditor(bot, centre.services)
        assert await editor.run() == 0  # Telegram failed: both wait for the next round
        assert [p.attempts for p in await privacy.staff_posts_to_erase()] == [1, 0]
        assert await editor.run() == 2
        assert await editor.run() == 0  # done once, never again
    assert await privacy.staff_posts_to_erase() == []
    shown = emulator.message(STAFF_CHAT, post_id)
    assert shown["text"] == "Užklausa Nr. 1 ištrinta besimokančiojo prašymu."
