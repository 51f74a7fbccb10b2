"""Final buttons act once, for the state they were shown for; a stale press is told
the truth. Enquiries are keyed by the draft, never by a Telegram id another
learner (or a restarted API server) can reuse."""

from __future__ import annotations

from typing import Any

from bot.application import VtcApplication
from domain.enquiries import Delivery
from emulator import BotApiEmulator
from services.container import Services
from storage import enquiries_repo, learners_repo
from tests.conftest import ADMIN_ID
from tests.handlers.conftest import Chat, buttons, callback_data
from tests.offline import offline_application

STAFF_CHAT = -1005555


def _answer(emu: BotApiEmulator) -> str:
    """The text of the last callback answer (the toast the learner sees)."""
    return str(emu.callback_answers()[-1].get("text") or "")


def _data(message: dict[str, Any], prefix: str) -> str:
    return next(d for d in callback_data(message) if d.startswith(prefix))


async def _with_data(services: Services, user: int) -> None:
    """Something to erase: a question in the log (the learner row exists already)."""
    await services.answers.ask("kiek kainuoja suvirinimo kursai", "lt", user_id=user)


async def _questions(services: Services, user: int) -> int:
    return len((await services.privacy.export(user))["questions"])


# ------------------------------------------------------------------ /forget


async def test_no_then_the_old_yes_erases_nothing(learner: Chat, services: Services) -> None:
    await learner.say("/start")
    await _with_data(services, learner.user_id)
    [ask] = await learner.say("/forget")
    yes, no = _data(ask, "1|F|yes"), _data(ask, "1|F|no")
    [kept] = await learner.press_data(ask["message_id"], no)
    assert kept["text"] == "Nieko neištrinta."
    assert buttons(kept) == []

    # The "Yes" of the same message, pressed after "No" (a stale client, a
    # double tap): nothing is erased, and the learner is told so.
    [told] = await learner.press_data(ask["message_id"], yes)
    assert _answer(learner.emu).startswith("Į šį prašymą jau atsakyta: jūsų duomenys palikti.")
    assert told["text"] == _answer(learner.emu)
    assert await _questions(services, learner.user_id) == 1
    assert await learners_repo.get(services.db.reader, learner.user_id) is not None


async def test_only_the_newest_forget_message_acts(
    english_learner: Chat, services: Services
) -> None:
    chat = english_learner
    await chat.say("/start")
    await _with_data(services, chat.user_id)
    [first] = await chat.say("/forget")
    [second, *_] = await chat.say("/forget")
    # The first confirmation loses its buttons when the second is shown ...
    assert "reply_markup" not in chat.emu.message(chat.user_id, first["message_id"])
    assert buttons(second) == ["Yes, erase my data", "No, keep it"]

    # ... and a press on them anyway (a client that still shows them) does
    # nothing: only the newest confirmation acts.
    await chat.press_data(first["message_id"], _data(first, "1|F|yes"))
    assert _answer(chat.emu) == (
        "A newer confirmation was sent: please use the buttons of the latest message."
    )
    assert await _questions(services, chat.user_id) == 1

    [done] = await chat.press_data(second["message_id"], _data(second, "1|F|yes"))
    assert done["text"] == "Done: your data is erased."
    assert await _questions(services, chat.user_id) == 0

    # Both old messages, pressed again after the erasure: the honest state, no crash.
    # (The third press finds the message already saying so: nothing to edit.)
    for message, data in ((first, "1|F|yes"), (second, "1|F|no"), (second, "1|F|yes")):
        await chat.press_data(message["message_id"], _data(message, data))
        shown = chat.emu.message(chat.user_id, message["message_id"])
        assert shown["text"] == "Your data was already erased; this button does nothing now."
        assert "reply_markup" not in shown
    # No error reached the learner on the way.
    assert not [m for m in chat.emu.messages(chat.user_id) if "went wrong" in m["text"]]
    # The presses above were the learner writing again; nothing of theirs came back
    # but the record that they wrote.
    assert await _questions(services, chat.user_id) == 0


async def test_a_forged_or_pre_upgrade_forget_button_does_nothing(
    learner: Chat, services: Services
) -> None:
    await learner.say("/start")
    await _with_data(services, learner.user_id)
    [ask] = await learner.say("/forget")
    for data in ("1|F|yes", "1|F|yes|not-a-nonce"):
        await learner.press_data(ask["message_id"], data)
        assert _answer(learner.emu).startswith("Šis patvirtinimas nebegalioja; nieko neatlikta.")
    assert await _questions(services, learner.user_id) == 1


async def test_another_learners_forget_button_does_nothing(
    offline_app: tuple[VtcApplication, BotApiEmulator], services: Services
) -> None:
    app, emu = offline_app
    owner, other = Chat(app, emu, 2101, "en"), Chat(app, emu, 2102, "en")
    await owner.say("/start")
    await other.say("/start")
    await _with_data(services, other.user_id)
    [ask] = await owner.say("/forget")
    [other_ask] = await other.say("/forget")
    # The owner's press with the other learner's nonce (a forged callback).
    nonce = _data(other_ask, "1|F|yes").split("|")[-1]
    await owner.press_data(ask["message_id"], f"1|F|yes|{nonce}")
    assert _answer(emu).startswith("This confirmation is no longer valid; nothing was done.")
    assert await _questions(services, other.user_id) == 1
    assert await learners_repo.get(services.db.reader, owner.user_id) is not None


# ------------------------------------------------------------------ enquiries


async def _to_confirmation(chat: Chat) -> tuple[dict[str, Any], dict[str, Any]]:
    """An English learner writes an enquiry up to "Send it?": the consent and the
    confirmation messages."""
    # /start also leaves an enquiry left half written (it says so first).
    *_, menu = await chat.say("/start")
    [topics] = await chat.press(menu, "Ask the centre")
    [prompt] = await chat.press(topics, "Programmes")
    assert prompt["text"].startswith("Write your question to the centre")
    await chat.say("Can I study welding at weekends?")
    [*_, consent] = await chat.say("Skip")
    assert buttons(consent) == ["I agree", "Cancel"]
    [confirm] = await chat.press(consent, "I agree")
    assert buttons(confirm) == ["Send", "Cancel"]
    return consent, confirm


async def _enquiries(services: Services) -> list[tuple[int, int | None, str, str]]:
    rows = [e async for e in services.enquiries.log()]
    return [(e.id, e.user_id, e.status, e.text) for e in rows]


async def test_the_old_cancel_of_a_sent_enquiry_says_it_was_sent(
    english_learner: Chat, services: Services
) -> None:
    chat = english_learner
    consent, confirm = await _to_confirmation(chat)
    send, cancel = _data(confirm, "1|Q|send"), _data(confirm, "1|Q|cancel")
    [thanks] = await chat.press_data(confirm["message_id"], send)
    assert thanks["text"].startswith("Thank you! Your enquiry number is 1.")

    # Its "Cancel", pressed after "Send" (the same message and an earlier one).
    await chat.press_data(confirm["message_id"], cancel)
    assert _answer(chat.emu).startswith("This enquiry was already sent as number 1;")
    shown = chat.emu.message(chat.user_id, confirm["message_id"])
    assert shown["text"].startswith("This enquiry was already sent as number 1;")
    assert buttons(shown) == []
    [told] = await chat.press_data(consent["message_id"], _data(consent, "1|Q|cancel"))
    assert told["text"].startswith("This enquiry was already sent as number 1;")
    assert buttons(told) == []
    assert await _enquiries(services) == [
        (1, chat.user_id, "new", "Can I study welding at weekends?")
    ]


async def test_send_twice_makes_one_enquiry_and_a_new_draft_a_new_one(
    english_learner: Chat, services: Services
) -> None:
    chat = english_learner
    _consent, confirm = await _to_confirmation(chat)
    send = _data(confirm, "1|Q|send")
    await chat.press_data(confirm["message_id"], send)
    await chat.press_data(confirm["message_id"], send)
    # A second "Send" is not told about cancelling.
    assert _answer(chat.emu) == (
        "This enquiry was already sent as number 1. Staff answer here in this chat."
    )
    assert [e[0] for e in await _enquiries(services)] == [1]

    # A second enquiry, at its confirmation: the first one's buttons do not
    # act on it (neither "Send" nor "Cancel").
    _consent, second = await _to_confirmation(chat)
    await chat.press_data(confirm["message_id"], send)
    await chat.press_data(confirm["message_id"], _data(confirm, "1|Q|cancel"))
    assert _answer(chat.emu).startswith("This enquiry was already sent as number 1;")
    draft, _expired = await services.enquiries.draft(chat.user_id)
    assert draft is not None and draft.step == "confirm"
    [thanks] = await chat.press_data(second["message_id"], _data(second, "1|Q|send"))
    assert thanks["text"].startswith("Thank you! Your enquiry number is 2.")
    assert [e[0] for e in await _enquiries(services)] == [1, 2]


async def test_the_cancel_of_a_replaced_draft_does_not_cancel_the_new_one(
    english_learner: Chat, services: Services
) -> None:
    chat = english_learner
    _consent, first = await _to_confirmation(chat)
    _consent, second = await _to_confirmation(chat)  # "Ask the centre" again: a new draft
    [told, current] = await chat.press_data(first["message_id"], _data(first, "1|Q|cancel"))
    assert told["text"].startswith("This enquiry was not sent:")
    assert buttons(told) == []
    # The draft being written is shown again, with its own buttons.
    assert buttons(current) == ["Send", "Cancel"]
    draft, _expired = await services.enquiries.draft(chat.user_id)
    assert draft is not None and draft.step == "confirm"
    await chat.press_data(first["message_id"], _data(first, "1|Q|send"))
    assert await _enquiries(services) == []
    await chat.press_data(second["message_id"], _data(second, "1|Q|send"))
    assert [e[0] for e in await _enquiries(services)] == [1]


async def _file_after_restart(services: Services, user: int) -> tuple[str, int, str]:
    app, emu = await offline_application(services)
    try:
        chat = Chat(app, emu, user, "en")
        _consent, confirm = await _to_confirmation(chat)
        raw = emu.press_button(user, confirm["message_id"], _data(confirm, "1|Q|send"))
        [thanks] = await chat.send(raw)
        return str(raw["callback_query"]["id"]), int(raw["update_id"]), str(thanks["text"])
    finally:
        await app.shutdown()


async def test_two_learners_with_the_same_telegram_ids_get_two_enquiries(
    services: Services,
) -> None:
    first = await _file_after_restart(services, 7001)
    second = await _file_after_restart(services, 7002)
    # The API server gave the second learner's "Send" the very ids of the first's.
    assert first[:2] == second[:2]
    assert first[2].startswith("Thank you! Your enquiry number is 1.")
    assert second[2].startswith("Thank you! Your enquiry number is 2.")
    assert [(e[0], e[1]) for e in await _enquiries(services)] == [(1, 7001), (2, 7002)]


# ------------------------------------------------------------------ staff actions


async def test_a_staff_button_of_an_older_state_does_not_act(
    offline_app: tuple[VtcApplication, BotApiEmulator], services: Services
) -> None:
    app, emu = offline_app
    services.enquiries.staff_chat_id = STAFF_CHAT
    emu.state.register_chat({"id": STAFF_CHAT, "type": "supergroup", "title": "Staff"})
    chat = Chat(app, emu, 2201, "en")
    _consent, confirm = await _to_confirmation(chat)
    await chat.press_data(confirm["message_id"], _data(confirm, "1|Q|send"))
    [post] = emu.messages(STAFF_CHAT)
    close = _data(post, "1|E|close")
    # Answered since the post was made (the post still shows "new").
    row = await services.enquiries.staff_answer(ADMIN_ID, 1, "Yes, on Saturdays.", "test:answer")
    assert row is not None
    await services.enquiries.delivered(row, Delivery.SENT)

    staff = Chat(app, emu, ADMIN_ID, "lt")
    await staff.send(emu.press_button(ADMIN_ID, post["message_id"], close, chat_id=STAFF_CHAT))
    assert _answer(emu).startswith("Užklausos Nr. 1 būsena dabar – atsakyta; nieko nepakeista.")
    assert await enquiries_repo.statuses(services.db.reader) == {1: "answered"}
    refreshed = emu.message(STAFF_CHAT, post["message_id"])
    assert "Būsena: atsakyta" in refreshed["text"]

    # The refreshed post's buttons act.
    close = _data(refreshed, "1|E|close")
    await staff.send(emu.press_button(ADMIN_ID, post["message_id"], close, chat_id=STAFF_CHAT))
    assert await enquiries_repo.statuses(services.db.reader) == {1: "closed"}
    # Pressed again (a double tap): closed stays closed, nothing acts twice.
    await staff.send(emu.press_button(ADMIN_ID, post["message_id"], close, chat_id=STAFF_CHAT))
    assert _answer(emu).startswith("Užklausos Nr. 1 būsena dabar – uždaryta; nieko nepakeista.")


# ------------------------------------------------------------------ announcements


async def _compose_to_confirmation(admin: Chat, text: str) -> dict[str, Any]:
    await admin.say("/broadcast")
    await admin.say(text)
    [menu] = await admin.say("Same in English: " + text)
    everyone = next(label for label in buttons(menu) if label.startswith("Everyone"))
    [*_, when] = await admin.press(menu, everyone)
    [confirm] = await admin.press(when, "Now")
    assert "Confirm and send" in buttons(confirm)
    return confirm


async def test_an_older_drafts_confirm_does_not_send_the_new_announcement(
    learner: Chat, services: Services
) -> None:
    admin = Chat(learner.app, learner.emu, ADMIN_ID, "en")
    first = await _compose_to_confirmation(admin, "Pirmas skelbimas")
    ok = _data(first, "1|B|ok")
    # Started again from the beginning: a new draft, at its confirmation too.
    second = await _compose_to_confirmation(admin, "Antras skelbimas")
    await admin.press_data(first["message_id"], ok)
    assert await services.broadcasts.recent(ADMIN_ID) == []
    # Its own button sends it, once however often it is pressed.
    await admin.press_data(second["message_id"], _data(second, "1|B|ok"))
    await admin.press_data(second["message_id"], _data(second, "1|B|ok"))
    [created] = await services.broadcasts.recent(ADMIN_ID)
    assert created.text_lt == "Antras skelbimas"
