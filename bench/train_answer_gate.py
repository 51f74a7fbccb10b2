"""Learn the answer gate (services/search/gate.py) from the question sets read so far.

Every message of the sets the project has already read (dev, tuning, frozen,
fresh, blind) is asked as the bot asks it: the conversation classifier
first, then the engine's ranking. Each of the best-ranked candidates is
one example, labelled by whether it is the message's right card (an
off-topic message's candidates are all wrong). A gradient-boosted model
learns the probability that a candidate is the answer.

The engine keeps the hand-made rules' pick unless the gate's probability for
it is below `veto`, and answers with the gate's likeliest candidate where the
rules found none if that one's probability is at least `rescue`. Before the
model is written, each set is left out in turn and answered by a model
trained on the others: that table estimates how the gate does on messages it
never saw, and the two thresholds are chosen on it. The holdout set
(bench/data/questions-holdout.yaml) is never read here.

    .venv/bin/python bench/train_answer_gate.py [--write]

Needs scikit-learn (`pip install -e '.[train]'`); the bot itself does not.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.answer_quality import SETS, conversation_gate, load  # noqa: E402
from bench.common import table  # noqa: E402
from services.clock import SystemClock  # noqa: E402
from services.container import Services  # noqa: E402
from services.search import gate  # noqa: E402

TRAINED_ON = ("dev", "tuning", "frozen", "fresh", "blind")
HELD_OUT = ("tuning", "frozen", "fresh", "blind")
# (veto, rescue) pairs tried; None: the rules alone.
THRESHOLDS: tuple[tuple[float, float] | None, ...] = (
    None,
    (0.1, 0.8),
    (0.15, 0.8),
    (0.2, 0.7),
    (0.2, 0.8),
    (0.25, 0.7),
    (0.25, 0.8),
    (0.3, 0.8),
)
VETO, RESCUE = 0.3, 0.8
TREES, DEPTH, RATE, SUBSAMPLE, SEED = 150, 3, 0.1, 0.8, 0


@dataclass
class Message:
    set: str
    lang: str  # lt | en | other
    expected: frozenset[str]  # empty: no card is right
    candidates: list[tuple[str, dict[str, float]]]  # empty: no card whatever
    by_rules: str | None  # the rules' card
    choices: bool  # the rules ask the learner to pick


async def read_sets() -> list[Message]:
    messages: list[Message] = []
    with tempfile.TemporaryDirectory() as tmp:
        services = Services.create(Path(tmp) / "train.db", SystemClock())
        await services.start(ROOT / "data" / "centre.yaml")
        try:
            engine = services.catalogue.engine
            turned_away = conversation_gate()
            for name in TRAINED_ON:
                for item in load(SETS[name]):
                    text, expect = str(item["q"]), item["expect"]
                    lang = item["lang"] if item["lang"] in ("lt", "en") else "other"
                    expected = frozenset(
                        [] if expect is None else expect if isinstance(expect, list) else [expect]
                    )
                    if turned_away is not None and await turned_away(text):
                        messages.append(Message(name, lang, expected, [], None, False))
                        continue
                    candidates = [(hit.id, f) for hit, f in engine.candidate_features(text)]
                    rules = engine.search_by_rules(text)
                    best = rules.hits[0].id if rules.hits else None
                    messages.append(
                        Message(name, lang, expected, candidates, best, bool(rules.choices))
                    )
        finally:
            await services.close()
    return messages


def matrix(messages: Sequence[Message], names: list[str]) -> tuple[Any, Any]:
    rows = [
        ([f.get(n, 0.0) for n in names], cid in m.expected)
        for m in messages
        for cid, f in m.candidates
    ]
    return np.array([r[0] for r in rows]), np.array([r[1] for r in rows])


def fit(messages: Sequence[Message], names: list[str]) -> GradientBoostingClassifier:
    x, y = matrix(messages, names)
    model = GradientBoostingClassifier(
        n_estimators=TREES,
        max_depth=DEPTH,
        learning_rate=RATE,
        subsample=SUBSAMPLE,
        random_state=SEED,
    )
    model.fit(x, y)
    return model


def answer(
    model: GradientBoostingClassifier,
    m: Message,
    names: list[str],
    thresholds: tuple[float, float] | None,
) -> str | None:
    """The card the engine gives with this gate (as SearchEngine.search decides)."""
    if thresholds is None or not m.candidates or m.choices:
        return m.by_rules
    veto, rescue = thresholds
    x = np.array([[f.get(n, 0.0) for n in names] for _, f in m.candidates])
    chances = dict(zip((c for c, _ in m.candidates), model.predict_proba(x)[:, 1], strict=True))
    if m.by_rules is not None:
        vetoed = m.by_rules in chances and chances[m.by_rules] < veto
        return None if vetoed else m.by_rules
    best = max(chances, key=lambda c: chances[c])
    return best if chances[best] >= rescue else None


def cross_validate(messages: list[Message], names: list[str]) -> str:
    """Each read set answered by a gate trained on the others."""
    right: dict[tuple[tuple[float, float] | None, str], list[int]] = {}
    for held in HELD_OUT:
        model = fit([m for m in messages if m.set != held], names)
        for m in (m for m in messages if m.set == held):
            for t in THRESHOLDS:
                got = answer(model, m, names, t)
                key = (t, ("top-1 " if m.expected else "no card ") + m.lang)
                ok = got in m.expected if m.expected else got is None
                right.setdefault(key, [0, 0])
                right[key][0] += ok
                right[key][1] += 1
    measures = sorted({k[1] for k in right})
    rows = [
        (
            "rules alone" if t is None else f"veto {t[0]}, rescue {t[1]}",
            *(
                f"{right[t, k][0]}/{right[t, k][1]} {right[t, k][0] / right[t, k][1]:.1%}"
                for k in measures
            ),
        )
        for t in THRESHOLDS
    ]
    return table(("gate", *measures), rows)


def export(model: GradientBoostingClassifier, names: list[str], share: float) -> dict[str, Any]:
    """The trees as gate.py walks them; `share` is the share of right
    candidates, whose log-odds the model starts from."""
    prior = float(np.log(share / (1.0 - share)))
    trees = []
    for (tree,) in model.estimators_:
        t = tree.tree_
        trees.append(
            {
                "left": t.children_left.tolist(),
                "right": t.children_right.tolist(),
                "feature": [max(int(f), 0) for f in t.feature],
                "threshold": [round(float(v), 9) for v in t.threshold],
                "value": [round(float(v), 9) for v in t.value[:, 0, 0]],
            }
        )
    return {
        "trained_on": list(TRAINED_ON),
        "features": names,
        "prior": prior,
        "rate": RATE,
        "veto": VETO,
        "rescue": RESCUE,
        "trees": trees,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {gate.MODEL}")
    args = parser.parse_args()
    assert "holdout" not in TRAINED_ON
    messages = await read_sets()
    names = sorted({n for m in messages for _, f in m.candidates for n in f})
    print("Each set answered by a gate trained on the other sets:")
    print(cross_validate(messages, names))
    model = fit(messages, names)
    x, y = matrix(messages, names)
    data = export(model, names, float(np.mean(y)))
    # The walk in gate.py must give what scikit-learn gives.
    walked = gate.Gate(data)
    expected = model.predict_proba(x)[:, 1]
    got = np.array(walked.probabilities([dict(zip(names, row, strict=True)) for row in x]))
    assert np.max(np.abs(expected - got)) < 1e-6, np.max(np.abs(expected - got))
    if args.write:
        gate.MODEL.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {gate.MODEL.relative_to(ROOT)}: {len(names)} features, {TREES} trees")


if __name__ == "__main__":
    asyncio.run(main())
