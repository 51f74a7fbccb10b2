"""Free-text questions through the handlers."""

from __future__ import annotations

import pytest

from services.container import Services
from storage import question_log_repo
from tests.handlers.conftest import Chat, buttons


async def test_price_question_leads_with_price(learner: Chat) -> None:
    [reply] = await learner.say("kiek kainuoja autokrautuvo vairuotojo kursai?")
    first_lines = reply["text"].split("\n")[:3]
    assert any(line.startswith("Kaina: 280,00\xa0€") for line in first_lines), first_lines


async def test_when_question_leads_with_next_start(learner: Chat) -> None:
    [reply] = await learner.say("kada prasideda suvirintoju kursai")
    assert reply["text"].split("\n")[1] == "Artimiausia grupė prasideda 2027 m. rugsėjo 1 d."


async def test_english_question_from_lithuanian_learner_is_answered_in_lithuanian(
    learner: Chat,
) -> None:
    [reply] = await learner.say("is there an evening electrician course?")
    assert reply["text"].startswith("Elektrikas")
    assert "Trukmė" in reply["text"]


async def test_english_learner_gets_english(english_learner: Chat) -> None:
    [reply] = await english_learner.say("how much is the forklift course?")
    assert "Price: €280.00" in reply["text"]


async def test_group_question_answers_with_that_group(english_learner: Chat) -> None:
    [reply] = await english_learner.say("is the March evening MAG welding group full already?")
    assert "Group from 1 March 2027" in reply["text"]
    assert "seats left" in reply["text"]


async def test_did_you_mean_buttons_are_offered_when_close(learner: Chat) -> None:
    [reply] = await learner.say("kiek kainuoja B kategorija?")
    alternatives = [b for b in buttons(reply) if b.startswith("Atidaryti: ")]
    assert 1 <= len(alternatives) <= 2
    [followed] = await learner.press(reply, alternatives[0])
    assert followed["text"]


async def test_a_related_entry_opens_below_the_answer_and_keeps_it(learner: Chat) -> None:
    [reply] = await learner.say("kiek kainuoja B kategorija?")
    related = [b for b in buttons(reply) if b.startswith("Atidaryti: ")]
    assert related, buttons(reply)
    before = learner.emu.state.last_event_seq
    [card] = await learner.press(reply, related[0])
    kinds = [e["kind"] for e in learner.emu.events(before) if e["kind"] in ("sent", "edited")]
    assert kinds == ["sent"], "the answer was replaced"
    assert card["message_id"] != reply["message_id"]
    # The answer is still there as it was, with its buttons.
    kept = learner.emu.message(learner.user_id, reply["message_id"])
    assert kept["text"] == reply["text"] and buttons(kept) == buttons(reply)


async def test_unknown_question_is_admitted_logged_and_offers_contacts(
    learner: Chat, services: Services
) -> None:
    [reply] = await learner.say("cepelinu receptas pls")
    assert reply["text"].startswith("Atsiprašau, į šį klausimą atsakyti negaliu.")
    assert "+370 315 00000 (DEMO)" in reply["text"]
    assert "Kontaktai" in buttons(reply)
    unanswered = await question_log_repo.unanswered(services.db.reader)
    assert [q.text for q in unanswered] == ["cepelinu receptas pls"]


async def test_answered_questions_are_logged_as_answered(learner: Chat, services: Services) -> None:
    await learner.say("kiek kainuoja B kategorija?")
    assert await question_log_repo.unanswered(services.db.reader) == []


async def test_sticker_and_voice_get_a_text_only_notice(learner: Chat) -> None:
    for raw in (learner.emu.send_sticker(learner.user_id), learner.emu.send_voice(learner.user_id)):
        [reply] = await learner.send(raw)
        assert reply["text"] == "Suprantu tik tekstines žinutes. Parašykite savo klausimą."


async def test_very_long_question_is_answered_not_crashed(learner: Chat) -> None:
    [reply] = await learner.say("suvirinimas " * 1000)
    assert reply["text"]


async def test_greetings_and_thanks_are_not_unanswered_questions(
    learner: Chat, services: Services
) -> None:
    [hello] = await learner.say("sveiki")
    assert hello["text"].startswith("Sveiki!") and "Programos" in buttons(hello)
    [thanks] = await learner.say("ačiū")
    assert thanks["text"].startswith("Prašom!")
    [noise] = await learner.say("👍")
    assert noise["text"] == "Parašykite savo klausimą žodžiais."
    [number] = await learner.say("7")
    assert number["text"] == "Parašykite savo klausimą žodžiais."
    assert await question_log_repo.unanswered(services.db.reader) == []


async def test_faq_answer_shows_the_question_it_answers(english_learner: Chat) -> None:
    [reply] = await english_learner.say("where is your address?")
    assert reply["text"].startswith("What is your address?\n")


async def test_a_failure_is_apologised_for_in_the_learners_language(
    learner: Chat, english_learner: Chat, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(services.answers, "ask", broken)
    [lt] = await learner.say("kiek kainuoja B kategorija?")
    assert (
        lt["text"]
        == "Atsiprašome, mūsų sistemoje įvyko klaida. Pabandykite dar kartą po akimirkos."
    )
    [en] = await english_learner.say("how much is the B category?")
    assert en["text"] == "Sorry, something went wrong on our side. Please try again in a moment."


async def test_edited_message_is_not_answered_again(learner: Chat) -> None:
    raw = learner.emu.send_text(learner.user_id, "kiek kainuoja B kategorija?")
    assert len(await learner.send(raw)) == 1
    edited = {"update_id": raw["update_id"] + 1000, "edited_message": raw["message"]}
    assert await learner.send(edited) == []
