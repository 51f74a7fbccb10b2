"""A typed answer about a course carries the same Register button as the
course's card in the menus: the learner who asked need not go looking for it."""

from __future__ import annotations

from services.container import Services
from tests.handlers.conftest import Chat, buttons


async def test_a_typed_answer_about_a_group_registers_for_that_group(
    english_learner: Chat, services: Services
) -> None:
    [answer] = await english_learner.say("January evening B category group, how many seats left?")
    assert "Register: group from 11 Jan" in buttons(answer), buttons(answer)
    [full, ask] = await english_learner.press(answer, "Register: group from 11 Jan")
    assert full["text"].startswith("This group is full. Register to join its waiting list")
    assert "Your first name and surname?" in ask["text"]


async def test_a_typed_answer_about_a_programme_offers_its_registration(
    learner: Chat, services: Services
) -> None:
    [answer] = await learner.say("kiek kainuoja suvirintojo mokslai")
    labels = buttons(answer)
    assert any(label.startswith("Registruotis") for label in labels), labels
    # Below the course's facts, above the vote on the answer.
    assert labels.index("Kaina ir finansavimas") < next(
        i for i, label in enumerate(labels) if label.startswith("Registruotis")
    )


async def test_a_faq_answer_has_no_register_button(english_learner: Chat) -> None:
    [answer] = await english_learner.say("where is the centre?")
    assert not any(label.startswith("Register") for label in buttons(answer)), buttons(answer)
