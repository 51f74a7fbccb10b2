"""A follow-up question ("kiek kainuoja?", "o kada prasideda?") right after a
course's card is answered about that course."""

from __future__ import annotations

import datetime as dt

from services.clock import FixedClock
from tests.handlers.conftest import Chat, buttons


async def test_a_follow_up_is_about_the_card_just_answered(learner: Chat) -> None:
    [card] = await learner.say("suvirintojo specialybe")
    assert card["text"].startswith("Suvirintojas")
    asked = {
        "kiek kainuoja?": "Kaina: nemokamai",
        "o kada prasideda?": "Artimiausia grupė prasideda",
        "ar liko vietu?": "liko 20 vietų",
    }
    for follow_up, lead in asked.items():
        [reply] = await learner.say(follow_up)
        assert reply["text"].startswith("Suvirintojas"), follow_up
        assert lead in reply["text"], (follow_up, reply["text"][:200])


async def test_a_follow_up_naming_an_intake_gets_that_intake(english_learner: Chat) -> None:
    await english_learner.say("welder programme")
    [evening] = await english_learner.say("and the evening one?")
    assert "Mon-Thu" in evening["text"] or "17:00" in evening["text"], evening["text"][:300]
    assert "8:00" not in evening["text"]


WHICH_COURSE = "Apie kuriuos mokymus klausiate?"


async def test_a_follow_up_with_nothing_before_asks_which_course(learner: Chat) -> None:
    [reply] = await learner.say("kiek kainuoja?")
    assert reply["text"].startswith(WHICH_COURSE)


async def test_a_question_naming_its_own_topic_is_not_a_follow_up(learner: Chat) -> None:
    await learner.say("suvirintojo specialybe")
    [reply] = await learner.say("kiek kainuoja pica?")
    assert "Suvirintojas" not in reply["text"]


async def test_a_follow_up_long_after_is_not_about_the_old_card(
    learner: Chat, clock: FixedClock
) -> None:
    await learner.say("suvirintojo specialybe")
    clock.advance(dt.timedelta(hours=2))
    [reply] = await learner.say("kiek kainuoja?")
    assert reply["text"].startswith(WHICH_COURSE)


async def test_a_fact_asked_about_no_course_first_asks_which_course(
    english_learner: Chat,
) -> None:
    for question in ("how much does it cost?", "when does it start", "any places left?"):
        [reply] = await english_learner.say(question)
        assert reply["text"].startswith("Which course do you mean?"), question
        assert buttons(reply) == ["Programmes", "Driving school", "For teachers"]


async def test_a_question_naming_an_faq_in_full_is_not_a_follow_up(learner: Chat) -> None:
    await learner.say("suvirintojo specialybe")
    [hours] = await learner.say("kada dirbate?")
    assert not hours["text"].startswith("Suvirintojas")
    [where] = await learner.say("kur jus esat?")
    assert "Demo g. 1" in where["text"]


async def test_a_course_opened_with_a_button_is_what_a_follow_up_is_about(
    learner: Chat,
) -> None:
    [menu] = await learner.say("/start")
    [card] = await learner.press_data(menu["message_id"], "1|p|accountant")
    assert card["text"].startswith("Apskaitininkas")
    [reply] = await learner.say("kada prasideda?")
    assert reply["text"].startswith("Apskaitininkas"), reply["text"][:200]
    assert "prasideda" in reply["text"]


async def test_an_faq_answer_in_between_keeps_the_course(learner: Chat) -> None:
    await learner.say("suvirintojo specialybe")
    [faq] = await learner.say("ar yra bendrabutis?")
    assert not faq["text"].startswith("Suvirintojas")
    [reply] = await learner.say("kiek kainuoja?")
    assert reply["text"].startswith("Suvirintojas"), reply["text"][:200]


async def test_where_the_school_is_is_the_address_even_after_a_course(learner: Chat) -> None:
    await learner.say("suvirintojo specialybe")
    [where] = await learner.say("kur yra mokykla?")
    assert "Demo g. 1" in where["text"], where["text"][:200]


async def test_a_question_about_other_or_all_courses_is_not_a_follow_up(learner: Chat) -> None:
    await learner.say("suvirintojo specialybe")
    [march] = await learner.say("kokie kursai prasideda kovą?")
    assert not march["text"].startswith("Suvirintojas"), march["text"][:200]


async def test_an_intake_the_course_does_not_have_is_not_made_up(learner: Chat) -> None:
    [card] = await learner.say("automechaniko specialybe")
    assert card["text"].startswith("Automobilių mechanikas")
    # The car mechanic programme has no evening group.
    [evening] = await learner.say("o vakarine?")
    assert not evening["text"].startswith("Automobilių mechanikas"), evening["text"][:200]


async def test_a_first_question_an_faq_answers_is_not_turned_into_which_course(
    learner: Chat,
) -> None:
    for question in ("kiek trunka pamoka?", "nuo kiek metu galima stoti?"):
        [reply] = await learner.say(question)
        assert not reply["text"].startswith(WHICH_COURSE), question


async def test_words_about_learning_alone_ask_which_course(english_learner: Chat) -> None:
    for question in ("I want to study", "what other courses do you have?"):
        [reply] = await english_learner.say(question)
        assert reply["text"].startswith("Which course do you mean?"), question


async def test_from_what_age_after_a_card_is_its_entry_requirements(learner: Chat) -> None:
    await learner.say("suvirintojo specialybe")
    [reply] = await learner.say("nuo kiek metu galima stoti?")
    assert reply["text"].startswith("Suvirintojas"), reply["text"][:200]
    assert "Priėmimo sąlygos" in reply["text"].split("\n\n")[0], reply["text"][:300]


async def test_a_follow_up_with_a_slip_of_the_question_word_asks_that_fact(
    learner: Chat,
) -> None:
    await learner.say("suvirintojo specialybe")
    # "turnka" for "trunka" (how long), "kainuja" for "kainuoja".
    [length] = await learner.say("o kiek turnka?")
    assert length["text"].startswith("Suvirintojas")
    assert "Trukmė" in length["text"].split("\n", 2)[1], length["text"][:200]
    [price] = await learner.say("kiek kainuja?")
    assert "Kaina: nemokamai" in price["text"], price["text"][:200]


async def test_a_course_named_beside_an_faq_answer_is_the_one_followed_up(
    learner: Chat,
) -> None:
    [card] = await learner.say("stalius")
    assert card["text"].startswith("Stalius")
    # Answered by the driving prices FAQ, but the question named category B.
    await learner.say("kiek kainuoja B kategorija?")
    [price] = await learner.say("kiek kainuoja?")
    assert not price["text"].startswith("Stalius"), price["text"][:200]
    assert "690" in price["text"], price["text"][:300]


async def test_is_it_free_is_a_price_follow_up(english_learner: Chat, learner: Chat) -> None:
    # "Is it free?" asks the price as yes or no: it got "I don't know".
    [card] = await english_learner.say("MAG welding course for adults")
    assert card["text"].startswith("MAG/MIG welding"), card["text"][:80]
    [reply] = await english_learner.say("is it free?")
    assert reply["text"].startswith("MAG/MIG welding"), reply["text"][:200]
    assert "Price: €1,250.00" in reply["text"], reply["text"][:300]
    await learner.say("suvirintojo specialybe")
    [reply] = await learner.say("ar nemokama?")
    assert reply["text"].startswith("Suvirintojas") and "Kaina: nemokamai" in reply["text"]
