"""Whether a ranked candidate is the answer: a model learned from labelled messages.

The engine's hand-made checks (evidence, topic weight, "is it about
learning", a trade's service, words no entry holds) each fixed the questions
they were written for; how much each should count was never measured. Here
they are the inputs of a gradient-boosted model, trained by
`bench/train_answer_gate.py` on every question set the project has read
(about 3,200 messages, each with the right card or "no card"), and
validated by leaving one set out at a time. The model gives each of the
best-ranked candidates the probability that it is the answer. The rules
still pick the answer (they hold what a model of a few thousand messages
cannot learn: a trade's service is not its course, a month names an intake);
the gate withholds their pick when it is unlikely, and answers where they
found nothing when it is sure.

The trained trees are data (`data/answer_gate.json`), walked here with numpy
alone at run time: all candidates down all trees at once, a step per level.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

MODEL = Path(__file__).resolve().parents[2] / "data" / "answer_gate.json"


class Gate:
    """The trees side by side in arrays, so that every candidate of a
    question goes down every tree at once: one step per level."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.features: tuple[str, ...] = tuple(data["features"])
        self.prior = float(data["prior"])  # log-odds before any tree
        self.rate = float(data["rate"])  # each tree's share (the learning rate)
        # Below `veto` the rules' answer is withheld; at `rescue` or above a
        # candidate answers where the rules found none.
        self.veto = float(data["veto"])
        self.rescue = float(data["rescue"])
        trees = data["trees"]
        width = max(len(t["left"]) for t in trees)

        def packed(key: str, fill: float, dtype: type) -> npt.NDArray[Any]:
            """One flat array: tree k's nodes at k * width onwards."""
            rows = [t[key] + [fill] * (width - len(t[key])) for t in trees]
            return np.array(rows, dtype=dtype).ravel()

        self.left = packed("left", -1, np.int64)
        self.right = packed("right", -1, np.int64)
        self.feature = packed("feature", 0, np.int64)
        self.split = packed("threshold", 0.0, np.float64)
        self.value = packed("value", 0.0, np.float64)
        self.depth = _depth(trees)
        self._column = {name: k for k, name in enumerate(self.features)}
        self._offset = np.arange(len(trees)) * width

    def probabilities(self, candidates: list[dict[str, float]]) -> list[float]:
        """For each candidate's features, the probability that it is the answer."""
        if not candidates:
            return []
        x = np.zeros((len(candidates), len(self.features)))
        for row, found in enumerate(candidates):
            for name, value in found.items():
                column = self._column.get(name)
                if column is not None:  # a feature the model never saw says nothing
                    x[row, column] = value
        # Node numbers as offsets into the flat arrays, one row per tree.
        node = np.broadcast_to(self._offset, (len(candidates), len(self._offset))).copy()
        which = np.arange(len(candidates))[:, None] * len(self.features)
        for _ in range(self.depth):
            left = self.left.take(node)
            go_left = x.take(which + self.feature.take(node)) <= self.split.take(node)
            step = np.where(go_left, left, self.right.take(node)) + self._offset
            node = np.where(left == -1, node, step)  # a leaf stays where it is
        raw = self.prior + self.rate * self.value.take(node).sum(axis=1)
        return [float(p) for p in 1.0 / (1.0 + np.exp(-raw))]


def _depth(trees: list[dict[str, Any]]) -> int:
    """The most steps from a root to a leaf in any tree."""
    deepest = 0
    for tree in trees:
        level = {0: 0}
        for node in range(len(tree["left"])):
            for child in (tree["left"][node], tree["right"][node]):
                if child != -1:
                    level[child] = level[node] + 1
        deepest = max(deepest, *level.values())
    return deepest


@lru_cache(maxsize=1)
def load(path: Path = MODEL) -> Gate:
    """The shipped model (read once per process)."""
    return Gate(json.loads(path.read_text(encoding="utf-8")))
