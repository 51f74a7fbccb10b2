"""A one-off message to a learner from the outbox of notices (a changed
session, a waiting-list place), as the sender gets it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NoticeRow:
    id: int
    user_id: int
    kind: str
    data: str  # JSON, as the notice's kind defines it
