"""Buttons under an answer open below it: the answer the learner was reading stays."""

from __future__ import annotations

from typing import Any

from tests.handlers.conftest import Chat, buttons, callback_data
from texts import callbacks
from texts.callbacks import Action


def _kinds(chat: Chat, since: int) -> list[str]:
    return [
        e["kind"]
        for e in chat.emu.events(since)
        if e["kind"] in ("sent", "edited") and e["chat_id"] == chat.user_id
    ]


def _unchanged(chat: Chat, answer: dict[str, Any]) -> None:
    kept = chat.emu.message(chat.user_id, answer["message_id"])
    assert kept["text"] == answer["text"]
    assert buttons(kept) == buttons(answer)


async def test_groups_and_price_come_below_the_answer(english_learner: Chat) -> None:
    [answer] = await english_learner.say("how much is the forklift course?")
    assert "Price: €280.00" in answer["text"]
    before = english_learner.emu.state.last_event_seq
    [groups] = await english_learner.press(answer, "Groups and sessions")
    [price] = await english_learner.press(answer, "Price and funding")
    assert _kinds(english_learner, before) == ["sent", "sent"], "the answer was edited"
    assert groups["message_id"] > answer["message_id"]
    assert "Group from" in groups["text"] and "Price" not in groups["text"].split("\n")[0]
    assert price["text"].startswith("Forklift") and "Funding:" in price["text"]
    _unchanged(english_learner, answer)
    # Nothing to go back to in a message of its own.
    assert "« Back" not in buttons(groups) + buttons(price)


async def test_the_same_button_twice_in_a_row_posts_one_card(english_learner: Chat) -> None:
    [answer] = await english_learner.say("how much is the forklift course?")
    [_groups] = await english_learner.press(answer, "Groups and sessions")
    assert await english_learner.press(answer, "Groups and sessions") == []
    toast = english_learner.emu.callback_answers()[-1].get("text")
    assert toast == "It is the message just below."
    # After anything else in the chat the card is no longer just below: it comes again.
    [_price] = await english_learner.press(answer, "Price and funding")
    [again] = await english_learner.press(answer, "Groups and sessions")
    assert "Group from" in again["text"]


async def test_a_question_between_two_presses_lets_the_card_come_again(learner: Chat) -> None:
    [answer] = await learner.say("kiek kainuoja autokrautuvo vairuotojo kursai?")
    [first] = await learner.press(answer, "Kaina ir finansavimas")
    await learner.say("ačiū")
    [second] = await learner.press(answer, "Kaina ir finansavimas")
    assert second["text"] == first["text"]
    assert second["message_id"] > first["message_id"]


async def test_contacts_under_i_do_not_know_come_below_it(learner: Chat) -> None:
    [answer] = await learner.say("cepelinu receptas pls")
    before = learner.emu.state.last_event_seq
    [contacts] = await learner.press(answer, "Kontaktai")
    assert _kinds(learner, before) == ["sent"]
    assert "Telefonas: +370 315 00000 (DEMO)" in contacts["text"]
    [menu] = await learner.press(answer, "Pagrindinis meniu")
    assert "Programos" in buttons(menu)
    _unchanged(learner, answer)


async def test_remind_me_under_a_groups_card_below_an_answer_keeps_both(
    english_learner: Chat,
) -> None:
    [answer] = await english_learner.say("how much is the forklift course?")
    [groups] = await english_learner.press(answer, "Groups and sessions")
    remind = next(b for b in buttons(groups) if b.startswith("⏰ Remind me"))
    before = english_learner.emu.state.last_event_seq
    [settings] = await english_learner.press(groups, remind)
    assert _kinds(english_learner, before) == ["sent"]
    assert settings["message_id"] > groups["message_id"]
    _unchanged(english_learner, answer)
    _unchanged(english_learner, groups)
    # The settings' own buttons change them in place, as controls do.
    toggle = next(
        d for d in callback_data(settings) if d.startswith("1|R|t|") or d.startswith("1|R|q")
    )
    before = english_learner.emu.state.last_event_seq
    await english_learner.press_data(settings["message_id"], toggle)
    assert _kinds(english_learner, before) == ["edited"]


async def test_a_related_programme_card_opens_its_details_below(learner: Chat) -> None:
    [answer] = await learner.say("kiek kainuoja B kategorija?")
    # An "Open: …" button naming a programme, as the answer would carry one.
    related = callbacks.pack(Action.SUGGESTION, "p", "cont-florist")
    [card] = await learner.press_data(answer["message_id"], related)
    assert card["text"].startswith("Floristas") and "« Atgal" not in buttons(card)
    before = learner.emu.state.last_event_seq
    [groups] = await learner.press(card, "Grupės ir užsiėmimai")
    [waiting] = await learner.press(card, "Pranešti, kai atsiras grupė")
    assert _kinds(learner, before) == ["sent", "sent"]
    assert "Floristas" in groups["text"]
    assert waiting["text"].startswith("Gerai: kai atsidarys") and "« Atgal" not in buttons(waiting)
    _unchanged(learner, card)
    _unchanged(learner, answer)


async def test_a_menu_card_still_turns_into_its_groups_in_place(english_learner: Chat) -> None:
    [menu] = await english_learner.say("/start")
    [card] = await english_learner.press_data(
        menu["message_id"], callbacks.pack(Action.PROGRAMME, "nf-digital-skills")
    )
    before = english_learner.emu.state.last_event_seq
    [groups] = await english_learner.press(card, "Groups and sessions")
    assert _kinds(english_learner, before) == ["edited"]
    assert groups["message_id"] == menu["message_id"]
    assert "« Back" in buttons(groups)
