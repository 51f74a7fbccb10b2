"""'Was this helpful?': the learner's vote on an answer, and what staff see of them."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from domain.feedback import Vote
from services.catalogue_service import CatalogueService
from services.clock import Clock
from services.roles import Role, RoleService
from storage import feedback_repo
from storage.database import Database
from storage.feedback_repo import NotHelpful

VOTES = tuple(Vote)
RECENT = 200


class Outcome(enum.Enum):
    STORED = "stored"  # the vote is kept
    ALREADY = "already"  # this answer had a vote: nothing changed
    GONE = "gone"  # the question's record was erased or purged
    REFUSED = "refused"  # not the presser's question, or not an answer (a forged press)


@dataclass(frozen=True)
class NotHelpfulAnswer:
    """A 👎 on the console: the question, and the answer it got."""

    question: NotHelpful
    answer_title: str  # the catalogue entry's title now, or its id if it is gone


@dataclass(frozen=True)
class WeekShare:
    week: str  # the week's Monday, ISO date
    votes: int
    down: int

    @property
    def share(self) -> float:
        return self.down / self.votes if self.votes else 0.0


class FeedbackService:
    def __init__(
        self, db: Database, clock: Clock, roles: RoleService, catalogue: CatalogueService
    ) -> None:
        self.db = db
        self.clock = clock
        self.roles = roles
        self.catalogue = catalogue

    async def vote(
        self, user_id: int, question_id: int, vote: str, press_id: str | None = None
    ) -> Outcome:
        """Keep the learner's first vote on the answer to their question."""
        if vote not in VOTES:
            return Outcome.REFUSED
        async with self.db.transaction() as conn:
            # Checked and written under the write lock: two presses at once
            # store one vote.
            question = await feedback_repo.question(conn, question_id)
            if question is None or question.user_id is None:
                return Outcome.GONE
            if question.user_id != user_id or not question.answered:
                return Outcome.REFUSED
            stored = await feedback_repo.add(
                conn, question_id, user_id, vote, self.clock.now().isoformat(), press_id
            )
            if not stored and press_id is not None:
                # The very press that voted, handled again (after a crash): the
                # same outcome, so that its replies are the ones journalled.
                stored = await feedback_repo.press_of(conn, question_id) == press_id
        return Outcome.STORED if stored else Outcome.ALREADY

    async def question_text(self, user_id: int, question_id: int) -> str | None:
        """The learner's own logged question (to pass on to staff); None if it is
        not theirs or was erased."""
        question = await feedback_repo.question(self.db.reader, question_id)
        if question is None or question.user_id != user_id or not question.text:
            return None
        return question.text

    async def not_helpful(self, actor_id: int) -> list[NotHelpfulAnswer]:
        """The latest questions whose answer a learner marked as not helpful."""
        await self.roles.require(actor_id, Role.STAFF, "unanswered_read", None)
        rows = await feedback_repo.not_helpful(self.db.reader, RECENT)
        return [NotHelpfulAnswer(row, self._title(row)) for row in rows]

    async def weekly_share(self, actor_id: int, since: dt.date) -> list[WeekShare]:
        """Votes and 👎 per week since a date, for the dashboard."""
        await self.roles.require(actor_id, Role.STAFF, "dashboard", None)
        rows = await feedback_repo.per_week(self.db.reader, since.isoformat())
        return [WeekShare(week, votes, down) for week, votes, down in rows]

    def _title(self, row: NotHelpful) -> str:
        view = self.catalogue.view
        lang = row.lang
        if row.top_type == "programme" and row.top_id in view.programmes:
            return view.programmes[row.top_id].title.get(lang)
        if row.top_type == "group" and row.top_id in view.groups:
            programme, group = view.groups[row.top_id]
            return f"{programme.title.get(lang)}, {group.starts.isoformat()}"
        if row.top_type == "faq" and row.top_id in view.faq:
            questions = view.faq[row.top_id].questions.get(lang)
            return questions[0] if questions else row.top_id
        return row.top_id or ""
