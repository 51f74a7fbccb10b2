"""The figures on the web console's first page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.broadcasts import Broadcast
from services.clock import Clock
from services.roles import Role, RoleService
from storage import (
    broadcasts_repo,
    enquiry_browse_repo,
    learners_repo,
    question_log_repo,
    reminders_repo,
)
from storage.database import Database
from storage.question_log_repo import QuestionRecord

ACTIVE_DAYS = 30
WEEKS = 8


@dataclass(frozen=True)
class Dashboard:
    statuses: dict[str, int]
    overdue: int
    active_learners: int
    planned_reminders: int
    broadcasts: list[tuple[Broadcast, dict[str, int]]]
    per_week: list[tuple[str, str, int]]
    unanswered_per_week: list[tuple[str, int]]
    unanswered: list[QuestionRecord]


class DashboardService:
    def __init__(self, db: Database, clock: Clock, roles: RoleService) -> None:
        self.db = db
        self.clock = clock
        self.roles = roles

    async def figures(self, actor_id: int) -> Dashboard:
        await self.roles.require(actor_id, Role.STAFF, "dashboard", None)
        now = self.clock.now()
        reader = self.db.reader
        since = (now - dt.timedelta(weeks=WEEKS)).date().isoformat()
        active_since = (now - dt.timedelta(days=ACTIVE_DAYS)).isoformat()
        recent = await broadcasts_repo.recent(reader, 5)
        figures = await broadcasts_repo.figures_of(reader, [b.id for b in recent])
        return Dashboard(
            statuses=await enquiry_browse_repo.status_counts(reader),
            overdue=await enquiry_browse_repo.overdue_count(reader),
            active_learners=await learners_repo.active_since(reader, active_since),
            planned_reminders=(await reminders_repo.count_by_state(reader)).get("planned", 0),
            broadcasts=[(b, figures[b.id]) for b in recent],
            per_week=await enquiry_browse_repo.per_week_by_topic(reader, since),
            unanswered_per_week=await question_log_repo.unanswered_per_week(reader, since),
            unanswered=await question_log_repo.unanswered(reader, 10),
        )
