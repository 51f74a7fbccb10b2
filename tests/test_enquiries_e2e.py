"""An enquiry end to end: learner -> staff chat -> staff answer -> learner -> follow-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from emulator import BotApiEmulator
from services.clock import FixedClock
from services.container import Services
from storage import enquiries_repo, roles_repo
from tests.conftest import TOKEN
from tests.emu_helpers import reply_in_staff_chat, staffed_centre

STAFF_CHAT = -1001234
STAFF = 3001
LEARNER = 2500


@pytest.fixture
async def centre(
    tmp_path: Path, clock: FixedClock, emulator: BotApiEmulator
) -> AsyncIterator[Services]:
    async with staffed_centre(tmp_path / "enq.db", clock, emulator, STAFF_CHAT, STAFF) as (
        services,
        _runner,
    ):
        yield services


async def _next(emulator: BotApiEmulator, chat_id: int) -> dict[str, Any]:
    """The bot's next new message in a chat."""
    count = len(emulator.messages(chat_id))
    messages = await emulator.wait_for_messages(chat_id, count + 1)
    return messages[-1]


def _staff_reply(emulator: BotApiEmulator, to: dict[str, Any], text: str) -> None:
    _reply_from(emulator, STAFF, to, text)


async def test_enquiry_round_trip(emulator: BotApiEmulator, centre: Services) -> None:
    emulator.send_text(LEARNER, "/start", language_code="lt")
    menu = await _next(emulator, LEARNER)
    count = len(emulator.messages(LEARNER))
    emulator.press(LEARNER, menu["message_id"], "Klausti centro")
    topics = (await emulator.wait_for_messages(LEARNER, count + 1))[-1]
    assert topics["text"] == "Apie ką jūsų klausimas?"
    count = len(emulator.messages(LEARNER))
    emulator.press(LEARNER, topics["message_id"], "Programos")
    prompt = (await emulator.wait_for_messages(LEARNER, count + 1))[-1]
    assert prompt["text"].startswith("Parašykite savo klausimą centrui")

    emulator.send_text(LEARNER, "Ar galima mokytis suvirinimo savaitgaliais?")
    assert (await _next(emulator, LEARNER))["text"].startswith("Ar norite, kad darbuotojai")
    emulator.send_text(LEARNER, "labas")
    assert (await _next(emulator, LEARNER))["text"].startswith("Tai nepanašu į telefono numerį")
    emulator.send_text(LEARNER, "Ona Onaitė 8 612 34567")
    consent = (await emulator.wait_for_messages(LEARNER, len(emulator.messages(LEARNER)) + 2))[-1]
    assert "Ar sutinkate?" in consent["text"]
    count = len(emulator.messages(LEARNER))
    emulator.press(LEARNER, consent["message_id"], "Sutinku")
    confirm = (await emulator.wait_for_messages(LEARNER, count + 1))[-1]
    assert "Kontaktai: Ona Onaitė, +37061234567" in confirm["text"]
    emulator.press(LEARNER, confirm["message_id"], "Siųsti")

    post = await _next(emulator, STAFF_CHAT)
    assert post["text"].startswith("Užklausa Nr. 1")
    assert "Tema: Programos" in post["text"]
    # A second tap on "Send" (the button was already gone) sends nothing more.
    answered = len(emulator.callback_answers())
    seq = emulator.state.last_event_seq
    emulator.press_button(LEARNER, confirm["message_id"], "1|Q|send")
    await _wait_answer(emulator, answered, seq)
    assert await enquiries_repo.statuses(centre.db.reader) == {1: "new"}
    assert "Ar galima mokytis suvirinimo savaitgaliais?" in post["text"]
    learner_view = emulator.message(LEARNER, confirm["message_id"])
    assert learner_view["text"].startswith("Ačiū! Jūsų užklausos numeris – 1.")

    _staff_reply(emulator, post, "Taip, šeštadieniais vyksta grupė.")
    answer = await _next(emulator, LEARNER)
    assert answer["text"].startswith("Centro atsakymas į jūsų užklausą Nr. 1")
    assert "šeštadieniais vyksta grupė" in answer["text"]
    assert (await _next(emulator, STAFF_CHAT))["text"] == "Pristatyta besimokančiajam."
    status = await enquiries_repo.statuses(centre.db.reader)
    assert status == {1: "answered"}

    emulator.send_text(LEARNER, "O kiek tai kainuoja?", reply_to_message_id=answer["message_id"])
    follow_up = await _next(emulator, STAFF_CHAT)
    assert follow_up["text"].startswith("Papildymas prie užklausos Nr. 1")
    assert follow_up["reply_to_message"]["message_id"] == post["message_id"]
    assert (await _next(emulator, LEARNER))["text"].startswith("Ačiū, jūsų žinutė pridėta")
    assert await enquiries_repo.statuses(centre.db.reader) == {1: "in_progress"}

    emulator.send_text(LEARNER, "/my_enquiries")
    listing = await _next(emulator, LEARNER)
    assert (
        "Užklausa Nr. 1, išsiųsta 2026 m. lapkričio 21 d.: darbuotojai ją nagrinėja."
        in listing["text"]
    )
    assert "Paskutinis atsakymas: Taip, šeštadieniais" in listing["text"]

    audit = [(e[1], e[2], e[4]) for e in await roles_repo.audit_entries(centre.db.reader)]
    # Recorded as what became of it: sent (not merely "done").
    assert (str(STAFF), "enquiry_answer", "sent") in audit
    # The chat is handled in order, so the second tap on "Send" is long done:
    # the message with the enquiry number still says so.
    thanks = emulator.message(LEARNER, confirm["message_id"])
    assert thanks["text"].startswith("Ačiū! Jūsų užklausos numeris – 1.")


async def test_a_learner_cannot_act_on_enquiries(
    emulator: BotApiEmulator, centre: Services
) -> None:
    emulator.send_text(LEARNER, "/start")
    menu = await _next(emulator, LEARNER)
    for action in ("take", "close", "spam"):
        answered = len(emulator.callback_answers())
        seq = emulator.state.last_event_seq
        emulator.press_button(LEARNER, menu["message_id"], f"1|E|{action}|1")
        reply = await _wait_answer(emulator, answered, seq)
        assert reply.get("text") == "Tai skirta tik centro darbuotojams."
    audit = [(e[2], e[4]) for e in await roles_repo.audit_entries(centre.db.reader)]
    assert [a for a in audit if a[0].startswith("enquiry_")] == [
        ("enquiry_spam", "refused"),
        ("enquiry_close", "refused"),
        ("enquiry_take", "refused"),
    ]


async def _wait_answer(emulator: BotApiEmulator, seen: int, seq: int) -> dict[str, Any]:
    while len(emulator.callback_answers()) <= seen:
        events = await emulator.wait_for_events(seq, timeout=5)
        assert events, "no callback answer"
        seq = events[-1]["seq"]
    return emulator.callback_answers()[seen]


async def test_an_overdue_enquiry_is_raised_in_the_staff_chat_once(
    emulator: BotApiEmulator, centre: Services, clock: FixedClock
) -> None:
    from telegram import Bot

    from bot.handlers.enquiries import raise_overdue

    draft = await centre.enquiries.start(LEARNER, "lt", "Kada bus atsakymas?")
    draft = await centre.enquiries.set_contact(LEARNER, draft, None, None)
    draft = await centre.enquiries.consent(LEARNER, draft)
    enquiry = await centre.enquiries.submit(LEARNER, draft.nonce)
    assert enquiry is not None
    # Filed on Saturday: 8 working hours are over on Monday at 16:00 in Vilnius.
    clock.at = dt.datetime(2026, 11, 23, 13, 59, tzinfo=dt.UTC)
    assert emulator.url is not None
    async with Bot(TOKEN, base_url=f"{emulator.url}/bot") as bot:
        assert await raise_overdue(bot, centre) == 0
        clock.at = dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC)
        assert await raise_overdue(bot, centre) == 1
        assert await raise_overdue(bot, centre) == 0
    [raised] = emulator.messages(STAFF_CHAT)
    assert raised["text"] == "Užklausa Nr. 1 laukia atsakymo ilgiau nei 8 darbo valandas."


async def _filed(centre: Services, user: int, key: str) -> int:
    draft = await centre.enquiries.start(user, "lt", "Ar yra vietų?")
    draft = await centre.enquiries.set_contact(user, draft, None, None)
    draft = await centre.enquiries.consent(user, draft)
    enquiry = await centre.enquiries.submit(user, draft.nonce)
    assert enquiry is not None
    return enquiry.id


def _reply_from(emulator: BotApiEmulator, author: int, to: dict[str, Any], text: str) -> None:
    reply_in_staff_chat(emulator, STAFF_CHAT, author, to, text)


async def test_staff_side_bad_cases(emulator: BotApiEmulator, centre: Services) -> None:
    emulator.send_text(LEARNER, "/start")
    await _next(emulator, LEARNER)
    number = await _filed(centre, LEARNER, "cb:bad")
    # Posted by hand here (the conversation test covers the real posting).
    post = await emulator_post(emulator, centre, number)

    # Someone in the staff group who is not staff cannot answer.
    _reply_from(emulator, 4444, post, "Aš ne darbuotojas")
    refused = await _next(emulator, STAFF_CHAT)
    assert refused["text"] == "Į užklausas gali atsakyti tik centro darbuotojai."
    assert len(emulator.messages(LEARNER)) == 1  # only the menu

    # A learner who blocked the bot: staff are told, nothing breaks.
    emulator.block_user(LEARNER)
    _reply_from(emulator, STAFF, post, "Atsakymas")
    told = await _next(emulator, STAFF_CHAT)
    assert told["text"] == "Besimokantysis užblokavo botą; atsakymas nepristatytas."
    emulator.unblock_user(LEARNER)

    # A learner who used /forget: the answer is not sent anywhere.
    await centre.privacy.forget(LEARNER)
    _reply_from(emulator, STAFF, post, "Dar vienas atsakymas")
    gone = await _next(emulator, STAFF_CHAT)
    assert gone["text"] == "Besimokantysis ištrynė savo duomenis; atsakymas neišsiųstas."


async def emulator_post(emulator: BotApiEmulator, centre: Services, number: int) -> dict[str, Any]:
    from telegram import Bot

    async with Bot(TOKEN, base_url=f"{emulator.url}/bot") as bot:
        message = await bot.send_message(STAFF_CHAT, f"Užklausa Nr. {number}")
    await centre.enquiries.posted_to_staff(number, STAFF_CHAT, message.message_id)
    return emulator.message(STAFF_CHAT, message.message_id)


async def test_an_over_long_enquiry_is_refused_with_a_reason(
    emulator: BotApiEmulator, centre: Services
) -> None:
    emulator.send_text(LEARNER, "/start")
    menu = await _next(emulator, LEARNER)
    emulator.press(LEARNER, menu["message_id"], "Klausti centro")
    [_, topics] = await emulator.wait_for_messages(LEARNER, 2)
    emulator.press(LEARNER, topics["message_id"], "Kita")
    await emulator.wait_for_messages(LEARNER, 3)
    emulator.send_text(LEARNER, "ž" * 2500)
    reply = await _next(emulator, LEARNER)
    assert reply["text"].startswith("Jūsų žinutėje yra 2500 ženklų")
    draft, _ = await centre.enquiries.draft(LEARNER)
    assert draft is not None and draft.step == "question"


async def test_staff_can_answer_with_a_file(emulator: BotApiEmulator, centre: Services) -> None:
    emulator.send_text(LEARNER, "/start")
    await _next(emulator, LEARNER)
    number = await _filed(centre, LEARNER, "cb:file")
    post = await emulator_post(emulator, centre, number)
    chat = emulator.state.chats[STAFF_CHAT]
    emulator.inject_update(
        {
            "message": {
                "message_id": chat.next_message_id,
                "date": 1,
                "chat": {"id": STAFF_CHAT, "type": "supergroup", "title": "Staff"},
                "from": {"id": STAFF, "is_bot": False, "first_name": "Rasa"},
                "caption": "Tvarkaraštis",
                "document": {
                    "file_id": "doc-1",
                    "file_unique_id": "u-1",
                    "file_name": "tvarkarastis.pdf",
                    "mime_type": "application/pdf",
                },
                "reply_to_message": post,
            }
        }
    )
    await emulator.wait_for_messages(LEARNER, 3)
    header, copied = emulator.messages(LEARNER)[1:3]
    assert header["text"].startswith(f"Centro atsakymas į jūsų užklausą Nr. {number}")
    assert copied["document"]["file_name"] == "tvarkarastis.pdf"
    assert copied["caption"] == "Tvarkaraštis"


async def test_an_uncaptioned_file_answer_is_listed_in_words(
    emulator: BotApiEmulator, centre: Services
) -> None:
    emulator.send_text(LEARNER, "/start")
    await _next(emulator, LEARNER)
    number = await _filed(centre, LEARNER, "cb:file2")
    post = await emulator_post(emulator, centre, number)
    chat = emulator.state.chats[STAFF_CHAT]
    emulator.inject_update(
        {
            "message": {
                "message_id": chat.next_message_id,
                "date": 1,
                "chat": {"id": STAFF_CHAT, "type": "supergroup", "title": "Staff"},
                "from": {"id": STAFF, "is_bot": False, "first_name": "Rasa"},
                "document": {"file_id": "doc-2", "file_unique_id": "u-2", "file_name": "a.pdf"},
                "reply_to_message": post,
            }
        }
    )
    await emulator.wait_for_messages(LEARNER, 3)
    emulator.send_text(LEARNER, "/my_enquiries")
    listing = await _next(emulator, LEARNER)
    assert "Paskutinis atsakymas: nuotrauka arba failas" in listing["text"]


async def test_a_staff_answer_too_long_only_in_utf16_units_is_refused_before_sending(
    emulator: BotApiEmulator, centre: Services
) -> None:
    emulator.send_text(LEARNER, "/start")
    await _next(emulator, LEARNER)
    number = await _filed(centre, LEARNER, "cb:long")
    post = await emulator_post(emulator, centre, number)
    # 1,800 characters as Python counts them, 2,100 UTF-16 units as Telegram does.
    _staff_reply(emulator, post, "a" * 1500 + "😀" * 300)
    told = await _next(emulator, STAFF_CHAT)
    assert told["text"] == (
        "Atsakymas yra 2100 ženklų ilgio, o leidžiama 2000. Nieko neišsiųsta: "
        "sutrumpinkite jį ir atsakykite dar kartą."
    )
    assert len(emulator.messages(LEARNER)) == 1  # only the menu
    enquiry = await centre.enquiries.get(number)
    assert enquiry is not None and enquiry.status == "new"
