"""'Was this helpful?': the two votes a learner can give an answer."""

from __future__ import annotations

from enum import StrEnum


class Vote(StrEnum):
    UP = "up"
    DOWN = "down"
