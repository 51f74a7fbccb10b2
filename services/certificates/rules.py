"""Which programmes give a certificate, and who has earned one.

The catalogue declares it per programme as `certificate: {hours,
min_attendance}` (data/SCHEMA.md): `min_attendance` is the per cent of the
group's sessions a participant must have attended (80: four in five; at
least one session in any case).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from services.catalogue.schema import Group, Programme

# Sessions that are not lessons one attends (a deadline is a date, not a meeting).
NOT_ATTENDED = frozenset({"deadline"})


@dataclass(frozen=True)
class CertificateRule:
    hours: int
    min_share: float  # 0 to 1


def rule_of(programme: Programme) -> CertificateRule | None:
    """The programme's certificate rule, or None when it gives none."""
    declared = programme.certificate
    if declared is None:
        return None
    return CertificateRule(declared.hours, declared.min_attendance / 100)


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
