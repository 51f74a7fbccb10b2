"""Round-two evidence rules: words naming something else, the centre's own
town, short stems, and the best entry that holds the evidence answering."""

from __future__ import annotations

import pytest

from services.container import Services
from services.search.engine import SearchEngine


def _engine(services: Services) -> SearchEngine:
    return services.catalogue.engine


async def _top(services: Services, question: str) -> list[str]:
    """The id of the card the question gets, as a list (empty: no card)."""
    result = await _engine(services).search(question)
    return [h.id for h in result.hits[:1]]


async def test_a_real_word_no_entry_holds_that_outweighs_the_topic_means_no_card(
    services: Services,
) -> None:
    # "grammar" and "homework" are ordinary English words the catalogue never
    # uses: the question is about something the Lithuanian course is not.
    result = await _engine(services).search("lithuanian grammar homework help")
    assert result.candidates, "ranking found the language course; the rule refused it"
    assert result.hits == [] and result.choices == []


async def test_the_same_topic_without_such_words_is_answered(services: Services) -> None:
    result = await _engine(services).search("lithuanian language course for beginners")
    assert [h.id for h in result.hits[:1]] == ["nf-lithuanian-language"]


def test_which_words_name_something_the_catalogue_lacks(services: Services) -> None:
    engine = _engine(services)
    assert engine._expand("homework", False).foreign
    # Everyday filler, a word no source knows (typo, name), a catalogue word
    # and a cue are not.
    assert not engine._expand("today", False).foreign
    assert not engine._expand("bitkoinas", False).foreign
    assert not engine._expand("welder", False).foreign
    assert not engine._expand("homework", True).foreign


def test_the_centres_town_in_any_inflection_says_here(services: Services) -> None:
    engine = _engine(services)
    # The demo centre's address is in Alytus.
    assert engine._here("alytuje") and engine._here("alytaus") and engine._here("alytus")
    assert not engine._here("alyva")
    word = engine._expand("alytuje", False)
    assert not word.topic and word.weight < engine._expand("eismas", False).weight


@pytest.mark.parametrize("question", ["ar Alytuje bus koncertas", "kokios parduotuvės Alytuje"])
async def test_the_centres_town_alone_is_no_evidence(services: Services, question: str) -> None:
    result = await _engine(services).search(question)
    assert result.hits == [] and result.choices == []


async def test_the_centres_town_does_not_hide_a_real_question(services: Services) -> None:
    result = await _engine(services).search("kur jūsų adresas Alytuje?")
    assert [h.id for h in result.hits[:1]] == ["address"]


def test_a_short_word_is_evidence_only_as_written(services: Services) -> None:
    engine = _engine(services)
    word = engine._expand("nam", False)
    assert word.variants, "the stem is a catalogue term (namai, namų ...)"
    assert all(engine._strength(word, key) == 0.0 for key in engine.docs)
    # A catalogue word that short, as written, still counts.
    car = engine._expand("car", False)
    assert any(engine._strength(car, key) > 0.0 for key in engine.docs)


async def test_the_best_entry_with_evidence_answers_when_the_top_one_has_none(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = _engine(services)
    question = "man 40 metų, noriu persikvalifikuoti į suvirintojus"
    first = (await engine.search(question)).candidates[0].id
    real = engine._proven
    monkeypatch.setattr(
        engine,
        "_proven",
        lambda entry, foreign=0.0, n_words=0: entry.id != first and real(entry, foreign, n_words),
    )
    result = await engine.search(question)
    assert result.hits and result.hits[0].id != first
    assert result.candidates[0].id == first, "the unproven one is still a candidate"


@pytest.mark.parametrize("question", ["where are you guys?", "kur jūs esate?", "kur jus esat"])
async def test_where_are_you_alone_is_the_address(services: Services, question: str) -> None:
    result = await _engine(services).search(question)
    assert [h.id for h in result.hits[:1]] == ["address"]


@pytest.mark.parametrize("question", ["where is the nearest pharmacy?", "kur artimiausia vaistinė"])
async def test_where_is_something_else_is_not_the_address(
    services: Services, question: str
) -> None:
    result = await _engine(services).search(question)
    assert result.hits == [] and result.choices == []


# Items of the tuning half: without the rule the engine asked "welder or the
# adults' welding course?" although only the latter has a March evening group.
@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("elektriku grupe rugseji kiek vietu", "electrician-2027-09"),
        ("konferencija balandi – iki kada registruotis?", "pd-conference-2027-04"),
        ("mechatronics group in september - where are the classes held?", "mechatronics-2027-09"),
        ("March confectioner group still taking people?", "confectioner-2027-03-evening"),
        # About the programme, not its intake: the programme's card.
        ("profesijos mokytoju konferencija balandi, kokia programa?", "pd-conference"),
        ("how do I sign up for the VET teachers conference in April?", "pd-conference"),
        ("elektriko specialybe po 10 klasiu", "electrician"),
        # Its only group starts in September, not in May: the programme.
        ("kirpeju grupe geguze kiek vietu", "hairdresser"),
    ],
)
async def test_a_programmes_only_intake_answers_when_singled_out(
    services: Services, question: str, answer: str
) -> None:
    # The month or "the group" singles the intake out, and seats, a deadline
    # or the rooms are what only the intake's card tells.
    assert await _top(services, question) == [answer]


@pytest.mark.parametrize(
    ("question", "faq"),
    [("ar yra nuotoliniu kursu?", "online-learning"), ("duokit el pasta", "contacts")],
)
async def test_a_question_that_says_an_entrys_whole_name_is_answered(
    services: Services, question: str, faq: str
) -> None:
    # Every word of one of the FAQ's phrasings is said: that is evidence
    # enough, even when those words are common ones.
    assert await _top(services, question) == [faq]
