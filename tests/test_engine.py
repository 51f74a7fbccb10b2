"""The answer engine on the development question set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from services.container import Services
from services.search.normalise import fold

DEV_SET = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "questions-dev.yaml"
# The questions ship with the repository too, so a clone without ../shared tests the same.
LOCAL_SET = Path(__file__).resolve().parent / "data" / "questions-dev.yaml"


def _questions() -> list[dict[str, Any]]:
    path = LOCAL_SET if LOCAL_SET.exists() else DEV_SET
    return list(yaml.safe_load(path.read_text(encoding="utf-8")))


def _expected(item: dict[str, Any]) -> list[str | None]:
    expect = item["expect"]
    return expect if isinstance(expect, list) else [expect]


def _strip_diacritics(text: str) -> str:
    # Keep case and punctuation; only the letters lose their marks.
    return "".join(
        plain if plain.isalpha() else ch for ch, plain in ((c, fold(c) or c) for c in text)
    )


async def test_typing_without_diacritics_gives_the_same_answer(services: Services) -> None:
    engine = services.catalogue.engine
    compared = 0
    for item in _questions():
        stripped = _strip_diacritics(item["q"])
        if stripped == item["q"]:
            continue
        compared += 1
        with_marks = await engine.search(item["q"])
        without = await engine.search(stripped)
        assert [h.id for h in with_marks.hits[:1]] == [h.id for h in without.hits[:1]], item["q"]
    assert compared >= 15


@pytest.mark.parametrize("lang", ["lt", "en"])
async def test_top1_accuracy_floor(services: Services, lang: str) -> None:
    """Guards against regressions; the measured figures are in docs/benchmarks.md."""
    engine = services.catalogue.engine
    items = [q for q in _questions() if q["lang"] == lang and q["expect"] is not None]
    correct = 0
    for item in items:
        result = await engine.search(item["q"])
        top = result.hits[0].id if result.hits else None
        correct += top in _expected(item)
    assert correct / len(items) >= 0.9


async def test_out_of_scope_questions_get_no_answer(services: Services) -> None:
    engine = services.catalogue.engine
    items = [q for q in _questions() if q["expect"] is None]
    empty = [not (await engine.search(q["q"])).hits for q in items]
    assert sum(empty) / len(items) >= 0.9


async def test_issue_examples(services: Services) -> None:
    engine = services.catalogue.engine
    price = await engine.search("kiek kainuoja vairavimo kursai")
    assert price.intent == "price"
    assert price.hits[0].id in ("driving-b", "driving-price-duration")
    start = await engine.search("kada prasideda suvirintoju kursai")
    assert start.intent == "start"
    assert start.hits[0].id in ("welder", "cont-welder-mag")
    evening = await engine.search("is there an evening electrician course?")
    assert evening.hits[0].id == "cont-electrician"


async def test_typos_are_tolerated(services: Services) -> None:
    engine = services.catalogue.engine
    assert (await engine.search("elektirko kursai vakarais")).hits[0].id == "cont-electrician"
    assert (await engine.search("forklfit licence price")).hits[0].id == "forklift-operator"


async def test_licence_categories_that_are_also_english_words(services: Services) -> None:
    engine = services.catalogue.engine
    for question, expected in (
        ("kiek kainuoja AM kategorija?", "driving-am"),
        ("kiek kainuoja BE kategorija?", "driving-be"),
        ("how much is category A?", "driving-a"),
        ("price of BE category", "driving-be"),
    ):
        result = await engine.search(question)
        assert result.hits and result.hits[0].id == expected, question
