"""The learned answer gate (services/search/gate.py): its trees are walked as
trained, it withholds an unlikely answer, it answers where the rules found
none only when sure, and the shipped model knows every feature the engine
computes."""

from __future__ import annotations

import math
from typing import Any

import pytest

from services.container import Services
from services.search import gate
from services.search.engine import GATE_CANDIDATES

ONE_HOT = ("i_", "x_", "k_", "t_", "w_")


def _stump(feature: str, low: float, high: float, **thresholds: float) -> gate.Gate:
    """A one-split model: `low` log-odds when the feature is at most 0.5, else `high`."""
    data: dict[str, Any] = {
        "features": ["other", feature],
        "prior": 0.0,
        "rate": 1.0,
        "veto": thresholds.get("veto", 0.3),
        "rescue": thresholds.get("rescue", 0.8),
        "trees": [
            {
                "left": [1, -1, -1],
                "right": [2, -1, -1],
                "feature": [1, 0, 0],
                "threshold": [0.5, 0.0, 0.0],
                "value": [0.0, low, high],
            }
        ],
    }
    return gate.Gate(data)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def test_the_trees_are_walked_as_trained() -> None:
    model = _stump("said", -2.0, 3.0)
    low, high, missing = model.probabilities([{"said": 0.0}, {"said": 1.0}, {"unknown": 5.0}])
    assert low == pytest.approx(_sigmoid(-2.0))
    assert high == pytest.approx(_sigmoid(3.0))
    # A feature the model never saw says nothing; a missing one is 0.
    assert missing == pytest.approx(_sigmoid(-2.0))
    assert model.probabilities([]) == []


def test_the_shipped_model_knows_every_feature_the_engine_computes(
    services: Services,
) -> None:
    model = gate.load()
    assert 0.0 < model.veto < model.rescue < 1.0
    engine = services.catalogue.engine
    seen: set[str] = set()
    for question in (
        "kiek kainuoja suvirintojo mokslai",
        "where is the centre?",
        "kovo vakarinė vairavimo grupė ar liko vietų",
        "esu 40 metų, noriu persikvalifikuoti",
    ):
        candidates = engine.candidate_features(question)
        assert 0 < len(candidates) <= GATE_CANDIDATES
        seen.update(name for _hit, found in candidates for name in found)
    # One-hot features (an intent, a kind) may be new; the measured ones may not.
    measured = {name for name in seen if not name.startswith(ONE_HOT)}
    assert measured <= set(model.features), measured - set(model.features)


async def test_an_unlikely_answer_is_withheld_and_its_candidates_kept(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = services.catalogue.engine
    question = "kiek kainuoja suvirintojo mokslai"
    assert engine.search_by_rules(question).hits, "the rules answer it"
    # A gate that finds every candidate unlikely.
    monkeypatch.setattr(gate, "load", lambda: _stump("said", -9.0, -9.0))
    result = await engine.search(question)
    assert result.hits == [] and result.choices == []
    assert result.candidates, "staff still see what it was close to"


async def test_the_gate_answers_where_the_rules_found_nothing_only_when_sure(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = services.catalogue.engine
    # "ruošiat" (you train) is no learning word the rules know: they refuse
    # the joiner's card for a question that names a trade and nothing learnt.
    question = "ar ruosiat stalius"
    assert engine.search_by_rules(question).hits == []
    monkeypatch.setattr(gate, "load", lambda: _stump("said1", -9.0, 9.0))
    sure = await engine.search(question)
    assert [h.id for h in sure.hits] == ["joiner"]
    monkeypatch.setattr(gate, "load", lambda: _stump("said1", -9.0, 0.5))  # p = 0.62
    unsure = await engine.search(question)
    assert unsure.hits == []


async def test_the_gate_never_answers_a_question_out_of_scope(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = services.catalogue.engine
    monkeypatch.setattr(gate, "load", lambda: _stump("said", 9.0, 9.0))
    assert engine.candidate_features("kur pigiai nusipirkti telefoną") == []
    assert (await engine.search("kur pigiai nusipirkti telefoną")).hits == []
