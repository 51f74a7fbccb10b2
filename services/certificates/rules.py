"""Which programmes give a certificate, and who has earned one.

The catalogue declares it per programme as `certificate: {hours,
min_attendance}`. It is read here defensively (an attribute or a mapping),
so this works with whichever shape the catalogue model gives it.
`min_attendance` is the share of the group's sessions a participant must
have attended: 0.8 and 80 (per cent) both mean four sessions in five.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from services.catalogue.schema import Group, Programme

# Sessions that are not lessons one attends (a deadline is a date, not a meeting).
NOT_ATTENDED = frozenset({"deadline"})


@dataclass(frozen=True)
class CertificateRule:
    hours: int
    min_share: float  # 0 < share <= 1


def _field(value: Any, name: str) -> Any:
    if isinstance(value, dict):
        return value.get(name)
    return getattr(value, name, None)


def rule_of(programme: Programme) -> CertificateRule | None:
    """The programme's certificate rule, or None when it gives none."""
    declared = getattr(programme, "certificate", None)
    if declared is None:
        return None
    hours = _field(declared, "hours")
    minimum = _field(declared, "min_attendance")
    if hours is None:
        hours = programme.hours
    if not isinstance(hours, int | float) or not isinstance(minimum, int | float):
        return None
    share = float(minimum) / 100 if minimum > 1 else float(minimum)
    if not 0 < share <= 1:
        return None
    return CertificateRule(int(hours), share)


def attended_sessions(group: Group) -> list[str]:
    """The ids of the group's sessions attendance is kept for."""
    return [s.id for s in group.sessions if s.kind not in NOT_ATTENDED]


def sessions_needed(rule: CertificateRule, group: Group) -> int:
    """How many sessions a participant must attend (at least one)."""
    return max(1, math.ceil(rule.min_share * len(attended_sessions(group)) - 1e-9))


def group_finished(group: Group, local_now: dt.datetime) -> bool:
    """Whether the group's last session has begun (a certificate is issued
    for a course that has run, never half-way through it)."""
    starts = [s.starts_at for s in group.sessions if s.kind not in NOT_ATTENDED]
    if starts:
        return local_now >= max(starts)
    return local_now.date() >= group.ends
