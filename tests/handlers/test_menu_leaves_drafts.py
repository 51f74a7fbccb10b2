"""Going back to the menu leaves a half-written enquiry or registration: the
learner's next questions are answered again, not swallowed by the form."""

from __future__ import annotations

from services.container import Services
from tests.handlers.conftest import Chat, buttons


async def test_start_leaves_an_enquiry_being_written(learner: Chat, services: Services) -> None:
    started = await learner.say("noriu pasikalbeti su zmogumi")
    assert started, "the enquiry conversation starts"
    assert (await services.enquiries.draft(learner.user_id))[0] is not None
    replies = await learner.say("/start")
    assert replies[0]["text"] == "Užklausa neišsiųsta."
    assert "Programos" in buttons(replies[-1])
    assert (await services.enquiries.draft(learner.user_id))[0] is None
    [answer] = await learner.say("kiek kainuoja B kategorija?")
    assert "690 €" in answer["text"], answer["text"][:120]


async def test_menu_leaves_a_registration_form(english_learner: Chat, services: Services) -> None:
    [_full, _ask] = await english_learner.say("/start reg-driving-b-2027-01-evening")
    assert await services.registrations.drafts.get(english_learner.user_id) is not None
    replies = await english_learner.say("/menu")
    assert replies[0]["text"] == "The registration was not sent."
    assert await services.registrations.drafts.get(english_learner.user_id) is None


async def test_start_with_nothing_open_just_greets(learner: Chat) -> None:
    [greeting] = await learner.say("/start")
    assert greeting["text"].startswith("Sveiki!")
