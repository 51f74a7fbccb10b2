"""The seats a card shows count the bot's own registrations: a group the bot
has filled says it is full and offers its waiting list, and a seat given back
(a cancellation, an erasure) shows again."""

from __future__ import annotations

from services.container import Services
from tests.handlers.conftest import Chat, buttons
from tests.registration_helpers import register_learner

GROUP = "nf-digital-skills-2026-12-evening"  # 14 seats, 12 taken in the catalogue
ASK = "digital skills December evening group, any seats left?"


async def _fill(services: Services) -> list[int]:
    counts = await services.registrations.seat_counts(GROUP)
    assert counts is not None and counts.free > 0
    made = [await register_learner(services, 5000 + i, GROUP) for i in range(counts.free)]
    return [m.registration.id for m in made if m.registration is not None]


async def test_a_group_the_bot_filled_says_full_and_offers_its_waiting_list(
    english_learner: Chat, services: Services
) -> None:
    [before] = await english_learner.say(ASK)
    assert "2 seats left." in before["text"], before["text"][:400]
    await _fill(services)
    [after] = await english_learner.say(ASK)
    assert "The group is full." in after["text"], after["text"][:400]
    assert "seats left" not in after["text"]
    assert any(b.startswith("Join the waiting list: group from") for b in buttons(after))
    assert not any(b.startswith("Register:") for b in buttons(after))


async def test_a_seat_given_back_shows_again(english_learner: Chat, services: Services) -> None:
    ids = await _fill(services)
    cancelled = await services.registrations.cancel(ids[0], 5000)
    assert cancelled.done
    [card] = await english_learner.say(ASK)
    assert "1 seat left." in card["text"], card["text"][:400]
    await services.privacy.forget(5001)
    [card] = await english_learner.say(ASK)
    assert "2 seats left." in card["text"], card["text"][:400]
