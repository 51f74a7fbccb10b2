"""'Did you mean' through the handlers: one button per close entry, each opens its card."""

from __future__ import annotations

from tests.handlers.conftest import Chat, buttons

CLOSE = "kokius popierius reikia turet uzsirasant i kursus?"


async def test_close_entries_are_offered_and_a_pick_opens_its_card(learner: Chat) -> None:
    [asked] = await learner.say(CLOSE)
    assert asked["text"] == "Ar turėjote omenyje:"
    labels = buttons(asked)
    assert labels[-1] == "Klausti centro"
    choices = labels[:-1]
    assert 2 <= len(choices) <= 3
    documents = next(c for c in choices if c.startswith("Ko reikia norint pradėti kursus"))
    [card] = await learner.press(asked, documents)
    # A new message: the choices stay for another pick.
    assert card["message_id"] != asked["message_id"]
    assert card["text"].startswith("Ko reikia norint pradėti kursus?")


async def test_english_learner_gets_the_question_in_english(english_learner: Chat) -> None:
    [asked] = await english_learner.say(CLOSE)
    assert asked["text"] == "Did you mean:"
    assert buttons(asked)[-1] == "Ask the centre"
