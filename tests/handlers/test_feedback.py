"""'Was this helpful?' through the handlers: one vote per answer, stale and
forged votes ignored, and a 👎 offering to ask the centre with the question."""

from __future__ import annotations

import base64
import json
from typing import Any

from services.container import Services
from services.feedback import Outcome
from tests.handlers.conftest import Chat, buttons, callback_data

UP, DOWN = "👍 Naudinga", "👎 Nenaudinga"
RECEIVED = "✓ Įvertinimas gautas, ačiū"
ALREADY = "Šį atsakymą jau įvertinote, ačiū."
PRICE = "kiek kainuoja autokrautuvo vairuotojo kursai?"
START = "kada prasideda suvirintoju kursai"


def _toast(chat: Chat) -> str:
    return str(chat.emu.callback_answers()[-1].get("text") or "")


def _vote_data(message: dict[str, Any], vote: str) -> str:
    return next(d for d in callback_data(message) if d.startswith(f"1|V|{vote}|"))


async def _votes(services: Services) -> list[tuple[str, int, str]]:
    async with services.db.reader.execute(
        "SELECT q.text, f.user_id, f.vote FROM answer_feedback f "
        "JOIN question_log q ON q.id = f.question_id ORDER BY q.id"
    ) as cur:
        return [(str(r[0]), int(r[1]), str(r[2])) for r in await cur.fetchall()]


async def test_a_helpful_vote_is_kept_once_and_the_buttons_say_so(
    learner: Chat, services: Services
) -> None:
    [answer] = await learner.say(PRICE)
    assert answer["text"].startswith("Krautuvo vairuotojas")
    before = buttons(answer)
    assert before[-2:] == [UP, DOWN]

    [edited] = await learner.press(answer, UP)
    assert _toast(learner) == "Ačiū už įvertinimą!"
    # The same message: the vote row is replaced, the answer's other buttons stay.
    assert edited["message_id"] == answer["message_id"]
    assert edited["text"] == answer["text"]
    assert buttons(edited) == [*before[:-2], RECEIVED]
    assert await _votes(services) == [(PRICE, learner.user_id, "up")]

    # Pressed again from a client still showing the old buttons (either one),
    # or the "received" button: told honestly, and nothing changes.
    for vote in ("up", "down"):
        await learner.press_data(answer["message_id"], _vote_data(answer, vote))
        assert _toast(learner) == ALREADY
    sent = await learner.press(edited, RECEIVED)
    assert _toast(learner) == ALREADY
    assert [m for m in sent if m["message_id"] != answer["message_id"]] == []
    assert await _votes(services) == [(PRICE, learner.user_id, "up")]


async def test_not_helpful_offers_the_centre_with_the_question_carried_over(
    learner: Chat, services: Services
) -> None:
    [answer] = await learner.say(START)
    assert UP in buttons(answer)
    [edited, offer] = await learner.press(answer, DOWN)
    assert buttons(edited)[-1] == RECEIVED
    assert offer["text"].startswith("Atsiprašome, kad šis atsakymas nepadėjo.")
    assert buttons(offer) == ["Klausti centro"]
    assert await _votes(services) == [(START, learner.user_id, "down")]

    # "Ask the centre" starts the enquiry with this question: the bot goes
    # straight to the contact details, and the confirmation shows the question.
    [contact] = await learner.press(offer, "Klausti centro")
    assert contact["text"].startswith("Ar norite, kad darbuotojai galėtų jums paskambinti?")
    [_thanks, consent] = await learner.say("Praleisti")
    [confirm] = await learner.press(consent, "Sutinku")
    assert START in confirm["text"]
    assert "Siųsti" in buttons(confirm)


async def test_forged_and_erased_votes_change_nothing(
    learner: Chat, english_learner: Chat, services: Services
) -> None:
    [answer] = await learner.say(PRICE)
    [other] = await english_learner.say("how much is the forklift course?")
    # The other learner's client sends a vote naming this learner's question.
    forged = _vote_data(answer, "down")
    sent = await english_learner.press_data(other["message_id"], forged)
    assert _toast(english_learner) == "This vote could not be recorded."
    assert sent == []
    # Data that names no question at all is refused the same way.
    await english_learner.press_data(other["message_id"], "1|V|up|x")
    assert _toast(english_learner) == "This vote could not be recorded."
    assert await _votes(services) == []
    # Nor does "Ask the centre" carry another learner's question over.
    question_id = forged.rsplit("|", 1)[1]
    [topic] = await english_learner.press_data(other["message_id"], f"1|Q|ask|{question_id}")
    assert topic["text"] == "What is your question about?"
    draft, _expired = await services.enquiries.draft(english_learner.user_id)
    assert draft is not None and draft.text is None

    # After /forget the question's record is anonymised: a vote on its answer
    # is not kept, the learner is told why, and the vote buttons go.
    [ask] = await learner.say("/forget")
    yes = next(d for d in callback_data(ask) if d.startswith("1|F|yes"))
    await learner.press_data(ask["message_id"], yes)
    [edited] = await learner.press(answer, UP)
    assert _toast(learner) == "Šio atsakymo įrašas ištrintas, todėl jūsų įvertinimas neišsaugotas."
    assert UP not in buttons(edited) and RECEIVED not in buttons(edited)
    assert await _votes(services) == []


async def test_my_data_exports_the_votes_and_forget_erases_them(
    english_learner: Chat, services: Services
) -> None:
    chat = english_learner
    [answer] = await chat.say("how much is the forklift course?")
    await chat.press(answer, "👎 Not helpful")
    await chat.say("/my_data")
    [document] = chat.emu.documents(chat.user_id)
    data = json.loads(base64.b64decode(document["data_base64"]))
    [vote] = data["answer_votes"]
    assert vote["vote"] == "down"
    assert vote["question"] == "how much is the forklift course?"

    [ask] = await chat.say("/forget")
    yes = next(d for d in callback_data(ask) if d.startswith("1|F|yes"))
    await chat.press_data(ask["message_id"], yes)
    assert await _votes(services) == []
    assert (await services.privacy.export(chat.user_id))["answer_votes"] == []
    # Nothing of the vote is left: not even an anonymous row.
    async with services.db.reader.execute("SELECT COUNT(*) FROM answer_feedback") as cur:
        row = await cur.fetchone()
    assert row is not None and row[0] == 0


async def test_the_same_press_handled_again_gets_the_same_outcome(services: Services) -> None:
    # After a crash the press is handled again: it must be told what it was
    # told the first time (its replies are journalled), while any other
    # press on the same answer is "already told us".
    await services.answers.ask(PRICE, "lt", user_id=2001, chat_id=2001, message_id=7)
    question_id = await services.answers.logged_id(2001, 7)
    assert question_id is not None
    vote = services.feedback.vote
    assert await vote(2001, question_id, "down", "press-1") is Outcome.STORED
    assert await vote(2001, question_id, "down", "press-1") is Outcome.STORED
    assert await vote(2001, question_id, "up", "press-2") is Outcome.ALREADY
    assert await vote(2002, question_id, "up", "press-3") is Outcome.REFUSED
    assert await _votes(services) == [(PRICE, 2001, "down")]
