"""Who the learner says they are picks between a trade's formal programme and
its continuing course for adults."""

from __future__ import annotations

import pytest

from services.container import Services
from services.search import audience


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("esu 35 m, noriu persikvalifikuot", "adult"),
        ("I'm 50 and want to become a cook", "adult"),
        ("man jau 65, anukai atsiunte telefona", "adult"),
        ("netekau darbo, uzimtumo tarnyba siulo kursus", "adult"),
        ("sunui 15, ar jau gali", "youth"),
        ("my daughter finishes 10th grade", "youth"),
        ("kiek kainuoja 690 euros", None),
        ("suvirinimo kursai vakarais", None),  # "kursai" alone says no age
        ("kiek kainuoja suvirintojo specialybe", None),
        ("sunui reikia vairavimo kursu", "youth"),
    ],
)
def test_what_the_learner_says_about_themselves(text: str, who: str | None) -> None:
    assert audience.detect(text) == who


@pytest.mark.parametrize(
    ("question", "programme"),
    [
        ("esu 35 m, noriu persikvalifikuot i suvirintojus, trumpi kursai yra?", "cont-welder-mag"),
        ("I'm 50 and want to become a cook, how much is the course?", "cont-cook"),
        ("chef school for teenagers", "cook"),
    ],
)
async def test_the_audience_picks_the_formal_programme_or_the_adult_course(
    services: Services, question: str, programme: str
) -> None:
    result = await services.catalogue.engine.search(question)
    assert [h.id for h in result.hits[:1]] == [programme]
