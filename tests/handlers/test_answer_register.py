"""A typed answer about a course carries the same Register button as the
course's card in the menus: the learner who asked need not go looking for it."""

from __future__ import annotations

import datetime as dt

from services.clock import FixedClock
from services.container import Services
from tests.handlers.conftest import Chat, buttons


async def test_a_typed_answer_about_a_group_registers_for_that_group(
    english_learner: Chat, services: Services
) -> None:
    [answer] = await english_learner.say("January evening B category group, how many seats left?")
    # The group is full: its button says what pressing it does.
    label = "Join the waiting list: group from 11 Jan"
    assert label in buttons(answer), buttons(answer)
    [full, ask] = await english_learner.press(answer, label)
    assert full["text"].startswith("This group is full. Register to join its waiting list")
    assert "Your first name and surname?" in ask["text"]


async def test_a_typed_answer_about_a_programme_offers_its_registration(
    learner: Chat, services: Services
) -> None:
    # The electrician programme has one open group: its Register.
    [answer] = await learner.say("kiek kainuoja elektriko mokslai")
    labels = buttons(answer)
    register = [label for label in labels if label.startswith("Registruotis")]
    assert len(register) == 1, labels
    # Below the course's facts, above the vote on the answer.
    assert labels.index("Kaina ir finansavimas") < labels.index(register[0])


async def test_several_open_groups_are_chosen_from_the_groups_list(learner: Chat) -> None:
    # The welder programme has a day and an evening group: "Groups and
    # sessions" lists both, each with its Register; no second button says so.
    [answer] = await learner.say("kiek kainuoja suvirintojo mokslai")
    labels = buttons(answer)
    assert "Grupės ir užsiėmimai" in labels
    assert not any(label.startswith("Registruotis") for label in labels), labels
    [groups] = await learner.press(answer, "Grupės ir užsiėmimai")
    assert sum(label.startswith("Registruotis") for label in buttons(groups)) == 2


async def test_a_closed_group_offers_the_next_one_and_says_so(
    english_learner: Chat, clock: FixedClock
) -> None:
    # The December group's registration closed on 26 November.
    clock.advance(dt.timedelta(days=7))
    [answer] = await english_learner.say("December evening digital skills group, any seats?")
    labels = buttons(answer)
    assert "Register for the next group: from 6 Apr" in labels, labels
    assert not any(label.startswith("Register: group from 1 Dec") for label in labels)


async def test_a_faq_answer_has_no_register_button(english_learner: Chat) -> None:
    [answer] = await english_learner.say("where is the centre?")
    assert not any(label.startswith("Register") for label in buttons(answer)), buttons(answer)


async def test_groups_starting_the_same_day_are_told_apart_by_their_form(
    learner: Chat,
) -> None:
    # The welder's day and evening groups both start on 1 September 2027.
    [answer] = await learner.say("kiek kainuoja suvirintojo mokslai")
    [groups] = await learner.press(answer, "Grupės ir užsiėmimai")
    register = [b for b in buttons(groups) if b.startswith("Registruotis")]
    assert "Registruotis: dieninė grupė nuo rugsėjo 1 d." in register, register
    assert "Registruotis: vakarinė grupė nuo rugsėjo 1 d." in register, register
    [_ask] = await learner.press(groups, "Registruotis: vakarinė grupė nuo rugsėjo 1 d.")
    assert "vakarinė grupė nuo 2027 m. rugsėjo 1 d." in _ask["text"], _ask["text"]


async def test_asking_to_register_for_a_course_with_several_groups_offers_the_choice(
    learner: Chat,
) -> None:
    [answer] = await learner.say("noriu registruotis į krautuvo kursus")
    assert "Registruotis: pasirinkti grupę" in buttons(answer), buttons(answer)
    [groups] = await learner.press(answer, "Registruotis: pasirinkti grupę")
    # One Register per open group (a full one joins its waiting list).
    joins = [b for b in buttons(groups) if b.startswith(("Registruotis:", "Stoti į laukiančiųjų"))]
    assert len(joins) == 2, buttons(groups)
