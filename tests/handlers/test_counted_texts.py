"""Every count in words: Lithuanian has three forms (1 ženklas, 2 ženklai,
10 ženklų; 21 like 1; 11-19 like 10), and the commas a careful writer puts."""

from __future__ import annotations

import pytest

from tests.handlers.conftest import Chat
from texts.enquiries import too_long
from texts.i18n import translator


@pytest.mark.parametrize(
    ("length", "words"),
    [
        (2001, "2001 ženklas"),
        (2003, "2003 ženklai"),
        (2011, "2011 ženklų"),
        (2021, "2021 ženklas"),
        (2100, "2100 ženklų"),
    ],
)
def test_an_over_long_enquiry_counts_its_characters_in_lithuanian(length: int, words: str) -> None:
    assert too_long(translator("lt"), length).startswith(f"Jūsų žinutėje yra {words};")


def test_and_in_english() -> None:
    assert too_long(translator("en"), 2001).startswith("Your message has 2001 characters;")


async def test_the_learner_is_told_the_count_in_the_right_form(learner: Chat) -> None:
    [menu] = await learner.say("/start")
    [topics] = await learner.press(menu, "Klausti centro")
    await learner.press(topics, "Kita")
    [reply] = await learner.say("a" * 2001)
    assert reply["text"].startswith("Jūsų žinutėje yra 2001 ženklas;")


async def test_thanks_is_answered_with_its_commas(learner: Chat) -> None:
    [reply] = await learner.say("ačiū")
    assert "Klauskite, ko tik norite, bet kada." in reply["text"]
