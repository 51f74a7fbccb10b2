"""Fast lookups over a validated catalogue, shared by browsing and answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from services.catalogue.schema import Catalogue, Department, Faq, Group, Programme, Session

PROGRAMME_KINDS = ("formal", "continuing", "nonformal", "driving", "teacher")


@dataclass
class CatalogueView:
    catalogue: Catalogue
    programmes: dict[str, Programme] = field(init=False)
    groups: dict[str, tuple[Programme, Group]] = field(init=False)
    faq: dict[str, Faq] = field(init=False)
    departments: dict[str, Department] = field(init=False)
    zone: ZoneInfo = field(init=False)
    # Seats the bot's registrations hold per group, on top of the catalogue's
    # `seats_taken`: kept up to date by the registrations service, and shared
    # by every view of the catalogue service, so an import keeps it.
    held: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        cat = self.catalogue
        self.programmes = {p.id: p for p in cat.programmes}
        self.groups = {g.id: (p, g) for p in cat.programmes for g in p.groups}
        self.faq = {f.id: f for f in cat.faq}
        self.departments = {d.id: d for d in cat.departments}
        self.zone = ZoneInfo(cat.centre.timezone)

    def of_kind(self, kind: str, department: str | None = None) -> list[Programme]:
        return [
            p
            for p in self.catalogue.programmes
            if p.kind == kind and (department is None or p.department == department)
        ]

    def departments_of_kind(self, kind: str) -> list[Department]:
        used = {p.department for p in self.of_kind(kind)}
        return [d for d in self.catalogue.departments if d.id in used]

    def upcoming_groups(self, programme: Programme, today: dt.date) -> list[Group]:
        """Groups that have not started yet, soonest first."""
        return sorted((g for g in programme.groups if g.starts >= today), key=lambda g: g.starts)

    def seats_left(self, group: Group) -> int:
        """Free seats now: the catalogue's count less what registrations hold."""
        return max(group.seats_left - self.held.get(group.id, 0), 0)

    def next_open_group(self, programme: Programme, today: dt.date) -> Group | None:
        """The soonest group one can still join: seats left and registration open."""
        groups = self.upcoming_groups(programme, today)
        open_ = [
            g
            for g in groups
            if self.seats_left(g) > 0
            and (g.registration_deadline is None or g.registration_deadline >= today)
        ]
        candidates = open_ or groups
        return candidates[0] if candidates else None

    def upcoming_sessions(self, group: Group, now: dt.datetime) -> list[Session]:
        local_now = now.astimezone(self.zone).replace(tzinfo=None)
        return sorted(
            (s for s in group.sessions if (s.ends_at or s.starts_at) >= local_now),
            key=lambda s: s.starts_at,
        )
